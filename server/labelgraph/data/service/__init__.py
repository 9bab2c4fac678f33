"""Writes of the data domain: the only code that changes organizations, projects, datasets, items and
annotations. One module per entity (``organizations``, ``projects``, ``datasets``, ``items``, ``annotations``,
``versions`` with splits; ``copy``: the set-based row copy of clones, merges and versions), what they share in
``common``. Every function takes the caller's UnitOfWork (one transaction) and one typed command from
``labelgraph.data.commands``, validates everything before writing anything, keeps the dataset/item counters
exact and records outbox events."""

from labelgraph.data.service.annotations import (
    create_annotations,
    delete_annotations,
    update_annotation,
    update_annotations,
)
from labelgraph.data.service.copy import CopyResult, copy_dataset_rows
from labelgraph.data.service.datasets import create_dataset, delete_dataset, update_dataset
from labelgraph.data.service.items import (
    create_items,
    delete_items,
    delete_items_where,
    update_item,
    update_items,
)
from labelgraph.data.service.organizations import create_organization, delete_organization, update_organization
from labelgraph.data.service.projects import create_project, delete_project, update_project
from labelgraph.data.service.versions import create_version, set_items_split, split_dataset

__all__ = [
    "CopyResult", "copy_dataset_rows", "create_version", "set_items_split", "split_dataset",
    "delete_items_where", "update_annotations", "update_items",
    "create_annotations", "create_dataset", "create_items", "create_organization", "create_project",
    "delete_annotations", "delete_dataset", "delete_items", "delete_organization", "delete_project",
    "update_annotation", "update_dataset", "update_item", "update_organization", "update_project",
]
