"""The append-only, hash-chained action log and its verbs: models, chain, verbs, services.

It imports no domain package; the evaluator's screens over it (timeline, payloads in words) are
in `crm.bench`.
"""
