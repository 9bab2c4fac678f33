"""Writes of attribute definitions (by key)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems
from labelgraph.ids import new_id
from labelgraph.ontology.commands import (
    AttributesDelete,
    AttributesUpsert,
)
from labelgraph.ontology.service.common import ATTRIBUTE, ONTOLOGY, touch
from labelgraph.rows import load_for


async def upsert_attributes(uow: UnitOfWork, cmd: AttributesUpsert) -> list[str]:
    """Create or replace attribute definitions by key. Returns the keys."""
    ontology_id, attributes = cmd.ontology_id, cmd.attributes
    onto = await load_for(uow, ONTOLOGY, ontology_id, "ontologyId", "Ontology", "recipe.write")
    existing = {r.key: r for r in (await uow.conn.execute(
        sa.select(ATTRIBUTE.c.id, ATTRIBUTE.c.key).where(ATTRIBUTE.c.ontology_id == ontology_id))).all()}
    now = utcnow()
    problems: list[Problem] = []
    rows = []
    given: dict[str, int] = {}  # key -> the first index giving it
    for i, a in enumerate(attributes):
        base = ["attributes", str(i)]
        if not a.key or not re.fullmatch(r"[A-Za-z0-9_\-]{1,200}", a.key):
            problems.append(Problem("INVALID", "key must be 1–200 letters, digits, _ or -", [*base, "key"]))
            continue
        if a.key in given:
            problems.append(Problem("DUPLICATE", f"the key {a.key!r} is given twice (attributes[{given[a.key]}] "
                                    "has it)", [*base, "key"]))
            continue
        given[a.key] = i
        values = list(a.options) if a.options else None
        if a.type.value == "options" and not values:
            problems.append(Problem("INVALID", "an options attribute (checkbox / radio) needs options",
                                    [*base, "options"]))
            continue
        if a.type.value == "range" and (a.range is None or a.range.min >= a.range.max):
            problems.append(Problem("INVALID", "a range attribute needs range {min, max} with min < max",
                                    [*base, "range"]))
            continue
        rows.append({
            "id": existing[a.key].id if a.key in existing else new_id("att"), "project_id": onto.project_id,
            "ontology_id": ontology_id, "key": a.key, "title": a.title or a.key, "type": a.type.value,
            "multi": bool(a.multi), "values": values,
            "range_min": a.range.min if a.range else None, "range_max": a.range.max if a.range else None,
            "range_step": a.range.step if a.range else None, "scope": list(a.scope or ["*"]),
            "optional": a.optional if a.optional is not None else True, "position": i,
            "created_at": now, "updated_at": now,
        })
    if problems:
        raise Problems(problems)
    if not rows:
        return []  # nothing to upsert (an INSERT of no rows is one row of defaults)
    keys = [r["key"] for r in rows]
    await uow.conn.execute(sa.delete(ATTRIBUTE).where(ATTRIBUTE.c.ontology_id == ontology_id,
                                                      ATTRIBUTE.c.key.in_(keys)))
    await uow.conn.execute(sa.insert(ATTRIBUTE), rows)
    touch(uow, "ontology", "updated", ontology_id, onto.project_id, attributesUpserted=keys)
    return keys


async def delete_attributes(uow: UnitOfWork, cmd: AttributesDelete) -> list[str]:
    ontology_id, keys = cmd.ontology_id, cmd.keys
    onto = await load_for(uow, ONTOLOGY, ontology_id, "ontologyId", "Ontology", "recipe.write")
    found = set((await uow.conn.execute(sa.select(ATTRIBUTE.c.key).where(
        ATTRIBUTE.c.ontology_id == ontology_id, ATTRIBUTE.c.key.in_(list(keys))))).scalars().all())
    missing = [(i, k) for i, k in enumerate(keys) if k not in found]
    if missing:
        raise Problems([Problem("NOT_FOUND", f"no attribute {k!r} in this ontology", ["keys", str(i)])
                        for i, k in missing])
    await uow.conn.execute(sa.delete(ATTRIBUTE).where(ATTRIBUTE.c.ontology_id == ontology_id,
                                                      ATTRIBUTE.c.key.in_(list(keys))))
    touch(uow, "ontology", "updated", ontology_id, onto.project_id, attributesDeleted=list(keys))
    return list(keys)
