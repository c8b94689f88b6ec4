"""The registry of evidence rules (see base.py); importing this package registers every rule."""

# Each module registers its rules on import (one module per family of actions).
from crm.evaluation.rules import assessment, contacts, orders  # noqa: F401
from crm.evaluation.rules.base import (  # noqa: F401
    MET,
    NOT_MET,
    NOT_OBSERVED,
    RULES,
    EvidenceRule,
    RuleResult,
    register,
)
