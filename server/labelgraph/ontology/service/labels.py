"""Writes of the label tree: add (nested, missing ancestors created), update, delete, move/rename (the
labels of annotations follow)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.models import Annotation
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid, not_found
from labelgraph.ids import new_id
from labelgraph.ontology.commands import (
    LabelMove,
    LabelsAdd,
    LabelsDelete,
    LabelsUpdate,
    NewLabel,
)
from labelgraph.ontology.service.common import (
    DATASET,
    LABEL,
    MAX_LABEL_DEPTH,
    ONTOLOGY,
    RECIPE_ONTOLOGY,
    check_tag,
    normalize_color,
    touch,
)
from labelgraph.rows import load_for


async def _labels(uow: UnitOfWork, ontology_id: str) -> dict[str, Any]:
    rows = (await uow.conn.execute(sa.select(LABEL).where(LABEL.c.ontology_id == ontology_id))).all()
    return {r.tag: r for r in rows}


def _flatten(labels: Sequence[NewLabel], prefix: list[str], path: str) -> list[tuple[list[str], Any, list[str]]]:
    """Nested label inputs → (tag parts, input, field path) in tree order."""
    out = []
    for i, label in enumerate(labels):
        field = f"{path}.{i}" if path else str(i)
        parts = prefix + check_tag(label.tag, ["labels", *field.split("."), "tag"])
        if len(parts) > MAX_LABEL_DEPTH:
            raise Problems([Problem("INVALID", f"labels nest at most {MAX_LABEL_DEPTH} levels; "
                                    f"{'.'.join(parts)!r} has {len(parts)}", ["labels", *field.split("."), "tag"])])
        out.append((parts, label, ["labels", *field.split(".")]))
        out.extend(_flatten(label.children or [], parts, f"{field}.children"))
    return out


async def add_labels(uow: UnitOfWork, cmd: LabelsAdd) -> str:
    """Add labels (nested children are tagged below their parent; "a.b.c" creates missing ancestors); an
    existing tag is a DUPLICATE. Returns the ontology's id."""
    await add_new_labels(uow, cmd.ontology_id, cmd.labels)
    return cmd.ontology_id


async def add_new_labels(uow: UnitOfWork, ontology_id: str, labels: Sequence[NewLabel], *, upsert: bool = False
                      ) -> list[str]:
    """Add labels; an existing tag is a DUPLICATE unless ``upsert``, which updates it instead. Returns the tags
    added."""
    onto = await load_for(uow, ONTOLOGY, ontology_id, "ontologyId", "Ontology", "recipe.write")
    existing = await _labels(uow, ontology_id)
    flat = _flatten(labels, [], "")
    if not flat:
        raise invalid("labels must contain at least one label", "labels")
    now = utcnow()
    new_rows: dict[str, dict[str, Any]] = {}
    updates: list[dict[str, Any]] = []
    problems: list[Problem] = []
    position = len(existing)
    for parts, spec, path in flat:
        tag = ".".join(parts)
        if tag in existing or tag in new_rows:
            if not upsert:
                problems.append(Problem("DUPLICATE", f"the label {tag!r} exists already", [*path, "tag"]))
                continue
            target = existing.get(tag)
            changes = _label_changes(spec, tag, path)
            if target is not None and changes:
                updates.append({"lid": target.id, **changes, "updated_at": now})
            elif tag in new_rows:
                new_rows[tag].update(changes)
            continue
        for depth in range(1, len(parts) + 1):  # create missing ancestors, then the label itself
            sub = ".".join(parts[:depth])
            if sub in existing or sub in new_rows:
                continue
            parent = ".".join(parts[:depth - 1])
            parent_id = None
            if parent:
                parent_id = existing[parent].id if parent in existing else new_rows[parent]["id"]
            is_self = depth == len(parts)
            new_rows[sub] = {
                "id": new_id("lbl"), "project_id": onto.project_id, "ontology_id": ontology_id,
                "parent_id": parent_id, "tag": sub,
                "display_name": (spec.display_name if is_self and spec.display_name else parts[depth - 1].capitalize()),
                "color": normalize_color(spec.color if is_self else None, sub, [*path, "color"]),
                "display_data": spec.display_data if is_self else None, "position": position,
                "created_at": now, "updated_at": now,
            }
            position += 1
    if problems:
        raise Problems(problems)
    if new_rows:
        await uow.conn.execute(sa.insert(LABEL), list(new_rows.values()))
    for change in updates:
        lid = change.pop("lid")
        await uow.conn.execute(sa.update(LABEL).where(LABEL.c.id == lid).values(**change))
    touch(uow, "ontology", "updated", ontology_id, onto.project_id, labelsAdded=list(new_rows))
    return list(new_rows)


