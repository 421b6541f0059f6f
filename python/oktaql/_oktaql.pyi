"""Type stubs for the extension module oktaql._oktaql (re-exported by oktaql)."""

import datetime
import os
from typing import AnyStr, Generic, Iterable, Iterator, Literal, Optional, TypedDict, Union, final

__all__ = [
    "BadEventWarning",
    "FileMatches",
    "Filter",
    "JsonError",
    "LineMatches",
    "ParseError",
    "__version__",
    "check",
]

__version__: str

class _Finding(TypedDict):
    code: str
    severity: Literal["error", "warning"]
    offset: int
    length: int
    line: int
    column: int
    message: str
    suggestion: Optional[str]
    help: Optional[str]

def check(text: str, *, ignore_case: bool = ...) -> list[_Finding]: ...

_Instant = Union[str, datetime.datetime, datetime.date]
_Errors = Literal["strict", "warn"]

class ParseError(ValueError):
    """A filter that does not parse."""

    offset: int
    """Byte offset in the filter where it went wrong."""
    kind: str
    """The error kind in snake_case, e.g. ``"expected_operator"``."""
    text: str
    """The filter that failed to parse."""

class JsonError(ValueError):
    """An event that is not valid JSON (or holds a value JSON cannot)."""

    kind: Optional[str]
    """``"truncated"``, ``"unexpected_byte"``, ``"invalid_utf8"``, ``"invalid_string"``,
    ``"invalid_number"``, ``"trailing_characters"``, or None when not one JSON error."""
    offset: Optional[int]
    """Byte offset in the event, when known."""
    line: Optional[int]
    """1-based line (filter_lines: item number; filter_file: line in the file)."""
    path: Optional[str]
    """The file (filter_file)."""

class BadEventWarning(UserWarning):
    """A bad event skipped under ``errors="warn"``."""

@final
class Filter:
    """A compiled Okta System Log filter."""

    def __new__(
        cls,
        text: str,
        *,
        ignore_case: bool = False,
        since: Optional[_Instant] = None,
        until: Optional[_Instant] = None,
        keywords: Optional[str] = None,
        nest_limit: int = 64,
    ) -> "Filter": ...
    @property
    def ignore_case(self) -> bool: ...
    @property
    def since(self) -> Optional[str]: ...
    @property
    def until(self) -> Optional[str]: ...
    @property
    def keywords(self) -> Optional[str]: ...
    @property
    def nest_limit(self) -> int: ...
    def matches(self, event: dict) -> bool:
        """Whether the event (a dict as json.loads gives it) satisfies the filter."""
    def matches_json(self, data: Union[bytes, bytearray, str]) -> bool:
        """Whether one event's JSON text satisfies the filter; malformed JSON raises JsonError."""
    def filter_lines(
        self, lines: Iterable[AnyStr], *, errors: _Errors = "strict"
    ) -> "LineMatches[AnyStr]":
        """The matching lines, unchanged; blank lines skipped."""
    def filter_file(
        self,
        path: Union[str, "os.PathLike[str]"],
        *,
        errors: _Errors = "strict",
        threads: Optional[int] = None,
    ) -> "FileMatches":
        """The matching events of a file (any shape the command reads), as bytes."""
    def to_sql(
        self, dialect: Literal["duckdb", "clickhouse", "spark"], column: str = "raw"
    ) -> str:
        """The filter as one boolean SQL condition over a column of JSON text."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __copy__(self) -> "Filter": ...
    def __deepcopy__(self, _memo: object) -> "Filter": ...

@final
class LineMatches(Iterator[AnyStr], Generic[AnyStr]):
    """The iterator Filter.filter_lines returns: the matching lines, unchanged."""

    def __iter__(self) -> "LineMatches[AnyStr]": ...
    def __next__(self) -> AnyStr: ...

@final
class FileMatches(Iterator[bytes]):
    """The iterator Filter.filter_file returns: the matching events, as bytes, in file order."""

    def __iter__(self) -> "FileMatches": ...
    def __next__(self) -> bytes: ...
