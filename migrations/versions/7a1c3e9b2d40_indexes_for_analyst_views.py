"""Indexes for the analyst views at 100,000 answers

Revision ID: 7a1c3e9b2d40
Revises: dc605911b156
Create Date: 2026-11-29 22:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "7a1c3e9b2d40"
down_revision = "dc605911b156"
branch_labels = None
depends_on = None

CODED = "codebook_version IS NOT NULL"


def upgrade():
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.create_index(
            "ix_encounter_consultation_date", ["consultation_id", "held_on", "id"], unique=False
        )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_encounter_id")
        batch_op.create_index(
            "ix_submission_encounter_cover",
            ["encounter_id", "id", "age_band", "received_on"],
            unique=False,
        )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_coded",
            ["submission_id", "question_id", "codebook_version", "line_mask"],
            unique=False,
            sqlite_where=sa.text(CODED),
            postgresql_where=sa.text(CODED),
        )


def downgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_coded")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_encounter_cover")
        batch_op.create_index("ix_submission_encounter_id", ["encounter_id"], unique=False)
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.drop_index("ix_encounter_consultation_date")