def _label_changes(spec: Any, tag: str, field: list[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if getattr(spec, "display_name", None):
        changes["display_name"] = spec.display_name
    if getattr(spec, "color", None):
        changes["color"] = normalize_color(spec.color, tag, [*field, "color"])
    if getattr(spec, "display_data", None) is not None:
        changes["display_data"] = spec.display_data
    return changes


async def update_labels(uow: UnitOfWork, cmd: LabelsUpdate) -> str:
    """Change displayName/color/displayData of labels by full tag; with ``upsert`` missing ones are added.
    Returns the ontology's id."""
    ontology_id, labels, upsert = cmd.ontology_id, cmd.labels, cmd.upsert
    onto = await load_for(uow, ONTOLOGY, ontology_id, "ontologyId", "Ontology", "recipe.write")
    existing = await _labels(uow, ontology_id)
    missing = [(i, label) for i, label in enumerate(labels) if label.tag not in existing]
    if missing and not upsert:
        raise Problems([Problem("NOT_FOUND", f"no label {label.tag!r} in this ontology (pass upsert: true to add "
                                "it)", ["labels", str(i), "tag"]) for i, label in missing])
    now = utcnow()
    for i, label in enumerate(labels):
        if label.tag in existing:
            changes = _label_changes(label, label.tag, ["labels", str(i)])
            if changes:
                await uow.conn.execute(sa.update(LABEL).where(LABEL.c.id == existing[label.tag].id)
                                       .values(**changes, updated_at=now))
    if missing:
        await add_new_labels(uow, ontology_id, [NewLabel(tag=label.tag, display_name=label.display_name,
                                                      color=label.color, display_data=label.display_data,
                                                      children=label.children) for _, label in missing])
    touch(uow, "ontology", "updated", ontology_id, onto.project_id)
    return ontology_id


async def delete_labels(uow: UnitOfWork, cmd: LabelsDelete) -> list[str]:
    """Delete labels with everything below them. Existing annotations keep their label strings. Returns the
    tags deleted."""
    ontology_id, tags = cmd.ontology_id, cmd.tags
    onto = await load_for(uow, ONTOLOGY, ontology_id, "ontologyId", "Ontology", "recipe.write")
    existing = await _labels(uow, ontology_id)
    missing = [(i, t) for i, t in enumerate(tags) if t not in existing]
    if missing:
        raise Problems([Problem("NOT_FOUND", f"no label {t!r} in this ontology", ["tags", str(i)])
                        for i, t in missing])
    doomed = sorted({tag for tag in existing for t in tags if tag == t or tag.startswith(t + ".")})
    await uow.conn.execute(sa.delete(LABEL).where(LABEL.c.ontology_id == ontology_id,
                                                  LABEL.c.id.in_([existing[t].id for t in doomed])))
    touch(uow, "ontology", "updated", ontology_id, onto.project_id, labelsDeleted=doomed)
    return doomed


async def move_label(uow: UnitOfWork, cmd: LabelMove) -> str:
    """Move (and/or rename) a label: its tag and the tags of everything below it change, and so do the labels
    of annotations in datasets whose recipe uses this ontology. Returns the new tag."""
    ontology_id, tag, new_parent, new_name = cmd.ontology_id, cmd.tag, cmd.new_parent_tag, cmd.new_name
    onto = await load_for(uow, ONTOLOGY, ontology_id, "ontologyId", "Ontology", "recipe.write")
    existing = await _labels(uow, ontology_id)
    if tag not in existing:
        raise not_found(f"no label {tag!r} in this ontology", "tag")
    if new_parent is not None and new_parent not in existing:
        raise not_found(f"no label {new_parent!r} in this ontology to move under", "newParentTag")
    if new_parent is not None and (new_parent == tag or new_parent.startswith(tag + ".")):
        raise invalid(f"cannot move {tag!r} below itself", "newParentTag")
    name = new_name.strip() if new_name else tag.rsplit(".", 1)[-1]
    check_tag(name, ["newName"])
    if "." in name:
        raise invalid("newName is one part of a tag, without dots", "newName")
    new_tag = f"{new_parent}.{name}" if new_parent else name
    if new_tag == tag:
        return tag
    if new_tag in existing:
        raise Problems.one("DUPLICATE", f"the label {new_tag!r} exists already", ["newName"])
    moved = {t: new_tag + t[len(tag):] for t in existing if t == tag or t.startswith(tag + ".")}
    deepest = max(len(t.split(".")) for t in moved.values())
    if deepest > MAX_LABEL_DEPTH:
        raise invalid(f"the move would nest labels {deepest} levels deep; at most {MAX_LABEL_DEPTH}", "newParentTag")
    now = utcnow()
    await uow.conn.execute(sa.update(LABEL).where(LABEL.c.id == sa.bindparam("lid")).values(
        tag=sa.bindparam("new_tag"), updated_at=now),
        [{"lid": existing[old].id, "new_tag": new} for old, new in moved.items()])
    await uow.conn.execute(sa.update(LABEL).where(LABEL.c.id == existing[tag].id).values(
        parent_id=existing[new_parent].id if new_parent else None))
    datasets = sa.select(DATASET.c.id).where(DATASET.c.recipe_id.in_(
        sa.select(RECIPE_ONTOLOGY.c.recipe_id).where(RECIPE_ONTOLOGY.c.ontology_id == ontology_id)))
    annotation = Annotation.__table__
    await uow.conn.execute(sa.update(annotation).where(
        annotation.c.dataset_id.in_(datasets), annotation.c.label == sa.bindparam("old")).values(
        label=sa.bindparam("new"), updated_at=now), [{"old": old, "new": new} for old, new in moved.items()])
    touch(uow, "ontology", "updated", ontology_id, onto.project_id, labelsMoved=moved)
    return new_tag
