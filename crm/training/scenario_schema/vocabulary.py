"""The closed vocabularies of a scenario pack: format tag, allowed words, keys and column sizes.

These are plain data shared by the section validators; nothing here checks anything.
"""

from __future__ import annotations

from crm import channels

FORMAT = "plateau-scenario/1"

FAMILIES = ("CA+", "CA-", "CNA", "closed")
EFFECTS = (
    "callback_required",
    "block_number_60_days",
    "do_not_call",
    "appointment_required",
    "payment_plan_or_promise",
    "claim_required",
)
CARD_BRANDS = ("visa", "mastercard", "amex", "cb", "maestro")
DUNNING_CHANNELS = channels.dunning_steps()
TEMPLATE_CHANNELS = channels.template_channels()
ORDER_STATUSES = ("delivered", "shipped", "paid", "confirmed", "returned", "cancelled")
LANGUAGES = ("fr", "en")
_VARIABLES = (
    "client.title", "client.first_name", "client.last_name", "client.company_name",
    "client.number", "order.number", "order.total", "order.date", "invoice.number",
    "invoice.amount_due", "invoice.due_on", "plan.summary", "appointment.starts_at",
    "appointment.with", "claim.number", "agent.name", "company.name", "company.phone",
    "recipient.name",
)  # fmt: skip
TEMPLATE_VARIABLES = frozenset(_VARIABLES)

_TOP_REQUIRED = (
    "format", "slug", "title", "description", "company", "training_cards", "qualification_codes",
    "dunning_ladder", "sales_reps", "products", "clients", "knowledge_base", "message_templates",
)  # fmt: skip
_TOP_OPTIONAL = (
    "card", "promotions", "documents", "campaigns", "timeline",
    "pause_reasons", "transfer_targets", "calling_rules", "channel_deadlines",
    "hold_limit_seconds", "after_sales", "retention", "surveys",
)  # fmt: skip

# Column sizes of the world tables: a longer value would load on SQLite and fail on PostgreSQL.
_LEN = {
    "sku": 32, "client": 20, "number": 24, "code": 24, "rep": 40, "campaign": 60, "key": 80,
    "name": 160, "label": 120, "title": 200, "short": 80, "email": 160, "phone": 32,
}  # fmt: skip
