"""The published JSON schema of the IR (``schema/program.schema.json``).

Regenerate with ``python -m flowgen.ir.schema > schema/program.schema.json``; a test
fails when the published file and the models disagree.
"""

from __future__ import annotations

import json
from typing import Any

from flowgen.ir.model import IR_VERSION, Program
from flowgen.ir.pydantic_models import json_schema

__all__ = ["program_schema"]


def program_schema() -> dict[str, Any]:
    schema = json_schema(Program)
    schema["$id"] = f"https://flowgen.dev/schema/program-v{IR_VERSION}.json"
    schema["title"] = "flowgen IR program"
    return schema


if __name__ == "__main__":
    print(json.dumps(program_schema(), indent=2, sort_keys=True))
