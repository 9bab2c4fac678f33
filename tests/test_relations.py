"""Relations are declared once, by the slice that owns the child (graph/relations.py): the one declaration gives
the GraphQL field with its arguments, the resolver and the compiler's mapping."""

from __future__ import annotations

import pytest
from graphql import GraphQLList, GraphQLNonNull

from labelgraph.graph import relations
from labelgraph.graph.mapping import ENTITIES, ToMany, ToOne
from labelgraph.identity.types import Project
from labelgraph.schema import schema
from labelgraph.workflow.types import Task

pytestmark = pytest.mark.database_agnostic(
    "the built schema and relation declarations, no database")


def _field(type_name: str, name: str):
    return schema._schema.type_map[type_name].fields[name]


def test_one_declaration_gives_the_field_its_arguments_and_the_compiler_mapping():
    # workflow declares Project.tasks; identity's Project names no workflow type
    tasks = _field("Project", "tasks")
    assert list(tasks.args) == ["first", "after", "last", "before", "filter"]
    assert tasks.args["filter"].type.name == "TaskFilter"
    assert tasks.type.of_type.name == "TaskConnection"
    assert ENTITIES["Project"].relations["tasks"] == ToMany("Task", "project_id",
                                                            ENTITIES["Project"].relations["tasks"].filter, False)
    assert ENTITIES["Project"].relations["tasks"].filter is not None
    # with an order: orderBy is a list of the order input
    executions = _field("Project", "executions")
    assert list(executions.args) == ["first", "after", "last", "before", "filter", "orderBy"]
    order = executions.args["orderBy"].type
    assert isinstance(order, GraphQLList) and isinstance(order.of_type, GraphQLNonNull)
    assert order.of_type.of_type.name == "ExecutionOrder"
    # compiled relations stay compiled
    assert ENTITIES["Project"].relations["datasets"].compiled
    # a to-one relation: non-null unless optional
    assert isinstance(_field("Task", "dataset").type, GraphQLNonNull)
    assert not isinstance(_field("Task", "recipe").type, GraphQLNonNull)
    assert ENTITIES["Task"].relations["recipe"] == ToOne("Recipe", "recipe_id")


def test_declaring_a_relation_twice_is_refused():
    with pytest.raises(ValueError, match="Project.tasks is declared twice"):
        relations.to_many(Project, "tasks", Task, "project_id")


def test_every_declared_field_is_on_its_type():
    for d in relations.DECLARED:
        gql = schema._schema.type_map[d.parent.__strawberry_definition__.name]
        assert schema.config.name_converter.get_graphql_name(d.field) in gql.fields, d
