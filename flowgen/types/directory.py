"""``flytekit.types.directory``'s names."""

from flowgen.data.files import FlyteDirectory

__all__ = ["FlyteDirectory"]
