"""The reference example: prints 3 for ("Pear", "Earth") and agrees with plain Python."""

import os
import subprocess
import sys
from collections import Counter

import dynamic_workflows as ref
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, ROOT

letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=60)


def plain_count(s1: str, s2: str) -> int:
    c1, c2 = Counter(s1.lower()), Counter(s2.lower())
    return sum(min(c1[k], c2[k]) for k in c1)


def test_script_prints_3() -> None:
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, "dynamic_workflows.py")],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "3"


def test_flowgen_run_prints_3() -> None:
    out = subprocess.run([sys.executable, "-m", "flowgen", "run", "examples/dynamic_workflows.py:wf",
                          "--s1", "Pear", "--s2", "Earth"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3"


@given(letters, letters)
def test_agrees_with_plain_python(s1: str, s2: str) -> None:
    assert ref.wf(s1=s1, s2=s2) == plain_count(s1, s2)


@settings(max_examples=4)
@given(st.text(alphabet="abcXYZ", min_size=1000, max_size=2000), st.text(alphabet="aXyz", max_size=2000))
def test_agrees_on_long_strings(s1: str, s2: str) -> None:
    assert ref.wf(s1=s1, s2=s2) == plain_count(s1, s2)


def test_empty_strings() -> None:
    assert ref.wf(s1="", s2="") == 0
    assert ref.wf(s1="abc", s2="") == 0


def test_dynamic_called_directly_runs_its_subdag() -> None:
    assert ref.count_characters(s1="Pear", s2="Earth") == 3


def test_tasks_called_outside_a_workflow_run_the_function() -> None:
    assert ref.return_index(character="c") == 2
    assert ref.update_list(freq_list=[0, 0], list_index=1) == [0, 1]
