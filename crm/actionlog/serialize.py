"""The action log's chain check and verb catalog as the JSON API shows them."""

from __future__ import annotations


def chain_report_dict(report) -> dict:
    """What `verify_chain` found: valid or where the chain breaks, and how much it checked."""
    return {
        "valid": report.valid,
        "broken_at": report.broken_at,
        "broken_seq": report.broken_seq,
        "reason": report.reason,
        "checked": report.checked,
    }


def verb_dict(verb) -> dict:
    """One verb of the catalog with its family, description and xAPI verb."""
    return {
        "name": verb.name,
        "family": verb.family,
        "description": verb.description,
        "xapi": verb.xapi,
    }
