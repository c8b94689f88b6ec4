"""Numbers handed to the client: return authorisations, credit notes, tracking numbers."""

from __future__ import annotations

import sqlalchemy as sa

from crm.db import db
from crm.training.locking import lock_attempt


def next_number(column, attempt_column, attempt_id: int, prefix: str, width: int = 5) -> str:
    """<prefix><n>, after every number of the attempt that starts with the prefix.

    The attempt's row is locked first, so two writers of one attempt never compute the same.
    """
    lock_attempt(attempt_id)
    numbers = db.session.scalars(
        sa.select(column).where(attempt_column == attempt_id, column.like(prefix + "%"))
    )
    suffixes = (n[len(prefix) :] for n in numbers)
    seq = max((int(s) for s in suffixes if s.isdigit()), default=0) + 1
    return f"{prefix}{seq:0{width}d}"
