"""SQLite: the values of indexed metadata paths, one row per scalar reached (array elements included), so that
metadata equality on an indexed path is an index lookup there (PostgreSQL answers it with the GIN index of
``datasetIndexCreate``; nothing changes on PostgreSQL).

``item_md_path`` lists the paths whose values are kept (``datasetIndexCreate`` adds one, with the triggers that
keep its rows: data/service/indexes.py); ``item_md_value`` holds ``(path, kind, val, item_id)``: kind 0 number,
1 string, 2 boolean (val 0/1), 4 JSON null (val NULL). ``val`` has no declared type (SQLite keeps integers,
reals and text as given, so ``val = 1`` matches 1 and 1.0 and never "1"). The triggers that keep the rows
(insert, update of metadata, delete) are created by ``datasetIndexCreate`` with the first path: a trigger on
``item`` costs every item write even when trivial, so none exists until a path is indexed.

Revision ID: 0012_filters4
Revises: 0011_live
Create Date: 2026-12-01 19:10:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0012_filters4'
down_revision: str | None = '0011_live'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE TABLE item_md_path (path VARCHAR(200) NOT NULL PRIMARY KEY)")
    op.execute("CREATE TABLE item_md_value (path VARCHAR(200) NOT NULL, kind INTEGER NOT NULL, val, "
               "item_id VARCHAR(40) NOT NULL)")
    op.execute("CREATE INDEX ix_item_md_value_lookup ON item_md_value (path, kind, val, item_id)")
    op.execute("CREATE INDEX ix_item_md_value_item ON item_md_value (item_id, path)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for (name,) in op.get_bind().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr\\_item\\_md\\_%' ESCAPE '\\'").all():
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE item_md_value")
    op.execute("DROP TABLE item_md_path")
