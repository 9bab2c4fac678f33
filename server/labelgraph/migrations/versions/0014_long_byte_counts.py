"""Byte counts as 64-bit integers on PostgreSQL (GraphQL ``Long``): ``execution.log_bytes`` and
``execution.log_dropped`` (a function printing past LABELGRAPH_MAX_LOG_BYTES adds up its dropped bytes: 2 GiB of
output overflowed the 32-bit column, and every later log batch of that execution failed) and
``package_codebase.size`` (archives are at most 50 MiB today; widened so that no byte count is 32-bit). The item,
blob and upload sizes are BIGINT already (0005_content). SQLite's INTEGER is 64-bit: nothing to do there.

Revision ID: 0014_long
Revises: 0013_import4
Create Date: 2026-12-01 22:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014_long'
down_revision: str | None = '0013_import4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("execution", "log_bytes"), ("execution", "log_dropped"), ("package_codebase", "size"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)
