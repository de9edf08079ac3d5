from flowgen.data.files import FlyteDirectory as FlyteDirectory
from flowgen.data.files import FlyteFile as FlyteFile
from flowgen.data.hashing import HashMethod as HashMethod
from flowgen.data.store import current_store as current_store
from flowgen.data.store import set_raw_data_prefix as set_raw_data_prefix
from flowgen.data.store import use_store as use_store
from flowgen.data.tables import StructuredDataset as StructuredDataset
from flowgen.data.tables import StructuredDatasetType as StructuredDatasetType
from flowgen.data.tables import kwtypes as kwtypes

__all__ = ["FlyteDirectory", "FlyteFile", "HashMethod", "StructuredDataset", "StructuredDatasetType", "current_store", "kwtypes", "set_raw_data_prefix", "use_store"]
