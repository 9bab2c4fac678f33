"""PostgreSQL: the outbox's pending events in a narrow table of their own (``outbox_pending``: the ids of the
events not yet published) instead of ``published_at IS NULL`` on ``outbox_event`` and its index
``ix_outbox_pending``.

Marking events published used to rewrite each event row (its payload included) with a new entry in each of the
table's 5 indexes — on a bulk write the largest single cost in the database (bench/README.md, "branch bulk5").
Now the dispatcher deletes the events' ids from ``outbox_pending``. A trigger on ``outbox_event`` writes the
pending row for every event inserted with a null ``published_at``, whoever inserts it (the unit of work, an
import's COPY, a job): one statement-level trigger with a transition table (one INSERT … SELECT per statement).
``published_at`` stays and is still set by the sweep; an event published right after its commit keeps a null
``published_at`` and has no pending row. Existing unpublished events get their pending rows. PostgreSQL only: on
SQLite a row trigger writing the pending rows cost more than the UPDATE it saved (bench/README.md, "branch
bulk5"), so SQLite keeps ``published_at IS NULL`` and ``ix_outbox_pending`` (its ``outbox_pending`` stays empty).

Also, on PostgreSQL, ``item_project_id_fkey`` is dropped, as 0013 dropped annotation's: an item's project is its
dataset's (``item_dataset_id_fkey`` stays, and the dataset's own key ties it to the project; deleting a project
still deletes its items through their datasets), and the key was a trigger run for every item written (~5 ms of
the database's CPU per 1,000 items COPYed, bench/README.md "branch bulk5"). The column and its index stay.

Revision ID: 0015_bulk5
Revises: 0014_long
Create Date: 2026-12-01 22:20:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015_bulk5'
down_revision: str | None = '0014_long'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox_pending', sa.Column('id', sa.String(length=40), nullable=False),
                    sa.PrimaryKeyConstraint('id'))
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: the table stays empty (a row trigger costs more than the UPDATE it would save, measured)
    op.execute("INSERT INTO outbox_pending (id) SELECT id FROM outbox_event WHERE published_at IS NULL")
    op.execute("CREATE FUNCTION outbox_pending_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "INSERT INTO outbox_pending (id) SELECT id FROM new_events WHERE published_at IS NULL; "
               "RETURN NULL; END $$")
    op.execute("CREATE TRIGGER outbox_pending_insert AFTER INSERT ON outbox_event REFERENCING NEW TABLE AS "
               "new_events FOR EACH STATEMENT EXECUTE FUNCTION outbox_pending_insert()")
    op.drop_index('ix_outbox_pending', table_name='outbox_event')
    op.execute("ALTER TABLE item DROP CONSTRAINT IF EXISTS item_project_id_fkey")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.drop_table('outbox_pending')
        return
    op.execute("ALTER TABLE item ADD CONSTRAINT item_project_id_fkey FOREIGN KEY (project_id) REFERENCES "
               "project (id) ON DELETE CASCADE")
    op.execute("DROP TRIGGER IF EXISTS outbox_pending_insert ON outbox_event")
    op.execute("DROP FUNCTION IF EXISTS outbox_pending_insert()")
    op.execute("UPDATE outbox_event SET published_at = created_at WHERE published_at IS NULL AND id NOT IN "
               "(SELECT id FROM outbox_pending)")
    op.drop_table('outbox_pending')
    op.create_index('ix_outbox_pending', 'outbox_event', ['published_at', 'id'], unique=False)
