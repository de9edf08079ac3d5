"""The checks ``flowgen check`` runs, one per module, each with its examples.

The detection itself lives where the facts are (the loader for syntax, the spec
builder for definitions, the body compiler for Promise use and wiring); each
check module holds what is stable about a finding: its code, name, severity,
default hint and the examples its tests are generated from.
"""

from __future__ import annotations

from flowgen.static.checks import (
    fg001_syntax_error,
    fg101_promise_truthiness,
    fg102_comparison_as_bool,
    fg103_promise_boolean_operator,
    fg104_promise_iteration,
    fg105_promise_arithmetic,
    fg106_promise_formatting,
    fg107_promise_value_needed,
    fg108_promise_as_index,
    fg201_type_mismatch,
    fg202_unknown_input,
    fg203_missing_input,
    fg204_duplicate_input,
    fg205_unpack_count,
    fg206_unknown_attribute,
    fg207_bad_index,
    fg208_return_mismatch,
    fg209_map_task_non_list,
    fg210_conditional_without_else,
    fg211_no_outputs,
    fg301_missing_annotation,
    fg302_unsupported_type,
    fg303_loop_on_input,
    fg304_invalid_option,
    fg305_recursive_workflow,
    fg306_opaque_value,
    fg401_outside_subset,
    fg402_raises_at_compile_time,
)
from flowgen.static.checks._base import Check, expected_lines

__all__ = [
    "ALL_CHECKS",
    "BAD_INDEX",
    "COMPARISON_AS_BOOL",
    "CONDITIONAL_WITHOUT_ELSE",
    "DUPLICATE_INPUT",
    "INVALID_OPTION",
    "LOOP_ON_PROMISE",
    "MAP_TASK_NON_LIST",
    "MISSING_ANNOTATION",
    "MISSING_INPUT",
    "NO_OUTPUTS",
    "OPAQUE_VALUE",
    "OUTSIDE_SUBSET",
    "PROMISE_ARITHMETIC",
    "PROMISE_AS_INDEX",
    "PROMISE_BOOLEAN_OPERATOR",
    "PROMISE_FORMATTING",
    "PROMISE_ITERATION",
    "PROMISE_TRUTHINESS",
    "PROMISE_VALUE_NEEDED",
    "RAISES",
    "RECURSIVE_WORKFLOW",
    "RETURN_MISMATCH",
    "SYNTAX_ERROR",
    "TYPE_MISMATCH",
    "UNKNOWN_ATTRIBUTE",
    "UNKNOWN_INPUT",
    "UNPACK_COUNT",
    "UNSUPPORTED_TYPE",
    "Check",
    "by_code",
    "expected_lines",
]

SYNTAX_ERROR = fg001_syntax_error.CHECK
PROMISE_TRUTHINESS = fg101_promise_truthiness.CHECK
COMPARISON_AS_BOOL = fg102_comparison_as_bool.CHECK
PROMISE_BOOLEAN_OPERATOR = fg103_promise_boolean_operator.CHECK
PROMISE_ITERATION = fg104_promise_iteration.CHECK
PROMISE_ARITHMETIC = fg105_promise_arithmetic.CHECK
PROMISE_FORMATTING = fg106_promise_formatting.CHECK
PROMISE_VALUE_NEEDED = fg107_promise_value_needed.CHECK
PROMISE_AS_INDEX = fg108_promise_as_index.CHECK
TYPE_MISMATCH = fg201_type_mismatch.CHECK
UNKNOWN_INPUT = fg202_unknown_input.CHECK
MISSING_INPUT = fg203_missing_input.CHECK
DUPLICATE_INPUT = fg204_duplicate_input.CHECK
UNPACK_COUNT = fg205_unpack_count.CHECK
UNKNOWN_ATTRIBUTE = fg206_unknown_attribute.CHECK
BAD_INDEX = fg207_bad_index.CHECK
RETURN_MISMATCH = fg208_return_mismatch.CHECK
MAP_TASK_NON_LIST = fg209_map_task_non_list.CHECK
CONDITIONAL_WITHOUT_ELSE = fg210_conditional_without_else.CHECK
NO_OUTPUTS = fg211_no_outputs.CHECK
MISSING_ANNOTATION = fg301_missing_annotation.CHECK
UNSUPPORTED_TYPE = fg302_unsupported_type.CHECK
LOOP_ON_PROMISE = fg303_loop_on_input.CHECK
INVALID_OPTION = fg304_invalid_option.CHECK
RECURSIVE_WORKFLOW = fg305_recursive_workflow.CHECK
OPAQUE_VALUE = fg306_opaque_value.CHECK
OUTSIDE_SUBSET = fg401_outside_subset.CHECK
RAISES = fg402_raises_at_compile_time.CHECK

ALL_CHECKS: tuple[Check, ...] = tuple(
    sorted(
        (
            SYNTAX_ERROR, PROMISE_TRUTHINESS, COMPARISON_AS_BOOL, PROMISE_BOOLEAN_OPERATOR,
            PROMISE_ITERATION, PROMISE_ARITHMETIC, PROMISE_FORMATTING, PROMISE_VALUE_NEEDED,
            PROMISE_AS_INDEX, TYPE_MISMATCH, UNKNOWN_INPUT, MISSING_INPUT, DUPLICATE_INPUT,
            UNPACK_COUNT, UNKNOWN_ATTRIBUTE, BAD_INDEX, RETURN_MISMATCH, MAP_TASK_NON_LIST,
            CONDITIONAL_WITHOUT_ELSE, NO_OUTPUTS, MISSING_ANNOTATION, UNSUPPORTED_TYPE,
            LOOP_ON_PROMISE, INVALID_OPTION, RECURSIVE_WORKFLOW, OPAQUE_VALUE, OUTSIDE_SUBSET, RAISES,
        ),
        key=lambda c: c.code,
    )
)

_BY_CODE = {c.code: c for c in ALL_CHECKS}


def by_code(code: str) -> Check:
    return _BY_CODE[code]
