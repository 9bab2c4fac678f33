"""filters: Item.split (train / validation / test or any name), filterable as ItemFilter.split

Revision ID: 0006_filters_split
Revises: 0005_content
Create Date: 2026-12-01 13:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_filters_split'
down_revision: str | None = '0005_content'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('item') as batch:
        batch.add_column(sa.Column('split', sa.String(length=100), nullable=True))
    op.create_index('ix_item_dataset_split', 'item', ['dataset_id', 'split'])


def downgrade() -> None:
    op.drop_index('ix_item_dataset_split', table_name='item')
    with op.batch_alter_table('item') as batch:
        batch.drop_column('split')
