"""Type stubs for oktaql: the extension module's names (declared in _oktaql.pyi)."""

from ._oktaql import BadEventWarning as BadEventWarning
from ._oktaql import Filter as Filter
from ._oktaql import JsonError as JsonError
from ._oktaql import ParseError as ParseError
from ._oktaql import Rule as Rule
from ._oktaql import RuleError as RuleError
from ._oktaql import RuleProblem as RuleProblem
from ._oktaql import RuleSet as RuleSet
from ._oktaql import RuleWarning as RuleWarning
from ._oktaql import __version__ as __version__
from ._oktaql import check as check

__all__ = [
    "BadEventWarning",
    "Filter",
    "JsonError",
    "ParseError",
    "Rule",
    "RuleError",
    "RuleProblem",
    "RuleSet",
    "RuleWarning",
    "__version__",
    "check",
]
