"""Tables of the data domain: datasets, items and annotations (organizations, projects, users, members and
tokens are identity's: identity/models.py). SQLModel tables only; GraphQL types live in types.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from labelgraph.columns import created_field, fk, id_field, json_field
from labelgraph.identity.models import Organization, Project  # noqa: F401  (identity's tables, used here by name)


class Dataset(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: str = id_field()
    project_id: str = fk("project.id")
    name: str = Field(max_length=200)
    description: str | None = None
    recipe_id: str | None = fk("recipe.id", nullable=True, ondelete="SET NULL")
    readonly: bool = False
    # a version's frozen copy (data/service/versions.py): the dataset it was taken of; never listed, never written
    version_of: str | None = fk("dataset.id", nullable=True, index=True)
    # maintained by the data service in the same transaction as the items/annotations they count
    items_count: int = 0
    annotated_count: int = 0
    meta: dict = json_field("metadata")
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Item(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("dataset_id", "filename"),
        Index("ix_item_dataset_created", "dataset_id", "created_at", "id"),
        Index("ix_item_dataset_name", "dataset_id", "name", "id"),
        Index("ix_item_dataset_updated", "dataset_id", "updated_at", "id"),
        Index("ix_item_dataset_split", "dataset_id", "split"),
    )
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    dataset_id: str = fk("dataset.id")
    name: str = Field(max_length=512)
    dir: str = Field(max_length=2048)
    filename: str = Field(max_length=2600)
    type: str = Field(default="file", max_length=10)  # file | dir
    hidden: bool = False
    mimetype: str | None = Field(default=None, max_length=200)  # mirrors metadata.system.mimetype
    size: int | None = Field(default=None, sa_type=BigInteger)
    width: int | None = None
    height: int | None = None
    description: str | None = None
    meta: dict = json_field("metadata")  # {"system": {...}, "user": {...}}
    annotated: bool = False
    annotations_count: int = 0
    storage_key: str | None = Field(default=None, max_length=400)
    # item content (data/content.py): the stored blob's sha256, and what probing a video found
    sha256: str | None = Field(default=None, max_length=64, index=True)
    fps: float | None = None
    duration: float | None = None
    # no foreign key on PostgreSQL since 0017_bulkdb_keys (a row trigger on every bulk write; never deleted users)
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
    split: str | None = Field(default=None, max_length=100)  # train / validation / test or any name


class Annotation(SQLModel, table=True):
    __table_args__ = (
        Index("ix_annotation_item_created", "item_id", "created_at", "id"),
        Index("ix_annotation_dataset_label", "dataset_id", "label"),
    )
    id: str = id_field()
    # project_id, dataset_id: no foreign key on PostgreSQL since 0013_import4 (item_id's carries them: a row
    # trigger each on every bulk write); deleting a project or dataset deletes the annotations through their items
    project_id: str = fk("project.id", index=True)
    dataset_id: str = fk("dataset.id")
    item_id: str = fk("item.id")
    parent_id: str | None = fk("annotation.id", nullable=True, index=True)
    type: str = Field(max_length=20)  # wire value: box, class, segment, binary, …
    label: str = Field(max_length=400)
    coordinates: object = json_field(default=list)
    attributes: dict | None = json_field(nullable=True)
    status: str | None = Field(default=None, max_length=20)  # issue | approved | review
    object_id: str | None = Field(default=None, max_length=100)
    frame: int | None = None
    end_frame: int | None = None
    automated: bool = False
    description: str | None = None
    meta: dict = json_field("metadata")
    # created_by, updated_by: no foreign key on PostgreSQL since 0017_bulkdb_keys, as item.created_by
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    updated_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class DatasetVersion(SQLModel, table=True):
    """A named, frozen copy of a dataset: its rows live in a hidden dataset (``snapshot_id``, whose
    ``version_of`` is the dataset) written once by a set-based copy and refused every write after."""

    __tablename__ = "dataset_version"
    __table_args__ = (UniqueConstraint("dataset_id", "name"),)
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    dataset_id: str = fk("dataset.id", index=True)
    snapshot_id: str = fk("dataset.id")
    name: str = Field(max_length=200)
    items_count: int = 0
    annotations_count: int = 0
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
