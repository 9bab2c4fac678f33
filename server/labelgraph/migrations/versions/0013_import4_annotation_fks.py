"""PostgreSQL: annotation's foreign keys to project and dataset dropped (``annotation_project_id_fkey``,
``annotation_dataset_id_fkey``). They repeat what ``annotation_item_id_fkey`` already guarantees (an annotation's
item exists, and that item belongs to the dataset and project: ``item``'s own foreign keys), and deleting a
project or dataset still deletes its annotations, through their items (``ON DELETE CASCADE`` on item → dataset
→ project and annotation → item). Each foreign key is a trigger run for every row written: on a bulk import they
were half of PostgreSQL's work (bench/README.md, "import4"). The columns and their indexes stay (queries filter on
them). SQLite keeps its foreign keys (a rebuild of the table for a cost that is an index probe there).

Revision ID: 0013_import4
Revises: 0012_filters4
Create Date: 2026-12-01 20:15:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0013_import4'
down_revision: str | None = '0012_filters4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE annotation DROP CONSTRAINT IF EXISTS annotation_project_id_fkey, "
               "DROP CONSTRAINT IF EXISTS annotation_dataset_id_fkey")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE annotation ADD CONSTRAINT annotation_project_id_fkey FOREIGN KEY (project_id) "
               "REFERENCES project (id) ON DELETE CASCADE, ADD CONSTRAINT annotation_dataset_id_fkey FOREIGN KEY "
               "(dataset_id) REFERENCES dataset (id) ON DELETE CASCADE")
