"""``flytekit.types.structured``'s names."""

from flowgen.data.tables import StructuredDataset, StructuredDatasetType

__all__ = ["StructuredDataset", "StructuredDatasetType"]
