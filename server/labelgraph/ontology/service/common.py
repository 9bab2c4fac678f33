"""What the ontology service's modules share: the tables, tags, colors and events."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from labelgraph.data.models import Dataset
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problem, Problems
from labelgraph.identity.models import Project
from labelgraph.ontology.models import AttributeDefinition, Label, Ontology, Recipe, RecipeOntology

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


def touch(uow: UnitOfWork, resource: str, action: str, id_: str, project_id: str, **payload: Any) -> None:
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


def check_tag(tag: str, field: list[str]) -> list[str]:
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
