"""The registry of evidence rules (see base.py); importing this package registers every rule."""

# Each module registers its rules on import (one module per family of actions).
from crm.evaluation.rules import (  # noqa: F401
    agenda,
    assessment,
    call_times,
    callbacks,
    calls,
    claims,
    clients,
    contacts,
    courtesy,
    dunning,
    files,
    knowledge,
    language,
    messages,
    orders,
    payments,
    retention,
    sales,
    session,
    surveys,
    templates,
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
