"""Heads sealed outside the log: positions of an attempt's chain recorded elsewhere.

An attempt's own `chain_head` and `action_count` move with its log, so whoever can delete the
last actions can fix them too. A package that keeps a copy of a head (the sign-off of a grading
seals the head and count it saw) registers a source here, and `verify_chain` then checks that
the log still holds, at that position, the action whose hash was sealed: a log cut or rewritten
after sign-off no longer verifies. `plateau log heads` exports the same heads, so that a copy
can be kept outside the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Seal:
    """A position of an attempt's chain recorded elsewhere: count and head at that moment."""

    action_count: int
    chain_head: str
    #: What sealed it, e.g. "sign-off".
    kind: str
    #: Which one, e.g. the standard of the signed grading.
    name: str
    sealed_at: datetime


#: Callables attempt id → the seals they keep for it, registered by the packages that seal
#: (crm.evaluation.marking registers its sign-offs).
seal_sources: list[Callable[[int], list[Seal]]] = []


def seals_of(attempt_id: int) -> list[Seal]:
    """Every seal kept on the attempt's chain, oldest first."""
    found = [seal for source in seal_sources for seal in source(attempt_id)]
    return sorted(found, key=lambda seal: (seal.sealed_at, seal.action_count))
