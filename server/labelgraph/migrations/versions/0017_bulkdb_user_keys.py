"""PostgreSQL: the foreign keys of item's and annotation's audit columns to ``app_user`` dropped
(``item_created_by_fkey``, ``annotation_created_by_fkey``, ``annotation_updated_by_fkey``), as 0013_import4 and
0015_bulk5 dropped the project keys.

Each was a trigger run for every row written — an index probe and a ``FOR KEY SHARE`` lock of the same user row,
1,000 times per bulk call: ~12 ms of the database's CPU per 1,000 annotations COPYed (two keys; the COPY with null
users took 21 ms instead of 35) and ~5 per 1,000 items, the whole excess of those COPYs over the driver's floor
(bench/README.md, "branch bulkdb"). What they guarded cannot happen through the API: the value written is the
authenticated principal (or null for the platform itself), and no code path deletes a user (their
``ON DELETE SET NULL`` never ran). The columns are read by no query (copies carry them over). The columns stay;
SQLite keeps its keys (a rebuild of both tables for what is an index probe in the process there).

Revision ID: 0017_bulkdb_keys
Revises: 0016_bulkdb
Create Date: 2026-12-02 01:45:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0017_bulkdb_keys'
down_revision: str | None = '0016_bulkdb'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE item DROP CONSTRAINT IF EXISTS item_created_by_fkey")
    op.execute("ALTER TABLE annotation DROP CONSTRAINT IF EXISTS annotation_created_by_fkey, "
               "DROP CONSTRAINT IF EXISTS annotation_updated_by_fkey")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE item ADD CONSTRAINT item_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_user (id) "
               "ON DELETE SET NULL")
    op.execute("ALTER TABLE annotation ADD CONSTRAINT annotation_created_by_fkey FOREIGN KEY (created_by) REFERENCES "
               "app_user (id) ON DELETE SET NULL, ADD CONSTRAINT annotation_updated_by_fkey FOREIGN KEY (updated_by) "
               "REFERENCES app_user (id) ON DELETE SET NULL")
