"""``flytekit.types.file``'s names."""

from flowgen.data.files import FlyteFile

__all__ = ["FlyteFile"]
