"""Writes of the ontology domain: recipes, ontologies, the label tree and attribute definitions; and the label
index that validates annotations against a dataset's recipe."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.models import Annotation, Dataset, Project
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems, invalid, not_found
from labelgraph.graph.pagination import in_ids
from labelgraph.ids import new_id
from labelgraph.ontology.commands import (
    AttributesDelete,
    AttributesUpsert,
    LabelMove,
    LabelsAdd,
    LabelsDelete,
    LabelsUpdate,
    NewLabel,
    OntologyCreate,
    OntologyDelete,
    OntologyUpdate,
    RecipeCreate,
    RecipeDelete,
    RecipeUpdate,
)
from labelgraph.ontology.models import AttributeDefinition, Label, Ontology, Recipe, RecipeOntology
from labelgraph.rows import load_for, load_within

RECIPE = Recipe.__table__
ONTOLOGY = Ontology.__table__
RECIPE_ONTOLOGY = RecipeOntology.__table__
LABEL = Label.__table__
ATTRIBUTE = AttributeDefinition.__table__
DATASET = Dataset.__table__
PROJECT = Project.__table__

MAX_LABEL_DEPTH = 5
PALETTE = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c",
           "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3", "#808000", "#ffd8b1"]


# --- helpers -------------------------------------------------------------------------------------------

def _touch(uow: UnitOfWork, resource: str, action: str, id_: str, project_id: str, **payload: Any) -> None:
    uow.emit(resource, action, id_, project_id, payload)


def normalize_color(value: str | None, tag: str, field: list[str]) -> str:
    """'#abc', '#aabbcc', 'rgb(1, 2, 3)' → '#rrggbb'; none → a stable colour from the palette."""
    if value is None:
        return PALETTE[int(hashlib.sha1(tag.encode()).hexdigest(), 16) % len(PALETTE)]
    v = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{6}", v):
        return v
    if re.fullmatch(r"#[0-9a-f]{3}", v):
        return "#" + "".join(c * 2 for c in v[1:])
    m = re.fullmatch(r"rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)", v)
    if m and all(int(x) <= 255 for x in m.groups()):
        return "#" + "".join(f"{int(x):02x}" for x in m.groups())
    raise Problems([Problem("INVALID", f"color must be #rrggbb, #rgb or rgb(r, g, b), got {value!r}", field)])


def _check_tag(tag: str, field: list[str]) -> list[str]:
    parts = tag.split(".") if tag else []
    if not parts or any(not p.strip() for p in parts):
        raise Problems([Problem("INVALID", f"tag must be names separated by dots, e.g. 'vehicle.car', got {tag!r}",
                                field)])
    if len(parts) > MAX_LABEL_DEPTH:
        raise Problems([Problem("INVALID", f"labels nest at most {MAX_LABEL_DEPTH} levels; {tag!r} has {len(parts)}",
                                field)])
    if any(len(p) > 100 for p in parts):
        raise Problems([Problem("INVALID", "each part of a tag is at most 100 characters", field)])
    return [p.strip() for p in parts]


# --- recipes -------------------------------------------------------------------------------------------

async def _check_ontologies(uow: UnitOfWork, project_id: str, ontology_ids: Sequence[str]) -> None:
    await load_within(uow, ONTOLOGY, "Ontology", [(o, ["ontologyIds", str(i)]) for i, o in enumerate(ontology_ids)],
                      [ONTOLOGY.c.project_id == project_id], "in this project")


async def check_recipe(uow: UnitOfWork, recipe_id: str, project_id: str, field: str = "recipeId") -> None:
    """A recipe a dataset or task of ``project_id`` may use: one of that project (NOT_FOUND otherwise)."""
    await load_within(uow, RECIPE, "Recipe", [(recipe_id, [field])], [RECIPE.c.project_id == project_id],
                      "in this project")


async def _link(uow: UnitOfWork, recipe_id: str, project_id: str, ontology_ids: Sequence[str]) -> None:
    await uow.conn.execute(sa.delete(RECIPE_ONTOLOGY).where(RECIPE_ONTOLOGY.c.recipe_id == recipe_id))
    if ontology_ids:
        await uow.conn.execute(sa.insert(RECIPE_ONTOLOGY), [
            {"recipe_id": recipe_id, "ontology_id": o, "project_id": project_id, "position": i}
            for i, o in enumerate(dict.fromkeys(ontology_ids))])


async def create_recipe(uow: UnitOfWork, cmd: RecipeCreate) -> str:
    """A recipe; without ontologyIds an ontology of the same title (with ``labels``) is created for it."""
    project_id, title, ontology_ids = cmd.project_id, cmd.title, cmd.ontology_ids
    description, instructions, labels = cmd.description, cmd.instructions, cmd.labels
    await load_for(uow, PROJECT, project_id, "projectId", "Project", "recipe.write")
    if not title or not title.strip():
        raise invalid("title must not be empty", "title")
    if ontology_ids:
        await _check_ontologies(uow, project_id, ontology_ids)
    else:
        ontology_ids = [await _new_ontology(uow, project_id, title.strip(), labels or [])]
    now, id_ = utcnow(), new_id("rcp")
    await uow.conn.execute(sa.insert(RECIPE).values(
        id=id_, project_id=project_id, title=title.strip(), description=description, instructions=instructions,
        ui_settings={"allowObjectIdAutoAssign": True}, metadata={}, created_by=uow.principal_id, created_at=now,
        updated_at=now))
    await _link(uow, id_, project_id, ontology_ids)
    _touch(uow, "recipe", "created", id_, project_id)
    return id_


async def create_default_recipe(uow: UnitOfWork, project_id: str, dataset_name: str) -> str:
    """What a new dataset gets when no recipe is given: "<name> Default Recipe" with an empty ontology."""
    now = utcnow()
    ontology_id, recipe_id = new_id("ont"), new_id("rcp")
    await uow.conn.execute(sa.insert(ONTOLOGY).values(
        id=ontology_id, project_id=project_id, title=f"{dataset_name} Default Ontology", metadata={},
        created_by=uow.principal_id, created_at=now, updated_at=now))
    await uow.conn.execute(sa.insert(RECIPE).values(
        id=recipe_id, project_id=project_id, title=f"{dataset_name} Default Recipe", description=None,
        instructions=None, ui_settings={"allowObjectIdAutoAssign": True}, metadata={}, created_by=uow.principal_id,
        created_at=now, updated_at=now))
    await _link(uow, recipe_id, project_id, [ontology_id])
    return recipe_id


async def update_recipe(uow: UnitOfWork, cmd: RecipeUpdate) -> str:
    id_, title, description, instructions, ontology_ids = (cmd.id, cmd.title, cmd.description, cmd.instructions,
                                                           cmd.ontology_ids)
    row = await load_for(uow, RECIPE, id_, "id", "Recipe", "recipe.write")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if title is not None:
        if not title.strip():
            raise invalid("title must not be empty", "title")
        values["title"] = title.strip()
    if description is not None:
        values["description"] = description or None
    if instructions is not None:
        values["instructions"] = instructions
    if ontology_ids is not None:
        if not ontology_ids:
            raise invalid("a recipe needs at least one ontology", "ontologyIds")
        await _check_ontologies(uow, row.project_id, ontology_ids)
        await _link(uow, id_, row.project_id, ontology_ids)
    await uow.conn.execute(sa.update(RECIPE).where(RECIPE.c.id == id_).values(**values))
    _touch(uow, "recipe", "updated", id_, row.project_id)
    return id_


async def delete_recipe(uow: UnitOfWork, cmd: RecipeDelete) -> str:
    """Datasets using the recipe keep their data and have no recipe afterwards (no label validation)."""
    id_ = cmd.id
    row = await load_for(uow, RECIPE, id_, "id", "Recipe", "recipe.write")
    await uow.conn.execute(sa.delete(RECIPE).where(RECIPE.c.id == id_))
    _touch(uow, "recipe", "deleted", id_, row.project_id)
    return id_


# --- ontologies ----------------------------------------------------------------------------------------

async def _new_ontology(uow: UnitOfWork, project_id: str, title: str, labels: Sequence[NewLabel] = ()) -> str:
    uow.access.require_project(project_id, "recipe.write", "project", project_id, "projectId")
    if not title or not title.strip():
        raise invalid("title must not be empty", "title")
    now, id_ = utcnow(), new_id("ont")
    await uow.conn.execute(sa.insert(ONTOLOGY).values(id=id_, project_id=project_id, title=title.strip(),
                                                      metadata={}, created_by=uow.principal_id, created_at=now,
                                                      updated_at=now))
    if labels:
        await _add_labels(uow, id_, labels)
    _touch(uow, "ontology", "created", id_, project_id)
    return id_


async def create_ontology(uow: UnitOfWork, cmd: OntologyCreate) -> str:
    await load_for(uow, PROJECT, cmd.project_id, "projectId", "Project", "recipe.write")
    return await _new_ontology(uow, cmd.project_id, cmd.title, cmd.labels)


async def update_ontology(uow: UnitOfWork, cmd: OntologyUpdate) -> str:
    id_, title = cmd.id, cmd.title
    row = await load_for(uow, ONTOLOGY, id_, "id", "Ontology", "recipe.write")
    values: dict[str, Any] = {"updated_at": utcnow()}
    if title is not None:
        if not title.strip():
            raise invalid("title must not be empty", "title")
        values["title"] = title.strip()
    await uow.conn.execute(sa.update(ONTOLOGY).where(ONTOLOGY.c.id == id_).values(**values))
    _touch(uow, "ontology", "updated", id_, row.project_id)
    return id_


async def delete_ontology(uow: UnitOfWork, cmd: OntologyDelete) -> str:
    id_ = cmd.id
    row = await load_for(uow, ONTOLOGY, id_, "id", "Ontology", "recipe.write")
    await uow.conn.execute(sa.delete(ONTOLOGY).where(ONTOLOGY.c.id == id_))
    _touch(uow, "ontology", "deleted", id_, row.project_id)
    return id_


# --- labels --------------------------------------------------------------------------------------------

async def _labels(uow: UnitOfWork, ontology_id: str) -> dict[str, Any]:
    rows = (await uow.conn.execute(sa.select(LABEL).where(LABEL.c.ontology_id == ontology_id))).all()
    return {r.tag: r for r in rows}


def _flatten(labels: Sequence[NewLabel], prefix: list[str], path: str) -> list[tuple[list[str], Any, list[str]]]:
    """Nested label inputs → (tag parts, input, field path) in tree order."""
    out = []
    for i, label in enumerate(labels):
        field = f"{path}.{i}" if path else str(i)
        parts = prefix + _check_tag(label.tag, ["labels", *field.split("."), "tag"])
        if len(parts) > MAX_LABEL_DEPTH:
            raise Problems([Problem("INVALID", f"labels nest at most {MAX_LABEL_DEPTH} levels; "
                                    f"{'.'.join(parts)!r} has {len(parts)}", ["labels", *field.split("."), "tag"])])
        out.append((parts, label, ["labels", *field.split(".")]))
        out.extend(_flatten(label.children or [], parts, f"{field}.children"))
    return out


async def add_labels(uow: UnitOfWork, cmd: LabelsAdd) -> str:
    """Add labels (nested children are tagged below their parent; "a.b.c" creates missing ancestors); an
    existing tag is a DUPLICATE. Returns the ontology's id."""
    await _add_labels(uow, cmd.ontology_id, cmd.labels)
    return cmd.ontology_id


