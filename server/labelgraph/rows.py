"""Loading the row a write acts on, for every slice's service.py: the id must carry the type's prefix, the row
must exist, and (for project-scoped rows) the caller's role must allow the write. What the caller cannot see is
"not found", with the same message as an id that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.db import UnitOfWork
from labelgraph.errors import MAX_PROBLEMS, Problem, Problems
from labelgraph.graph.pagination import in_ids
from labelgraph.ids import type_of

# identity's organization table by name (rows sits below the slices): its id is all load_org reads
ORGANIZATION = sa.table("organization", sa.column("id"))
__all__ = ["MAX_PROBLEMS", "load_for", "load_org", "load_row", "load_within", "require_unique_name"]


async def load_row(uow: UnitOfWork, table: sa.Table, id_: str, field: str, what: str, *cols: str,
                   scope: Sequence[sa.ColumnElement] = ()) -> Any:
    """The row of ``table`` with ``id_`` (only ``cols`` when given) within ``scope``; NOT_FOUND naming ``field``
    otherwise (see ``load_within``)."""
    return (await load_within(uow, table, what, [(id_, [field])], scope, "", *cols))[id_]


async def load_for(uow: UnitOfWork, table: sa.Table, id_: str, field: str, what: str, permission: str,
                   *cols: str) -> Any:
    """A project-scoped row the caller may ``permission`` (auth.PROJECT_PERMISSIONS): NOT_FOUND when the caller
    cannot read it (its project, or for annotators a task or assignment not theirs), FORBIDDEN when its role
    may not. ``cols``: the columns needed (default: all)."""
    project_col = "id" if table.name == "project" else "project_id"
    row = await load_row(uow, table, id_, field, what, *((project_col, *cols) if cols else ()),
                         scope=uow.access.scope(what, table, project_col))
    uow.access.require_project(getattr(row, project_col), permission, what.lower(), id_, field)
    return row


async def load_org(uow: UnitOfWork, id_: str, field: str, permission: str) -> Any:
    """An organization the caller may ``permission`` (auth.ORG_PERMISSIONS): NOT_FOUND when the caller is not in
    it, FORBIDDEN when its role may not."""
    row = await load_row(uow, ORGANIZATION, id_, field, "Organization")
    uow.access.require_org(id_, permission, id_, field)
    return row


async def load_within(uow: UnitOfWork, table: sa.Table, what: str, refs: Sequence[tuple[str, list[str]]],
                      scope: Sequence[sa.ColumnElement], place: str = "", *cols: str) -> dict[str, Any]:
    """The rows of ``table`` (type ``what``) for ``refs`` — (id, field path) pairs — that lie within ``scope``
    (conditions: this project, this dataset, what the caller can read …), by id. Any other id is NOT_FOUND naming
    its field with the message of an id that does not exist: an id outside the scope — another tenant's, or one
    the caller reads elsewhere — must not tell what exists there. ``place`` ends the message ("in this
    project"); ``cols``: the columns needed (default: all)."""
    malformed = [Problem("NOT_FOUND", f"{'.'.join(field)} {id_!r} is not the id of a {what}", field)
                 for id_, field in refs if type_of(id_) != what]
    if malformed:
        raise Problems(malformed[:MAX_PROBLEMS])
    columns = [table.c[c] for c in dict.fromkeys(("id", *cols))] if cols else [table]
    wanted = list({id_ for id_, _ in refs})
    rows = {r.id: r for r in (await uow.conn.execute(sa.select(*columns).where(
        in_ids(table.c.id, wanted, uow.conn.dialect.name), *scope))).all()} if wanted else {}
    missing = [Problem("NOT_FOUND", " ".join(filter(None, (f"no {what.lower()} with id {id_!r}", place))), field)
               for id_, field in refs if id_ not in rows]
    if missing:
        raise Problems(missing[:MAX_PROBLEMS])
    return rows


async def require_unique_name(uow: UnitOfWork, table: sa.Table, scope_col: str, scope_id: str, name: str,
                              field: str, what: str, exclude: str | None = None) -> None:
    """DUPLICATE naming ``field`` when another row of ``table`` in the same scope (``scope_col`` = ``scope_id``:
    a project, an organization) is named ``name`` already; ``exclude``: the row being renamed."""
    stmt = sa.select(table.c.id).where(table.c[scope_col] == scope_id, table.c.name == name)
    if exclude:
        stmt = stmt.where(table.c.id != exclude)
    if (await uow.conn.execute(stmt)).first() is not None:
        raise Problems.one("DUPLICATE", f"a {what} named {name!r} exists already here", [field])
