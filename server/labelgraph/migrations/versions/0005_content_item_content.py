"""item content: blobs stored by sha256, direct uploads in progress, the item's sha256/fps/duration

Revision ID: 0005_content
Revises: 0004
Create Date: 2026-12-01 12:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = '0005_content'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mimetype', sa.String(length=200), nullable=False),
    sa.Column('probe', JSON, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_table('item_upload',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('project_id', sa.String(length=40), nullable=False),
    sa.Column('dataset_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=512), nullable=False),
    sa.Column('dir', sa.String(length=2048), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('mimetype', sa.String(length=200), nullable=True),
    sa.Column('part_size', sa.BigInteger(), nullable=False),
    sa.Column('parts', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_item_upload_project_id', 'item_upload', ['project_id'])
    op.add_column('item', sa.Column('sha256', sa.String(length=64), nullable=True))
    op.add_column('item', sa.Column('fps', sa.Float(), nullable=True))
    op.add_column('item', sa.Column('duration', sa.Float(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':  # files over 2 GiB (SQLite's INTEGER is 64-bit already)
        op.alter_column('item', 'size', type_=sa.BigInteger(), existing_nullable=True)
    op.create_index('ix_item_sha256', 'item', ['sha256'])


def downgrade() -> None:
    op.drop_index('ix_item_sha256', 'item')
    with op.batch_alter_table('item') as batch:
        batch.drop_column('duration')
        batch.drop_column('fps')
        batch.drop_column('sha256')
    if op.get_bind().dialect.name == 'postgresql':
        op.alter_column('item', 'size', type_=sa.Integer(), existing_nullable=True)
    op.drop_index('ix_item_upload_project_id', 'item_upload')
    op.drop_table('item_upload')
    op.drop_table('blob')