async def _add_labels(uow: UnitOfWork, ontology_id: str, labels: Sequence[NewLabel], *, upsert: bool = False
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
    _touch(uow, "ontology", "updated", ontology_id, onto.project_id, labelsAdded=list(new_rows))
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
        await _add_labels(uow, ontology_id, [NewLabel(tag=label.tag, display_name=label.display_name,
                                                      color=label.color, display_data=label.display_data,
                                                      children=label.children) for _, label in missing])
    _touch(uow, "ontology", "updated", ontology_id, onto.project_id)
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
    _touch(uow, "ontology", "updated", ontology_id, onto.project_id, labelsDeleted=doomed)
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
    _check_tag(name, ["newName"])
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
    _touch(uow, "ontology", "updated", ontology_id, onto.project_id, labelsMoved=moved)
    return new_tag


# --- attribute definitions -----------------------------------------------------------------------------

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
    _touch(uow, "ontology", "updated", ontology_id, onto.project_id, attributesUpserted=keys)
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
    _touch(uow, "ontology", "updated", ontology_id, onto.project_id, attributesDeleted=list(keys))
    return list(keys)


# --- validating annotations against a dataset's recipe -------------------------------------------------

@dataclass
class LabelIndex:
    """The labels and attribute definitions of one dataset's recipe."""

    tags: set[str] = field(default_factory=set)
    attributes: dict[str, Any] = field(default_factory=dict)

    def check(self, label: str, attributes: Any, base: list[str]) -> list[Problem]:
        problems = []
        if self.tags and label not in self.tags:
            close = difflib.get_close_matches(label, sorted(self.tags), n=3, cutoff=0.5)
            hint = f"; closest: {', '.join(close)}" if close else f"; labels: {', '.join(sorted(self.tags)[:10])}"
            problems.append(Problem("INVALID", f"{'.'.join(base)}: label {label!r} is not in the dataset's "
                                    f"recipe{hint}", [*base, "label"]))
        if self.attributes and attributes is not None:
            if not isinstance(attributes, dict):
                return [*problems, Problem("INVALID", f"{'.'.join(base)}: attributes must be an object of key → "
                                           "value for this recipe", [*base, "attributes"])]
            for key, value in attributes.items():
                problem = self._check_attribute(label, key, value, [*base, "attributes", key])
                if problem:
                    problems.append(problem)
        return problems

    def _check_attribute(self, label: str, key: str, value: Any, field: list[str]) -> Problem | None:
        d = self.attributes.get(key)
        where = ".".join(field[:-2])
        if d is None:
            return Problem("INVALID", f"{where}: no attribute {key!r} in the recipe; attributes: "
                           f"{', '.join(sorted(self.attributes))}", field)
        if "*" not in d.scope and not any(label == s or label.startswith(s + ".") for s in d.scope):
            return Problem("INVALID", f"{where}: attribute {key!r} does not apply to label {label!r} "
                           f"(scope: {', '.join(d.scope)})", field)
        ok, expected = True, ""
        if d.type == "options" and d.multi:
            ok = isinstance(value, list) and all(isinstance(v, str) and v in d.values for v in value)
            expected = f"a list of options from {d.values}"
        elif d.type == "options":
            ok, expected = isinstance(value, str) and value in d.values, f"one of {d.values}"
        elif d.type == "freeText":
            ok, expected = isinstance(value, str), "text"
        elif d.type == "boolean":
            ok, expected = isinstance(value, bool), "true or false"
        elif d.type == "range":
            ok = isinstance(value, int | float) and not isinstance(value, bool) and d.range_min <= value <= d.range_max
            expected = f"a number from {d.range_min:g} to {d.range_max:g}"
        if not ok:
            return Problem("INVALID", f"{where}: attribute {key!r} must be {expected}, got {value!r}", field)
        return None


async def label_indexes(conn, dataset_ids: Sequence[str]) -> dict[str, LabelIndex]:
    """The LabelIndex of each dataset (two statements for any number of datasets)."""
    dialect = conn.dialect.name
    links = (sa.select(DATASET.c.id.label("dataset_id"), RECIPE_ONTOLOGY.c.ontology_id)
             .join(RECIPE_ONTOLOGY, RECIPE_ONTOLOGY.c.recipe_id == DATASET.c.recipe_id)
             .where(in_ids(DATASET.c.id, list(dataset_ids), dialect)).subquery())
    out = {d: LabelIndex() for d in dataset_ids}
    for dataset_id, tag in (await conn.execute(
            sa.select(links.c.dataset_id, LABEL.c.tag).join(LABEL, LABEL.c.ontology_id == links.c.ontology_id))):
        out[dataset_id].tags.add(tag)
    for row in (await conn.execute(
            sa.select(links.c.dataset_id, ATTRIBUTE).join(ATTRIBUTE, ATTRIBUTE.c.ontology_id == links.c.ontology_id))):
        out[row.dataset_id].attributes[row.key] = row
    return out
