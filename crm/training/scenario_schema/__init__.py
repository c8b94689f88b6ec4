"""Check scenario packs (format ``plateau-scenario/1``) and resolve their relative dates.

The format is described in ``seed_data/scenarios/FORMAT.md``. Everything here runs without an
application or a database, so the CLI, the library page and the tests all share one validator.
``validate_scenario`` never raises: whatever the document holds, it returns every problem found,
each with the path of the offending value, so an author fixes a file in one pass. Problems are
worded in the reader's language where they are shown (French by default; see ``problems``).

Modules: ``problems`` (ScenarioProblem, the collector, message wording), ``vocabulary`` (allowed
words and sizes), ``formats`` (Luhn, date specs, patterns; phone numbers: ``crm.phones``),
``values`` and ``structure`` (generic checks), one module per group of sections (``company``,
``qualification``, ``messaging``, ``catalog``, ``clients``, ``knowledge``), ``checker`` (the
whole document) and ``loading`` (reading the YAML file).
"""

from __future__ import annotations

from .checker import validate_scenario
from .formats import luhn_ok, parse_date_spec, parse_datetime_spec
from .loading import load_scenario_file
from .problems import ScenarioProblem
from .vocabulary import TEMPLATE_VARIABLES

__all__ = [
    "TEMPLATE_VARIABLES",
    "ScenarioProblem",
    "load_scenario_file",
    "luhn_ok",
    "parse_date_spec",
    "parse_datetime_spec",
    "validate_scenario",
]
