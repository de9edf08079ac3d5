from flowgen.data.tables import StructuredDataset as StructuredDataset
from flowgen.data.tables import StructuredDatasetType as StructuredDatasetType

__all__ = ["StructuredDataset", "StructuredDatasetType"]
