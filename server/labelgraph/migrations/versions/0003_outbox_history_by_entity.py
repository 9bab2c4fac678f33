"""outbox history by entity: subscriptions fill version gaps of one execution from the outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_outbox_entity', 'outbox_event', ['entity_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_entity', table_name='outbox_event')
