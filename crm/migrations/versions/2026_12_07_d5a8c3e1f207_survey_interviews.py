"""Survey interviews: one respondent's run through an outbound campaign's questionnaire

The questionnaire itself is the campaign's (`campaign.settings.survey`, seeded from the pack's
`surveys:` section); this table holds each interview's answers and how it ended (crm.surveys).

Revision ID: d5a8c3e1f207
Revises: d5a8c3e1f942
Create Date: 2026-12-07 19:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d5a8c3e1f207"
down_revision = "d5a8c3e1f942"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "survey_interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=60), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("current", sa.String(length=60), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status in ('in_progress', 'completed', 'over_quota', 'refused', 'postponed', "
            "'abandoned')",
            name=op.f("ck_survey_interview_status"),
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
            name=op.f("fk_survey_interview_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_survey_interview_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_survey_interview_client_id_client")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_survey_interview_contact_id_contact")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_interview")),
    )
    with op.batch_alter_table("survey_interview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_interview_attempt_id"), ["attempt_id"])
        batch_op.create_index(batch_op.f("ix_survey_interview_campaign_id"), ["campaign_id"])
        batch_op.create_index(batch_op.f("ix_survey_interview_contact_id"), ["contact_id"])


def downgrade():
    with op.batch_alter_table("survey_interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_interview_contact_id"))
        batch_op.drop_index(batch_op.f("ix_survey_interview_campaign_id"))
        batch_op.drop_index(batch_op.f("ix_survey_interview_attempt_id"))
    op.drop_table("survey_interview")
