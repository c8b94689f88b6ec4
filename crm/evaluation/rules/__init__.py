"""The registry of evidence rules (see base.py); importing this package registers every rule."""

# Each module registers its rules on import (telephony, agenda, written channels, claims,
# payments, dunning, knowledge base, client file).
from crm.evaluation.rules import (  # noqa: F401
    agenda,
    call_times,
    calls,
    claims,
    clients,
    dunning,
    knowledge,
    messages,
    payments,
)
from crm.evaluation.rules.base import (  # noqa: F401
    MET,
    NOT_MET,
    NOT_OBSERVED,
    RULES,
    EvidenceRule,
    RuleResult,
    register,
)
