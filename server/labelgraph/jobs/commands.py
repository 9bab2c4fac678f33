"""What the jobs service is asked to do: typed, immutable commands built by ``jobs/mutations.py`` from the
GraphQL inputs (or by a test, a script). No strawberry here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class DatasetClone:
    dataset_id: str
    name: str
    project_id: str | None = None
    filter: Any = None  # the item filter's JSON form (graph/filterspec.to_json) or a DQL document
    with_annotations: bool = True
    with_metadata: bool = True
    with_item_statuses: bool = False


@dataclass(frozen=True, kw_only=True)
class DatasetsMerge:
    dataset_ids: tuple[str, ...]
    name: str
    with_annotations: bool = True


@dataclass(frozen=True, kw_only=True)
class CommandAbort:
    id: str
