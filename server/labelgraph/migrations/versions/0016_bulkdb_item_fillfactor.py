"""PostgreSQL: the item table's pages are filled to half (``fillfactor = 50``), so that the update of an item's
annotation counters (``annotations_count``, ``annotated``: every ``annotationsCreate`` / ``annotationsDelete``, an
import) is a HOT update — the new row version in the same page, no new entry in any of the table's 8 indexes.

A HOT update needs two things: no indexed column changed (the counter update no longer sets ``updated_at``, which
``ix_item_dataset_updated`` holds: an item's ``updatedAt`` is the last change of its own fields, see
data/service/annotations.py) and room for the new version in the page. Items arrive in bulk (``itemsCreate``'s
COPY, imports) and fill their pages to the brim, so the first annotations of fresh items moved each of them to a
new page with 8 new index entries. Measured (bench/README.md, "branch bulkdb"; backends' CPU per 1,000 items
updated in annotationsCreate): ~32–40 ms before, ~12 ms after, all updates HOT. Size: the item rows moved that way
left their old pages empty until vacuum, so a dataset annotated once already took about twice its pages (measured:
6.4 MB before, 6.7 MB after for 10,000 items annotated once); items never annotated now take twice theirs instead.
Only pages written from now on are affected. SQLite has no fillfactor (there, leaving ``updated_at`` alone spares
the update of one index).

Revision ID: 0016_bulkdb
Revises: 0015_bulk5
Create Date: 2026-12-02 01:15:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0016_bulkdb'
down_revision: str | None = '0015_bulk5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE item SET (fillfactor = 50)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE item RESET (fillfactor)")
