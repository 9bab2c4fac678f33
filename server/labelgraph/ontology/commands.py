"""What the ontology service is asked to do: typed, immutable commands built by ``ontology/mutations.py`` from
the GraphQL inputs. No strawberry here; ``AttributeType`` is a plain enum that ``types.py`` registers."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Json = Any  # a decoded JSON value, checked by jsonvalues on the way in

command = dataclass(frozen=True, kw_only=True, slots=True)


class AttributeType(enum.Enum):
    OPTIONS = "options"
    FREE_TEXT = "freeText"
    RANGE = "range"
    YES_NO = "boolean"



@command
class NewLabel:
    """A label to add; a child's tag is relative to its parent ({tag: "car"} under "vehicle" is vehicle.car)."""

    tag: str
    display_name: str | None = None
    color: str | None = None  # #rrggbb, #rgb or rgb(r, g, b); random if not given
    display_data: Json = None
    children: Sequence[NewLabel] | None = None


@command
class LabelUpdate:
    tag: str  # the full dotted tag of the label to change
    display_name: str | None = None
    color: str | None = None
    display_data: Json = None
    children: Sequence[NewLabel] | None = None  # only with upsert


@command
class RecipeCreate:
    """Without ``ontology_ids`` an ontology of the same title (with ``labels``) is created for the recipe."""

    project_id: str
    title: str
    ontology_ids: Sequence[str] | None = None
    labels: Sequence[NewLabel] | None = None
    description: str | None = None
    instructions: Json = None


@command
class RecipeUpdate:
    id: str
    title: str | None = None
    description: str | None = None
    instructions: Json = None
    ontology_ids: Sequence[str] | None = None


@command
class RecipeDelete:
    id: str


@command
class OntologyCreate:
    project_id: str
    title: str
    labels: Sequence[NewLabel] = ()


@command
class OntologyUpdate:
    id: str
    title: str | None = None


@command
class OntologyDelete:
    id: str


@command
class LabelsAdd:
    ontology_id: str
    labels: Sequence[NewLabel]


@command
class LabelsUpdate:
    ontology_id: str
    labels: Sequence[LabelUpdate]
    upsert: bool = False  # add the labels that do not exist


@command
class LabelsDelete:
    ontology_id: str
    tags: Sequence[str]  # full dotted tags; everything below them goes too


@command
class LabelMove:
    ontology_id: str
    tag: str
    new_parent_tag: str | None = None  # None: to the top of the tree
    new_name: str | None = None


@command
class AttributeRange:
    min: float
    max: float
    step: float | None = None


@command
class Attribute:
    key: str
    title: str | None = None
    type: AttributeType
    options: Sequence[str] | None = None
    multi: bool | None = False
    range: AttributeRange | None = None
    scope: Sequence[str] | None = None  # label tags; default ["*"]
    optional: bool | None = True


@command
class AttributesUpsert:
    """Create or replace attribute definitions by key."""

    ontology_id: str
    attributes: Sequence[Attribute]


@command
class AttributesDelete:
    ontology_id: str
    keys: Sequence[str]
