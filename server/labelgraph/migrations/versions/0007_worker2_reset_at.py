"""service.reset_at: when the service was last reset (an update or a pause; a resume is not one), the instant
its drainTime counts from for the runs started before it; execution_log: what functions print and log, and
execution.log_bytes/log_dropped (LABELGRAPH_MAX_LOG_BYTES)

Revision ID: 0007_worker2
Revises: 0006_filters_split
Create Date: 2026-12-01 13:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_worker2'
down_revision: str | None = '0006_filters_split'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('service') as batch:
        batch.add_column(sa.Column('reset_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('execution') as batch:
        batch.add_column(sa.Column('log_bytes', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('log_dropped', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('execution_log',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('execution_id', sa.String(length=40), nullable=False),
    sa.Column('service_id', sa.String(length=40), nullable=False),
    sa.Column('project_id', sa.String(length=40), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stream', sa.String(length=10), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['execution_id'], ['execution.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_execution_log_execution', 'execution_log', ['execution_id', 'at', 'id'])
    op.create_index('ix_execution_log_service', 'execution_log', ['service_id', 'at', 'id'])
    op.create_index('ix_execution_log_at', 'execution_log', ['at'])


def downgrade() -> None:
    op.drop_table('execution_log')
    with op.batch_alter_table('execution') as batch:
        batch.drop_column('log_dropped')
        batch.drop_column('log_bytes')
    with op.batch_alter_table('service') as batch:
        batch.drop_column('reset_at')
