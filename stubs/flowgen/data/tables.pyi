from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, Generic

from typing_extensions import TypeVar

# The declared columns, as a TypedDict: Annotated[StructuredDataset, kwtypes(a=int)] is
# StructuredDataset[TypedDict({"a": int})] to mypy (flowgen.mypy_plugin.data_types), so a table
# fits an input whose columns are a subset with the same types; bare StructuredDataset has Any.
_Columns = TypeVar("_Columns", covariant=True, default=Any)

class MissingExtraError(ImportError): ...

def kwtypes(**columns: Any) -> OrderedDict[str, Any]: ...

class StructuredDatasetType:
    columns: tuple[tuple[str, Any], ...]
    format: str
    def __init__(self, columns: tuple[tuple[str, Any], ...] = (), format: str = "parquet") -> None: ...

class StructuredDataset(Generic[_Columns]):
    dataframe: Any
    uri: str | None
    metadata: Any
    file_format: str
    num_rows: int | None
    schema: tuple[tuple[str, str], ...] | None
    def __init__(
        self,
        dataframe: Any = None,
        uri: str | None = None,
        metadata: Any = None,
        file_format: str = "parquet",
        num_rows: int | None = None,
        schema: tuple[tuple[str, str], ...] | None = None,
        _columns: list[str] | None = None,
        _open_as: Any = None,
    ) -> None: ...
    @property
    def columns(self) -> list[str] | None: ...
    def open(self, dataframe_type: Any = None) -> StructuredDataset: ...
    def all(self) -> Any: ...
    def iter(self, batch_size: int = 65536) -> Iterator[Any]: ...

def read_table(uri: str, flavor: str, columns: list[str] | None = None) -> Any: ...
def write_table(value: Any) -> StructuredDataset: ...
