"""Tables of the ontology domain: recipes, ontologies, the label tree and attribute definitions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from labelgraph.columns import created_field, fk, id_field, json_field


class Recipe(SQLModel, table=True):
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    title: str = Field(max_length=300)
    description: str | None = None
    instructions: dict | None = json_field(nullable=True)
    ui_settings: dict = json_field()
    meta: dict = json_field("metadata")
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class RecipeOntology(SQLModel, table=True):
    __tablename__ = "recipe_ontology"
    recipe_id: str = Field(foreign_key="recipe.id", ondelete="CASCADE", primary_key=True, max_length=40)
    ontology_id: str = Field(foreign_key="ontology.id", ondelete="CASCADE", primary_key=True, max_length=40)
    project_id: str = fk("project.id", index=True)
    position: int = 0


class Ontology(SQLModel, table=True):
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    title: str = Field(max_length=300)
    meta: dict = json_field("metadata")
    created_by: str | None = fk("app_user.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class Label(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("ontology_id", "tag"),)
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    ontology_id: str = fk("ontology.id")
    parent_id: str | None = fk("label.id", nullable=True, index=True)
    tag: str = Field(max_length=400)  # the full dotted path: "vehicle.car"
    display_name: str = Field(max_length=300)
    color: str = Field(max_length=7)  # #rrggbb
    display_data: dict | None = json_field(nullable=True)
    position: int = 0
    created_at: datetime = created_field()
    updated_at: datetime = created_field()


class AttributeDefinition(SQLModel, table=True):
    __tablename__ = "attribute_definition"
    __table_args__ = (UniqueConstraint("ontology_id", "key"),)
    id: str = id_field()
    project_id: str = fk("project.id", index=True)
    ontology_id: str = fk("ontology.id")
    key: str = Field(max_length=200)
    title: str = Field(max_length=300)
    type: str = Field(max_length=20)  # options | freeText | range | boolean
    multi: bool = False
    values: list | None = json_field(nullable=True)
    range_min: float | None = None
    range_max: float | None = None
    range_step: float | None = None
    scope: list = json_field(default=lambda: ["*"])
    optional: bool = True
    position: int = 0
    created_at: datetime = created_field()
    updated_at: datetime = created_field()
