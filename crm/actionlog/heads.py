"""Exporting attempts' chain heads, and reading such an export back, to keep them outside the DB.

Whoever can write the database can delete an attempt's last actions and fix its head, and could
fix the sign-off's sealed head as well: a copy of the heads kept elsewhere (`plateau log heads >
heads.csv`, then `plateau log verify --heads heads.csv`) catches that too.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.actionlog.seals import Seal, seals_of
from crm.db import db
from crm.training.models import Attempt

#: The columns of an export, in order (CSV header, JSON keys).
FIELDS = (
    "attempt_id",
    "shift_id",
    "candidate",
    "action_count",
    "chain_head",
    "sealed_by",
    "sealed_action_count",
    "sealed_chain_head",
    "sealed_at",
    "read_at",
)


@dataclass(frozen=True)
class HeadRow:
    """One attempt's head when read, beside one head sealed on it (none: empty fields)."""

    attempt_id: int
    shift_id: int
    candidate: str
    action_count: int
    chain_head: str
    #: What sealed the head, e.g. "sign-off cqp-relation-commerciale-a-distance".
    sealed_by: str | None
    sealed_action_count: int | None
    sealed_chain_head: str | None
    sealed_at: str | None
    read_at: str


def attempt_heads(shift_id: int | None = None, *, now: datetime | None = None) -> list[HeadRow]:
    """Every attempt's head (of one shift, or all), one row per seal (one if none), by id."""
    query = sa.select(Attempt).order_by(Attempt.id)
    if shift_id is not None:
        query = query.where(Attempt.shift_id == shift_id)
    read_at = _moment(now or clock.now())
    rows = []
    for attempt in db.session.scalars(query):
        base = {
            "attempt_id": attempt.id,
            "shift_id": attempt.shift_id,
            "candidate": attempt.candidate.username,
            "action_count": attempt.action_count,
            "chain_head": attempt.chain_head,
            "read_at": read_at,
        }
        seals = seals_of(attempt.id)
        if not seals:
            rows.append(
                HeadRow(
                    **base,
                    sealed_by=None,
                    sealed_action_count=None,
                    sealed_chain_head=None,
                    sealed_at=None,
                )
            )
        for seal in seals:
            rows.append(
                HeadRow(
                    **base,
                    sealed_by=f"{seal.kind} {seal.name}",
                    sealed_action_count=seal.action_count,
                    sealed_chain_head=seal.chain_head,
                    sealed_at=_moment(seal.sealed_at),
                )
            )
    return rows


def heads_table(rows: list[HeadRow]) -> list[list]:
    """The rows as a table, header first (for crm.csv_export)."""
    return [list(FIELDS)] + [[_cell(getattr(row, name)) for name in FIELDS] for row in rows]


def heads_json(rows: list[HeadRow]) -> str:
    """The rows as a JSON list of objects."""
    return json.dumps([asdict(row) for row in rows], indent=2, ensure_ascii=False)


class HeadsFileError(ValueError):
    """A heads export that cannot be read (its message says where)."""


def read_heads(text: str, source: str) -> dict[int, list[Seal]]:
    """attempt id → the heads an export (CSV or JSON, as written above) recorded for it.

    Each row gives the head when read and, if any, the sealed one: the chain must still pass
    through both. `source` names the file in the seals (and so in verification messages).
    """
    records = _records(text.lstrip("\ufeff"))
    heads: dict[int, list[Seal]] = {}
    for number, record in enumerate(records, start=1):
        try:
            attempt_id = int(record["attempt_id"])
            read_at = _parse_moment(record["read_at"])
            found = [
                Seal(
                    int(record["action_count"]),
                    str(record["chain_head"]),
                    "export",
                    source,
                    read_at,
                )
            ]
            if record.get("sealed_chain_head"):
                found.append(
                    Seal(
                        int(record["sealed_action_count"]),
                        str(record["sealed_chain_head"]),
                        "export",
                        f"{source}, {record.get('sealed_by') or 'sealed'}",
                        _parse_moment(record["sealed_at"]),
                    )
                )
        except (KeyError, TypeError, ValueError) as error:
            raise HeadsFileError(f"{source}: row {number}: {error!r}") from None
        heads.setdefault(attempt_id, []).extend(found)
    return heads


def _records(text: str) -> list[dict]:
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as error:
            raise HeadsFileError(f"not JSON: {error}") from None
        if not all(isinstance(r, dict) for r in records):
            raise HeadsFileError("a JSON list of objects is expected")
        return records
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    missing = set(FIELDS) - set(reader.fieldnames or ())
    if missing:
        raise HeadsFileError(f"columns missing: {', '.join(sorted(missing))}")
    return list(reader)


def _cell(value) -> str:
    return "" if value is None else str(value)


def _moment(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds")


def _parse_moment(value) -> datetime:
    return datetime.fromisoformat(str(value))
