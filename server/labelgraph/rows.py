"""Loading the row a write acts on, for every slice's service.py: the id must carry the type's prefix, the row
must exist, and (for project-scoped rows) the caller's role must allow the write. What the caller cannot see is
"not found", with the same message as an id that does not exist."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.db import UnitOfWork
from labelgraph.errors import not_found
from labelgraph.ids import type_of


async def load_row(uow: UnitOfWork, table: sa.Table, id_: str, field: str, what: str, *cols: str) -> Any:
    """The row of ``table`` with ``id_`` (only ``cols`` when given); NOT_FOUND naming ``field`` otherwise."""
    if type_of(id_) != what:
        raise not_found(f"{field} {id_!r} is not the id of a {what}", field)
    columns = [table.c[c] for c in dict.fromkeys(("id", *cols))] if cols else [table]
    row = (await uow.conn.execute(sa.select(*columns).where(table.c.id == id_))).first()
    if row is None:
        raise not_found(f"no {what.lower()} with id {id_!r}", field)
    return row


async def load_for(uow: UnitOfWork, table: sa.Table, id_: str, field: str, what: str, permission: str,
                   *cols: str) -> Any:
    """A project-scoped row the caller may ``permission`` (auth.PROJECT_PERMISSIONS); NOT_FOUND when the caller
    cannot see its project, FORBIDDEN when its role may not. ``cols``: the columns needed (default: all)."""
    project_col = "id" if table.name == "project" else "project_id"
    row = await load_row(uow, table, id_, field, what, *((project_col, *cols) if cols else ()))
    uow.access.require_project(getattr(row, project_col), permission, what.lower(), id_, field)
    return row
