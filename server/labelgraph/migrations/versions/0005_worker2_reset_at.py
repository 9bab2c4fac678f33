"""service.reset_at: when the service was last reset (an update or a pause; a resume is not one), the instant
its drainTime counts from for the runs started before it

Revision ID: 0005_worker2
Revises: 0004
Create Date: 2026-12-01 13:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_worker2'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.add_column(sa.Column('reset_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.drop_column('reset_at')
