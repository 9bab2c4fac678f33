"""versions: dataset_version (a named frozen copy of a dataset) and dataset.version_of (the hidden dataset holding
a version's rows)

Revision ID: 0009_versions
Revises: 0008_jobs
Create Date: 2026-12-01 15:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_versions'
down_revision: str | None = '0008_jobs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dataset') as batch:
        batch.add_column(sa.Column('version_of', sa.String(length=40), nullable=True))
        batch.create_foreign_key('fk_dataset_version_of', 'dataset', ['version_of'], ['id'], ondelete='CASCADE')
        batch.create_index('ix_dataset_version_of', ['version_of'])
    op.create_table('dataset_version',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('project_id', sa.String(length=40), nullable=False),
    sa.Column('dataset_id', sa.String(length=40), nullable=False),
    sa.Column('snapshot_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('items_count', sa.Integer(), nullable=False),
    sa.Column('annotations_count', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['dataset.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dataset_id', 'name'),
    )
    op.create_index('ix_dataset_version_project_id', 'dataset_version', ['project_id'])
    op.create_index('ix_dataset_version_dataset_id', 'dataset_version', ['dataset_id'])


def downgrade() -> None:
    op.drop_table('dataset_version')
    with op.batch_alter_table('dataset') as batch:
        batch.drop_index('ix_dataset_version_of')
        batch.drop_constraint('fk_dataset_version_of', type_='foreignkey')
        batch.drop_column('version_of')
