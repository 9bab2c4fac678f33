"""Validating annotations against a dataset's recipe: its labels and attribute definitions."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from labelgraph.errors import Problem
from labelgraph.graph.pagination import in_ids
from labelgraph.ontology.service.common import ATTRIBUTE, DATASET, LABEL, RECIPE_ONTOLOGY


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
