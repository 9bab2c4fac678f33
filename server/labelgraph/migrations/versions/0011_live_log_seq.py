"""execution_log.seq: each kept line's place in its execution's log (1, 2, …), and execution.log_lines, the last
one given; ``executionLogs`` follows a log by it (backlog, then live lines, none lost or repeated at the boundary).
Existing lines are numbered in their (at, id) order.

Revision ID: 0011_live
Revises: 0008_jobs
Create Date: 2026-12-01 15:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_live'
down_revision: str | None = '0008_jobs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('execution_log') as batch:
        batch.add_column(sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('execution') as batch:
        batch.add_column(sa.Column('log_lines', sa.Integer(), nullable=False, server_default='0'))
    op.execute("""UPDATE execution_log SET seq = (SELECT count(*) FROM execution_log AS earlier
                  WHERE earlier.execution_id = execution_log.execution_id
                    AND (earlier.at < execution_log.at OR (earlier.at = execution_log.at
                                                           AND earlier.id <= execution_log.id)))""")
    op.execute("""UPDATE execution SET log_lines = (SELECT count(*) FROM execution_log
                  WHERE execution_log.execution_id = execution.id)""")
    op.create_index('ix_execution_log_seq', 'execution_log', ['execution_id', 'seq'])


def downgrade() -> None:
    op.drop_index('ix_execution_log_seq', table_name='execution_log')
    with op.batch_alter_table('execution') as batch:
        batch.drop_column('log_lines')
    with op.batch_alter_table('execution_log') as batch:
        batch.drop_column('seq')
