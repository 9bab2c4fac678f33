"""What the data service's modules share: the tables, batch limits, read-only datasets and counters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.data import models as m
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid, raise_if
from labelgraph.graph.pagination import in_ids
from labelgraph.identity.models import OrganizationMember, ProjectMember

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
    if dataset.readonly:
        raise Problems.one("CONFLICT", f"dataset {dataset.id} is read-only; set readonly: false first", [field])


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
    readonly = (await uow.conn.execute(sa.select(DATASET.c.id).where(
        in_ids(DATASET.c.id, list(dataset_ids), dialect_of(uow)), DATASET.c.readonly.is_(True)))).scalars().all()
    raise_if([Problem("CONFLICT", f"dataset {d} is read-only; set readonly: false first", [field])
               for d in readonly])


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
