"""Tables of item content: the stored blobs (one row per distinct sha256) and direct uploads in progress."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from labelgraph.columns import created_field, fk, id_field, json_field, time_field


class Blob(SQLModel, table=True):
    """Bytes kept in storage under their sha256. Items reference a blob by ``item.sha256``; a blob no item
    references and not used for ``LABELGRAPH_BLOB_GRACE_SECONDS`` is deleted by the scheduler."""

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    mimetype: str = Field(max_length=200)
    probe: dict = json_field()  # width, height, fps, duration, probeError
    created_at: datetime = created_field()
    used_at: datetime = created_field()  # last time an upload stored or reused it (the grace period's start)


class ItemUpload(SQLModel, table=True):
    """A direct upload: the client PUTs its parts to the URLs handed out, then ``itemsCreate`` commits it."""

    __tablename__ = "item_upload"
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    dataset_id: str = fk("dataset.id")
    name: str = Field(max_length=512)
    dir: str = Field(max_length=2048)
    size: int = Field(sa_type=BigInteger)
    sha256: str | None = Field(default=None, max_length=64)
    mimetype: str | None = Field(default=None, max_length=200)
    part_size: int = Field(sa_type=BigInteger)
    parts: int
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    expires_at: datetime = time_field(nullable=False)
