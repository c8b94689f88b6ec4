"""Who plays the customer of a call or a written conversation: a role-player's claim."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.auth.models import User
from crm.db import UTCDateTime, WorldMixin, db


class RolePlay(WorldMixin, db.Model):
    """A trainer or an evaluator playing the customer of one call or one conversation."""

    __tablename__ = "role_play"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Exactly one of the call and the conversation is set (a check constraint says so).
    call_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("call.id", ondelete="CASCADE"), unique=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conversation.id", ondelete="CASCADE"), unique=True
    )
    player_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    player: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(call_id is null) <> (conversation_id is null)", name="one_object"),
    )

    def player_dict(self) -> dict:
        """Who plays, as the console and the API show it."""
        return {
            "id": self.player_id,
            "username": self.player.username,
            "display_name": self.player.display_name,
            "taken_at": self.taken_at.isoformat(timespec="milliseconds"),
        }
