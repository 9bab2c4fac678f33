"""The transactional outbox: every domain change writes its event here in the same transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from labelgraph.columns import created_field, id_field, json_field, time_field

# events of these resources are matched against triggers; the others are marked matched when written
TRIGGER_RESOURCES = frozenset({"item", "dataset", "annotation", "item_status", "task", "assignment"})


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"
    __table_args__ = (  # SQLite also has ix_outbox_pending (published_at, id): see OutboxPending
        Index("ix_outbox_unmatched", "matched_at", "id"),
        Index("ix_outbox_entity", "entity_id", "id"),  # an entity's history (subscriptions fill gaps from it)
    )
    id: str = id_field()  # time-sortable: the delivery order
    project_id: str | None = Field(default=None, max_length=40, index=True)
    resource: str = Field(max_length=20)  # item | dataset | annotation | item_status | task | …
    action: str = Field(max_length=20)  # created | updated | deleted | status_changed | clone
    entity_id: str = Field(max_length=40)
    payload: dict = json_field()
    created_at: datetime = created_field()
    # SQLite: set when published. PostgreSQL: set by the sweep; an event published after commit loses its
    # OutboxPending row instead
    published_at: datetime | None = time_field()
    matched_at: datetime | None = time_field()  # set when trigger matching has handled the event


class OutboxPending(SQLModel, table=True):
    """Used on PostgreSQL only (SQLite keeps ``published_at IS NULL`` and its index ``ix_outbox_pending``: a row trigger
    there costs more than the UPDATE it saves; its ``outbox_pending`` stays empty). The ids of the outbox events
    not yet published: a row is written for every event inserted with a null ``published_at`` (a database trigger
    on ``outbox_event``, migration 0014, whatever writes the event: the unit of work, an import's COPY, a test)
    and deleted once the event is published. Marking 2,000 events published is a DELETE of 2,000 narrow rows here
    instead of rewriting 2,000 event rows with an entry in each of their indexes (bench/README.md, "branch
    bulk5"). An event is published when it has no row here."""

    __tablename__ = "outbox_pending"
    id: str = id_field()
