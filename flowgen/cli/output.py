"""Printing workflow results: plain text for people, ``--json`` for programs."""

from __future__ import annotations

import json
from typing import Any

import click

from flowgen.ir.codec import to_json
from flowgen.ir.model import Interface
from flowgen.ir.types import PrimitiveType

__all__ = ["print_result", "result_json"]


def result_json(interface: Interface, outputs: dict[str, Any]) -> Any:
    """The JSON of a result: a single output's value, an object of named outputs, or null."""
    if interface.output_form == "none":
        return None
    encoded = {o.name: to_json(outputs[o.name], o.type) for o in interface.outputs}
    if interface.output_form == "single":
        return encoded[interface.outputs[0].name]
    return encoded


def print_result(interface: Interface, outputs: dict[str, Any], as_json: bool) -> None:
    data = result_json(interface, outputs)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    if interface.output_form == "none":
        return
    if interface.output_form == "single":
        out = interface.outputs[0]
        value = outputs[out.name]
        if isinstance(out.type, PrimitiveType) and out.type.name in ("int", "float", "str", "bool"):
            click.echo(value)
        else:
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for name, value in data.items():
        click.echo(f"{name}: {json.dumps(value, ensure_ascii=False)}")
