"""What the data service's modules share: the tables, batch limits, read-only datasets and counters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.data import models as m
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid
from labelgraph.graph.pagination import in_ids
from labelgraph.identity.models import OrganizationMember, ProjectMember
from labelgraph.rows import load_for

ORG = m.Organization.__table__
PROJECT = m.Project.__table__
DATASET = m.Dataset.__table__
ITEM = m.Item.__table__
ANNOTATION = m.Annotation.__table__
ORG_MEMBER = OrganizationMember.__table__
PROJECT_MEMBER = ProjectMember.__table__


def dialect_of(uow: UnitOfWork) -> str:
    return uow.conn.dialect.name


def require_each_project(uow: UnitOfWork, project_ids: set[str], permission: str, field: str) -> None:
    for pid in project_ids:
        uow.access.require_project(pid, permission, "project", pid, field)


def require_confirm(confirm: bool, what: str) -> None:
    if not confirm:
        raise invalid(f"deleting {what} cannot be undone: pass confirm: true", "confirm")


def check_writable(dataset: Any, field: str) -> None:
    """The one check of every write to a dataset's rows (items, annotations, content, splits): a version's frozen
    copy is READ_ONLY for good, a dataset marked read-only is a CONFLICT until unmarked. ``dataset``: a row with
    ``id``, ``readonly`` and ``version_of`` (``WRITE_COLUMNS``)."""
    if dataset.version_of is not None:
        raise Problems.one("READ_ONLY", f"dataset {dataset.id} holds a version of dataset {dataset.version_of}: "
                           "versions are read-only", [field])
    if dataset.readonly:
        raise Problems.one("CONFLICT", f"dataset {dataset.id} is read-only; set readonly: false first", [field])


def refuse_version(dataset: Any, field: str) -> None:
    """A version's frozen copy is not renamed, unlocked or deleted on its own (READ_ONLY)."""
    if dataset.version_of is not None:
        check_writable(dataset, field)


WRITE_COLUMNS = ("id", "readonly", "version_of")


async def load_dataset_for_write(uow: UnitOfWork, dataset_id: str, field: str, permission: str = "item.write",
                                 *cols: str) -> Any:
    """The dataset whose rows a write changes: in the caller's scope (NOT_FOUND), the role allows
    ``permission`` (FORBIDDEN), and writable (``check_writable``). ``cols``: more columns to load."""
    dataset = await load_for(uow, DATASET, dataset_id, field, "Dataset", permission, *WRITE_COLUMNS, *cols)
    check_writable(dataset, field)
    return dataset


def check_batch(entries: Sequence[Any], field: str, limit: int) -> None:
    if not entries:
        raise invalid(f"{field} must contain at least one entry", field)
    if len(entries) > limit:
        raise Problems.one("LIMIT_EXCEEDED", f"{field} takes at most {limit} entries per call, got {len(entries)}",
                           [field])


def check_user_metadata(value: Any, field: list[str]) -> Problem | None:
    if value is not None and not isinstance(value, dict):
        return Problem("INVALID", "metadata must be a JSON object (it is the item's metadata.user space)", field)
    return None


async def check_datasets_writable(uow: UnitOfWork, dataset_ids: set[str], field: str) -> None:
    """``check_writable`` for the datasets of rows loaded by their own ids (annotations, items): one query."""
    rows = (await uow.conn.execute(sa.select(*[DATASET.c[c] for c in WRITE_COLUMNS]).where(
        in_ids(DATASET.c.id, list(dataset_ids), dialect_of(uow)),
        sa.or_(DATASET.c.readonly.is_(True), DATASET.c.version_of.is_not(None))))).all()
    for row in rows:
        check_writable(row, field)


async def bump_datasets(uow: UnitOfWork, deltas: dict[str, tuple[int, int]]) -> None:
    """Add (items, annotated items) deltas to dataset counters: one executemany."""
    changes = [{"ds": ds, "n": n, "a": a} for ds, (n, a) in deltas.items() if n or a]
    if not changes:
        return
    await uow.conn.execute(
        sa.update(DATASET).where(DATASET.c.id == sa.bindparam("ds")).values(
            items_count=DATASET.c.items_count + sa.bindparam("n"),
            annotated_count=DATASET.c.annotated_count + sa.bindparam("a")),
        changes,
    )
