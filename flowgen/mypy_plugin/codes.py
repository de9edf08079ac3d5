"""The plugin's error codes: ``# type: ignore[flowgen-promise]`` silences exactly one kind.

=================  ====================================================================
code               reported for
=================  ====================================================================
flowgen-promise    a Promise used as a value: arithmetic, iteration, ``len``,
                   ``str()``/f-strings, ``int()``, calling it, indexing with it, and a
                   Python ``if``/``while``/``and``/``not`` on a comparison of Promises
flowgen-wiring     a value or Promise that does not fit an input (runtime compatibility
                   rules), a missing field or bad index on a Promise
flowgen-install    mypy cannot find flowgen's types (reported once; see guard.py)
flowgen-internal   the plugin failed on an expression (mypy's own types are used)
=================  ====================================================================

Truthiness of a Promise itself (``if p:``) is a ``flowgen-promise`` error too (probes.py),
under mypy's default settings.
"""

from __future__ import annotations

from typing import Final

from mypy.errorcodes import ErrorCode

FLOWGEN_PROMISE: Final = ErrorCode(
    "flowgen-promise", "A flowgen Promise used as a value in a workflow body", "flowgen"
)
FLOWGEN_WIRING: Final = ErrorCode(
    "flowgen-wiring", "A flowgen input, field or index that does not fit its type", "flowgen"
)
FLOWGEN_INSTALL: Final = ErrorCode(
    "flowgen-install", "flowgen's mypy plugin is enabled but mypy cannot find flowgen's types", "flowgen"
)
FLOWGEN_INTERNAL: Final = ErrorCode("flowgen-internal", "flowgen's mypy plugin failed on an expression", "flowgen")
