"""The generator's error: IR that cannot become a faithful module, reported before emitting."""

from __future__ import annotations

from flowgen.errors import CompileError

__all__ = ["GenerationError"]


class GenerationError(CompileError):
    """The IR cannot be turned into a module (it fails validation before emitting)."""
