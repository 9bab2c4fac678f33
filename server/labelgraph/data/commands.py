"""What the data service is asked to do: typed, immutable commands built by ``data/mutations.py`` from the
GraphQL inputs (or by any other caller: a job, a test). No strawberry here; enums are plain Python enums that
``types.py`` registers with GraphQL."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AnnotationCreate", "AnnotationType", "AnnotationUpdate", "AnnotationsUpdate", "AnnotationsCreate",
    "AnnotationsDelete",
    "DatasetCreate", "DatasetSplit", "DatasetUpdate", "DatasetVersionCreate", "Delete", "ItemsSplitSet",
    "ItemCreate", "ItemUpdate", "ItemsCreate", "ItemsDelete",
    "ItemsDeleteWhere", "ItemsUpdate",
    "OrganizationCreate", "OrganizationUpdate", "ProjectCreate", "ProjectUpdate",
]


class AnnotationType(enum.Enum):
    """The type of an annotation; values are the platform's wire names (stored as is)."""

    BOX = "box"
    CLASSIFICATION = "class"
    POINT = "point"
    POLYGON = "segment"
    POLYLINE = "polyline"
    SEGMENTATION = "binary"
    ELLIPSE = "ellipse"
    CUBE = "cube"
    CUBE_3D = "cube_3d"
    POSE = "pose"
    NOTE = "note"
    SUBTITLE = "subtitle"
    TEXT = "text_mark"
    COMPARISON = "comparison"
    DESCRIPTION = "item_description"


Json = Any  # a decoded JSON value, checked by jsonvalues on the way in

command = dataclass(frozen=True, kw_only=True, slots=True)


@command
class Delete:
    """Delete one organization, project or dataset (with everything it owns): ``confirm`` must be true."""

    id: str
    confirm: bool = False


@command
class OrganizationCreate:
    name: str


@command
class OrganizationUpdate:
    id: str
    name: str | None = None


@command
class ProjectCreate:
    organization_id: str
    name: str
    description: str | None = None


@command
class ProjectUpdate:
    id: str
    name: str | None = None
    description: str | None = None  # "" clears it


@command
class DatasetCreate:
    project_id: str
    name: str
    description: str | None = None
    recipe_id: str | None = None  # None: a default recipe with an empty ontology is created


@command
class DatasetUpdate:
    id: str
    name: str | None = None
    description: str | None = None  # "" clears it
    readonly: bool | None = None
    recipe_id: str | None = None


@command
class ItemCreate:
    name: str
    dir: str | None = "/"
    mimetype: str | None = None
    metadata: Json = None  # the item's metadata.user space
    hidden: bool | None = False
    description: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None


@command
class ItemsCreate:
    dataset_id: str
    items: Sequence[ItemCreate]
    limit: int  # at most this many per call (settings.max_batch_size)


@command
class ItemUpdate:
    id: str
    name: str | None = None
    dir: str | None = None
    hidden: bool | None = None
    description: str | None = None  # "" clears it
    metadata: Json = None  # merged into metadata.user key by key; a null value removes that key


@command
class ItemsDelete:
    ids: Sequence[str]
    limit: int
    dataset_id: str | None = None  # the ids must be items of this dataset


@command
class ItemsDeleteWhere:
    """Delete every item of one dataset that ``filter`` (a filterspec node) selects, with one DELETE."""
    dataset_id: str
    filter: Any


@command
class ItemsUpdate:
    """Change every item of one dataset that ``ids`` names or ``filter`` (graph/filterspec's one structure,
    from a typed filter or a DQL document) selects: one transaction, a fixed number of statements."""
    dataset_id: str
    ids: Sequence[str] | None = None  # at most ``limit``
    filter: Any = None  # a filterspec node
    metadata: Json = None  # merged into metadata.user key by key; a null value removes that key
    hidden: bool | None = None
    dir: str | None = None  # move there
    limit: int = 1000


@command
class AnnotationCreate:
    item_id: str
    type: AnnotationType
    label: str
    coordinates: Json = None
    attributes: Json = None
    parent_id: str | None = None
    status: str | None = None
    object_id: str | None = None
    frame: int | None = None
    end_frame: int | None = None
    automated: bool | None = False
    description: str | None = None
    metadata: Json = None  # the annotation's metadata.user space


@command
class AnnotationsCreate:
    annotations: Sequence[AnnotationCreate]
    limit: int


@command
class AnnotationUpdate:
    id: str
    type: AnnotationType | None = None
    label: str | None = None
    coordinates: Json = None
    attributes: Json = None
    status: str | None = None
    object_id: str | None = None
    frame: int | None = None
    end_frame: int | None = None
    automated: bool | None = None
    description: str | None = None
    metadata: Json = None


@command
class AnnotationsUpdate:
    annotations: Sequence[AnnotationUpdate]
    limit: int  # at most this many per call (settings.max_batch_size)


@command
class AnnotationsDelete:
    """Delete annotations and their descendants (a pose takes its keypoints with it)."""

    ids: Sequence[str]
    limit: int



@command
class DatasetVersionCreate:
    """Freeze a dataset as it is now (items, metadata, annotations, splits) under ``name``."""
    dataset_id: str
    name: str


@command
class ItemsSplitSet:
    """Set (None: clear) the split of the items of one dataset that ``ids`` names or ``filter`` selects."""
    dataset_id: str
    split: str | None
    ids: Sequence[str] | None = None  # at most ``limit``
    filter: Any = None  # a filterspec node
    limit: int = 1000


@command
class DatasetSplit:
    """Give every item of a dataset a split drawn by ``ratios`` ({name: share}, the shares summing to 1),
    deterministically for ``seed``."""
    dataset_id: str
    ratios: Json
    seed: int = 0
