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
    __table_args__ = (
        Index("ix_outbox_pending", "published_at", "id"),
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
    published_at: datetime | None = time_field()
    matched_at: datetime | None = time_field()  # set when trigger matching has handled the event
