"""The ontology slice through the generated client: a recipe with its label tree, labels added, moved and
deleted by dotted tag, attribute definitions."""

from __future__ import annotations

from labelgraph_client import AttributeInput, AttributeType, Client, LabelInput, LabelUpdateInput


async def test_recipe_labels_and_attributes(client: Client):
    org = (await client.create_organization(name="Acme")).organization
    project = (await client.create_project(organization_id=org.id, name="Cars")).project
    recipe = (await client.create_recipe(project_id=project.id, title="Street", labels=[
        LabelInput(tag="vehicle", children=[LabelInput(tag="car"), LabelInput(tag="truck")]),
        LabelInput(tag="person", color="#ff0000"),
    ])).recipe
    [ontology] = recipe.ontologies
    assert [label.tag for label in ontology.all_labels] == ["vehicle", "vehicle.car", "vehicle.truck", "person"]
    assert ontology.all_labels[1].parent.tag == "vehicle" and ontology.all_labels[3].color == "#ff0000"

    added = (await client.add_ontology_labels(ontology_id=ontology.id, labels=[LabelInput(tag="vehicle.bus")])).ontology
    assert "vehicle.bus" in [label.tag for label in added.all_labels]
    moved = (await client.move_label(ontology_id=ontology.id, tag="vehicle.bus", new_parent_tag=None)).ontology
    assert "bus" in [label.tag for label in moved.all_labels]
    renamed = (await client.update_ontology_labels(ontology_id=ontology.id, labels=[
        LabelUpdateInput(tag="person", display_name="Pedestrian")])).ontology
    assert [lbl.display_name for lbl in renamed.all_labels if lbl.tag == "person"] == ["Pedestrian"]
    pruned = (await client.delete_ontology_labels(ontology_id=ontology.id, tags=["vehicle"])).ontology
    assert sorted(label.tag for label in pruned.all_labels) == ["bus", "person"]  # vehicle.* went with vehicle

    with_attributes = (await client.upsert_ontology_attributes(ontology_id=ontology.id, attributes=[
        AttributeInput(key="occluded", type=AttributeType.YES_NO),
        AttributeInput(key="color", type=AttributeType.OPTIONS, options=["red", "blue"]),
    ])).ontology
    assert {a.key: a.type_ for a in with_attributes.attributes} == {
        "occluded": AttributeType.YES_NO, "color": AttributeType.OPTIONS}

    assert (await client.get_ontology(id=ontology.id)).title == "Street"
    listed = [r.id async for r in client.iter_nodes(client.list_recipes, project_id=project.id)]
    assert listed == [recipe.id]
    assert (await client.delete_recipe(id=recipe.id)).deleted_id == recipe.id
