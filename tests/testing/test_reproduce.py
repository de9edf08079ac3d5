"""The reproducer command: every value spelled as flowgen run parses it, or an --inputs JSON file."""

import datetime as dt
import json
import shlex
from typing import Union

from click.testing import CliRunner

from flowgen import task, workflow
from flowgen.cli.main import cli
from flowgen.testing.reproduce import reproducer
from tests.testing.programs import shapes


@task
def show(data: bytes, choice: Union[int, str], when: dt.date) -> str:
    return f"{data!r}|{choice!r}|{when.isoformat()}"


@workflow
def echo(data: bytes, choice: Union[int, str], when: dt.date) -> str:
    return show(data=data, choice=choice, when=when)


def test_values_the_command_line_carries_are_options():
    command = reproducer(shapes.records, {
        "point": shapes.Point(x=1, y=2.5), "pair": shapes.Pair("a b", None), "color": shapes.Color.GREEN,
        "order": shapes.Order(item="tea", quantity=2), "tags": ["x"], "mode": "b"})
    words = shlex.split(command)
    assert words[:3] == ["flowgen", "run", "tests/testing/programs/shapes.py:records"]
    options = dict(zip(words[3::2], words[4::2]))
    assert json.loads(options["--point"]) == {"x": 1, "y": 2.5}
    assert options["--color"] == "GREEN" and options["--mode"] == "b" and json.loads(options["--tags"]) == ["x"]


def test_values_the_command_line_would_misread_go_through_an_inputs_file(tmp_path, monkeypatch):
    values = {"data": b"\xff\x00", "choice": "5", "when": dt.date(2024, 5, 1)}
    command = reproducer(echo, values)
    assert "--when 2024-05-01" in command and "--inputs inputs.json" in command
    # run it: the JSON file gives back the bytes and the string "5" (not the int 5)
    monkeypatch.chdir(tmp_path)
    prefix, _, run = command.partition(" && ")
    data = json.loads(shlex.split(prefix)[1])
    (tmp_path / "inputs.json").write_text(json.dumps(data))
    words = shlex.split(run)
    words[2] = f"{__file__}:echo"
    result = CliRunner().invoke(cli, words[1:])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == show(**values)
