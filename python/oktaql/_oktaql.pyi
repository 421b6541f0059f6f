"""Type stubs for the extension module oktaql._oktaql (re-exported by oktaql)."""

import datetime
import os
from typing import (
    AnyStr,
    Generic,
    Iterable,
    Iterator,
    Literal,
    Mapping,
    Optional,
    Tuple,
    TypedDict,
    Union,
    final,
)

__all__ = [
    "BadEventWarning",
    "FileMatches",
    "Filter",
    "JsonError",
    "LineMatches",
    "ParseError",
    "Rule",
    "RuleError",
    "RuleFileMatches",
    "RuleProblem",
    "RuleSet",
    "RuleWarning",
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

_Path = Union[str, "os.PathLike[str]"]
_Level = Literal["informational", "low", "medium", "high", "critical"]

class RuleError(ValueError):
    """Problems met loading rules with ``strict=True``."""

    problems: Tuple["RuleProblem", ...]
    """Every rule not loaded and every warning."""

class RuleWarning(UserWarning):
    """A rule not loaded, or a lint warning, reported by ``RuleSet(...)``."""

@final
class RuleSet:
    """A set of detection rules, loaded from YAML rule files, matched in one pass."""

    def __new__(
        cls,
        paths: Union[_Path, Iterable[_Path], None] = None,
        *,
        yaml: Optional[str] = None,
        name: str = "<yaml>",
        engine: Literal["oie", "OIE", "classic", "Classic"] = "oie",
        ignore_case: bool = False,
        since: Optional[_Instant] = None,
        until: Optional[_Instant] = None,
        level: Optional[_Level] = None,
        only: Union[str, Iterable[str], None] = None,
        exclude: Union[str, Iterable[str], None] = None,
        hidden: bool = False,
        strict: bool = False,
        status: Union[str, Iterable[str], None] = None,
        placeholders: Optional[Mapping[str, Union[str, Iterable[str]]]] = None,
    ) -> "RuleSet": ...
    @property
    def rules(self) -> Tuple["Rule", ...]: ...
    @property
    def problems(self) -> Tuple["RuleProblem", ...]: ...
    @property
    def summary(self) -> str: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator["Rule"]: ...
    def matches(self, event: dict) -> list[str]:
        """The ids of the rules that select the event (a dict as json.loads gives it)."""
    def matches_json(self, data: Union[bytes, bytearray, str]) -> list[str]:
        """The ids of the rules that select one event's JSON text; malformed JSON raises JsonError."""
    def filter_file(
        self,
        path: _Path,
        *,
        errors: _Errors = "strict",
        threads: Optional[int] = None,
    ) -> "RuleFileMatches":
        """(rule_ids, event) for each event of a file some rule selects, in file order."""

@final
class Rule:
    """A loaded rule."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def level(self) -> Optional[_Level]: ...
    @property
    def description(self) -> Optional[str]: ...
    @property
    def filter(self) -> str: ...
    @property
    def ignore_case(self) -> bool: ...
    @property
    def keywords(self) -> Optional[str]: ...
    @property
    def format(self) -> Literal["oktaql", "okta"]: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...

@final
class RuleProblem:
    """A rule (or a file) not loaded, or a warning about a loaded rule, placed in its file."""

    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> Optional[int]: ...
    @property
    def kind(self) -> Literal["not-loaded", "warning"]: ...
    @property
    def why(
        self,
    ) -> Optional[
        Literal["unreadable", "yaml", "invalid", "syntax", "counting", "duplicate", "unsupported", "engine"]
    ]: ...
    @property
    def code(self) -> Optional[str]: ...
    @property
    def message(self) -> str: ...
    @property
    def help(self) -> Optional[str]: ...

@final
class RuleFileMatches(Iterator[Tuple[list[str], bytes]]):
    """The iterator RuleSet.filter_file returns: (rule_ids, event) pairs, in file order."""

    def __iter__(self) -> "RuleFileMatches": ...
    def __next__(self) -> Tuple[list[str], bytes]: ...
