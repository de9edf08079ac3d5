"""The input domains of the examples: what `flowgen test examples/` draws for them.

`flowgen test PATH` (and `pytest --flowgen PATH`) imports every file named flowgen_domains.py under
PATH and above it before any workflow runs. A `domain(wf, name=strategy)` call says which inputs a
workflow is meant for when its types say more than that. Preconditions of the workflow itself are
better written in its signature, where every run enforces them (multiple_outputs.py and
files_and_tables.py use `Annotated[..., MinLen(1)]` and `Ge(1)`); this file holds the rest:

* what markers cannot say: an alphabet, keys of one input that must appear in another, distinct items;
* what is about testing, not the workflow: a fan-out kept small so a check stays fast;
* the secrets a run needs;
* a workflow whose source must not change: dynamic_workflows.py is Flyte's reference text.
"""

import importlib
import os
import string
import sys

from hypothesis import strategies as st

from flowgen.testing import domain

EXAMPLES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, EXAMPLES)
sys.path.insert(1, os.path.join(EXAMPLES, "flyte"))

dynamic_workflows = importlib.import_module("dynamic_workflows")
files_and_tables = importlib.import_module("files_and_tables")
map_tasks = importlib.import_module("map_tasks")
multiple_outputs = importlib.import_module("multiple_outputs")
nested_dynamic = importlib.import_module("nested_dynamic")
rich_types = importlib.import_module("rich_types")
context_and_secrets = importlib.import_module("context_and_secrets")

# The reference example indexes a 26-slot list by `ord(c) - ord("a")` (or "A"): it is meant for letters.
letters = st.text(alphabet=string.ascii_letters, max_size=12)
domain(dynamic_workflows.wf, s1=letters, s2=letters)

# At least half of the texts parse (the map tolerates min_success_ratio=0.5 failures): each number
# drawn is paired with an arbitrary text.
pairs = st.lists(st.tuples(st.integers(-10**6, 10**6).map(str), st.text(max_size=6)), max_size=4)
domain(map_tasks.tolerant_mean, texts=pairs.map(lambda ps: [text for pair in ps for text in pair]))

# A line through points needs two distinct x values (the signature already asks for two points).
distinct_xs = st.lists(st.integers(-1000, 1000).map(float), min_size=2, max_size=8, unique=True)
domain(multiple_outputs.fit_and_predict, xs=distinct_xs)

# Every item ordered has a price.
ITEMS = ["pen", "ink", "pad"]
domain(
    rich_types.bill,
    order=st.builds(rich_types.Order, item=st.sampled_from(ITEMS), quantity=st.integers(0, 1000),
                    color=st.sampled_from(rich_types.Color), note=st.none() | st.text(max_size=10)),
    unit_prices=st.fixed_dictionaries({item: st.floats(0, 1e6) for item in ITEMS}),
)

# Fan-outs of about n*n/2 tasks: a few dozen per run keeps the check fast.
domain(nested_dynamic.nested, n=st.integers(-2, 8))
domain(files_and_tables.report, rows=st.integers(1, 12))

domain(context_and_secrets.wf, n=st.integers(0, 100), secrets={"api": {"token": "test-token"}})
