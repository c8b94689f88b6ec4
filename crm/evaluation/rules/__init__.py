"""The registry of evidence rules (see base.py); importing this package registers every rule."""

from crm.evaluation.rules.base import (  # noqa: F401
    MET,
    NOT_MET,
    NOT_OBSERVED,
    RULES,
    EvidenceRule,
    RuleResult,
    register,
)
