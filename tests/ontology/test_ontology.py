"""Recipes, ontologies, the label tree, attribute definitions, and annotations checked against the recipe."""

from __future__ import annotations

import pytest
from support import BOX

DATASET_RECIPE = "query($d: ID!) { dataset(id: $d) { recipe { id title ontologies { id title } } } }"
TREE = """query($o: ID!) { ontology(id: $o) { labels { tag name displayName color
  children { tag children { tag children { tag } } } } instanceMap } }"""
ADD = """mutation($o: ID!, $l: [LabelInput!]!) { ontologyLabelsAdd(input: {ontologyId: $o, labels: $l}) {
  ontology { id } errors { field code message } } }"""


@pytest.fixture
async def dataset(build):
    return await build.dataset(await build.project())


async def ontology_of(gql, dataset: str) -> str:
    return (await gql(DATASET_RECIPE, {"d": dataset}))["dataset"]["recipe"]["ontologies"][0]["id"]


async def test_a_new_dataset_gets_a_default_recipe(gql, dataset):
    recipe = (await gql(DATASET_RECIPE, {"d": dataset}))["dataset"]["recipe"]
    assert recipe["title"] == "frames Default Recipe"
    assert [o["title"] for o in recipe["ontologies"]] == ["frames Default Ontology"]


async def test_labels_nest_by_dotted_tags(gql, dataset):
    onto = await ontology_of(gql, dataset)
    data = await gql(ADD, {"o": onto, "l": [
        {"tag": "vehicle", "color": "rgb(255, 0, 16)", "children": [
            {"tag": "car", "displayName": "Automobile", "children": [{"tag": "sedan"}]}, {"tag": "truck"}]},
        {"tag": "animal.dog.poodle", "color": "#ABC"},
    ]})
    assert data["ontologyLabelsAdd"]["errors"] == []
    labels = (await gql(TREE, {"o": onto}))["ontology"]
    vehicle, animal = labels["labels"]
    assert (vehicle["tag"], vehicle["color"], vehicle["displayName"]) == ("vehicle", "#ff0010", "Vehicle")
    assert [c["tag"] for c in vehicle["children"]] == ["vehicle.car", "vehicle.truck"]
    assert vehicle["children"][0]["children"] == [{"tag": "vehicle.car.sedan", "children": []}]
    assert animal["tag"] == "animal" and animal["children"][0]["children"][0]["tag"] == "animal.dog.poodle"
    assert labels["instanceMap"] == {"animal": 1, "animal.dog": 2, "animal.dog.poodle": 3, "vehicle": 4,
                                     "vehicle.car": 5, "vehicle.car.sedan": 6, "vehicle.truck": 7}


async def test_bad_labels_change_nothing(gql, dataset):
    onto = await ontology_of(gql, dataset)
    await gql(ADD, {"o": onto, "l": [{"tag": "car"}]})
    cases = [
        ([{"tag": "bike"}, {"tag": "car"}], ["labels", "1", "tag"], "DUPLICATE"),
        ([{"tag": "a.b.c.d.e.f"}], ["labels", "0", "tag"], "INVALID"),
        ([{"tag": "x", "children": [{"tag": "y", "color": "blue"}]}], ["labels", "0", "children", "0", "color"],
         "INVALID"),
        ([{"tag": "a..b"}], ["labels", "0", "tag"], "INVALID"),
    ]
    for labels, field, code in cases:
        data = await gql(ADD, {"o": onto, "l": labels})
        assert data["ontologyLabelsAdd"]["ontology"] is None
        assert [(e["field"], e["code"]) for e in data["ontologyLabelsAdd"]["errors"]] == [(field, code)]
    assert [label["tag"] for label in (await gql(TREE, {"o": onto}))["ontology"]["labels"]] == ["car"]


async def test_update_upsert_delete_and_move(gql, build, dataset):
    onto = await ontology_of(gql, dataset)
    await gql(ADD, {"o": onto, "l": [{"tag": "animal", "children": [{"tag": "dog", "children": [{"tag": "poodle"}]},
                                                                      {"tag": "cat"}]}]})
    data = await gql("""mutation($o: ID!) { ontologyLabelsUpdate(input: {ontologyId: $o, labels: [
        {tag: "animal.cat", displayName: "Kitty"}, {tag: "plant", color: "#00ff00"}]}) { errors { field code } } }""",
                     {"o": onto})
    assert data["ontologyLabelsUpdate"]["errors"] == [{"field": ["labels", "1", "tag"], "code": "NOT_FOUND"}]
    await gql("""mutation($o: ID!) { ontologyLabelsUpdate(input: {ontologyId: $o, upsert: true, labels: [
        {tag: "animal.cat", displayName: "Kitty"}, {tag: "plant", color: "#00ff00"}]}) { errors { code } } }""",
              {"o": onto})
    # annotations with the labels that will move
    [item] = await build.items(dataset, [{"name": "a.jpg"}])
    await build.annotations([{"itemId": item["id"], "type": "BOX", "label": t, "coordinates": BOX}
                             for t in ("animal.dog", "animal.dog.poodle", "animal.cat")])
    data = await gql("""mutation($o: ID!) { labelMove(input: {ontologyId: $o, tag: "animal.dog", newParentTag: "plant",
        newName: "fern"}) { ontology { allLabels { tag displayName } } errors { message } } }""", {"o": onto})
    tags = {label["tag"]: label["displayName"] for label in data["labelMove"]["ontology"]["allLabels"]}
    assert tags == {"animal": "Animal", "animal.cat": "Kitty", "plant": "Plant", "plant.fern": "Dog",
                    "plant.fern.poodle": "Poodle"}
    labels = await gql("query($i: ID!) { item(id: $i) { annotations { nodes { label } } } }", {"i": item["id"]})
    assert sorted(a["label"] for a in labels["item"]["annotations"]["nodes"]) == [
        "animal.cat", "plant.fern", "plant.fern.poodle"]
    data = await gql("""mutation($o: ID!) { ontologyLabelsDelete(input: {ontologyId: $o, tags: ["plant"]}) {
        ontology { allLabels { tag } } } }""", {"o": onto})
    assert [label["tag"] for label in data["ontologyLabelsDelete"]["ontology"]["allLabels"]] == ["animal", "animal.cat"]
    data = await gql("""mutation($o: ID!) { labelMove(input: {ontologyId: $o, tag: "animal",
        newParentTag: "animal.cat"}) { errors { field code } } }""", {"o": onto})
    assert data["labelMove"]["errors"] == [{"field": ["newParentTag"], "code": "INVALID"}]


ANNOTATE = """mutation($a: [AnnotationCreateInput!]!) { annotationsCreate(input: {annotations: $a}) {
  annotations { id } errors { field code message } } }"""


async def test_annotations_are_checked_against_the_recipe(gql, build, dataset):
    onto = await ontology_of(gql, dataset)
    [item] = await build.items(dataset, [{"name": "a.jpg"}])
    # an empty ontology checks nothing
    await build.annotations([{"itemId": item["id"], "type": "BOX", "label": "anything", "coordinates": BOX}])
    await gql(ADD, {"o": onto, "l": [{"tag": "car"}, {"tag": "cat"}, {"tag": "person"}]})
    await gql("""mutation($o: ID!) { ontologyAttributesUpsert(input: {ontologyId: $o, attributes: [
        {key: "color", type: OPTIONS, options: ["red", "blue"]},
        {key: "tags", type: OPTIONS, multi: true, options: ["a", "b"]},
        {key: "speed", type: RANGE, range: {min: 0, max: 200}, scope: ["car"]},
        {key: "occluded", type: YES_NO}, {key: "note", type: FREE_TEXT}]}) { errors { message } } }""", {"o": onto})

    def ann(label, attributes=None):
        return {"itemId": item["id"], "type": "BOX", "label": label, "coordinates": BOX, "attributes": attributes}

    data = await gql(ANNOTATE, {"a": [
        ann("car", {"color": "red", "tags": ["a", "b"], "speed": 120, "occluded": False, "note": "ok"}),
        ann("cra"),
        ann("person", {"speed": 3}),
        ann("car", {"color": "green"}),
        ann("car", {"tags": "a"}),
        ann("car", {"speed": 500}),
        ann("car", {"wheels": 4}),
    ]})
    errors = data["annotationsCreate"]["errors"]
    assert data["annotationsCreate"]["annotations"] == []
    assert [e["field"] for e in errors] == [
        ["annotations", "1", "label"],
        ["annotations", "2", "attributes", "speed"],
        ["annotations", "3", "attributes", "color"],
        ["annotations", "4", "attributes", "tags"],
        ["annotations", "5", "attributes", "speed"],
        ["annotations", "6", "attributes", "wheels"],
    ]
    assert errors[0]["message"].startswith("annotations.1: label 'cra' is not in the dataset's recipe; closest: ")
    assert set(errors[0]["message"].rsplit(": ", 1)[1].split(", ")) == {"car", "cat"}
    assert "does not apply to label 'person'" in errors[1]["message"]
    assert "one of ['red', 'blue'], got 'green'" in errors[2]["message"]
    assert "a number from 0 to 200, got 500" in errors[4]["message"]
    count = await gql("query($i: ID!) { item(id: $i) { annotationsCount } }", {"i": item["id"]})
    assert count["item"]["annotationsCount"] == 1  # only the one from before the labels existed

    data = await gql(ANNOTATE, {"a": [ann("car", {"color": "red", "speed": 50})]})
    assert data["annotationsCreate"]["errors"] == []
    [created] = data["annotationsCreate"]["annotations"]
    data = await gql("""mutation($id: ID!) { annotationUpdate(input: {id: $id, label: "carr"}) {
        errors { field code message } } }""", {"id": created["id"]})
    assert data["annotationUpdate"]["errors"][0]["field"] == ["label"]
    assert "closest: car" in data["annotationUpdate"]["errors"][0]["message"]


async def test_recipes_with_their_own_ontology_and_switching(gql, build):
    project = await build.project()
    data = await gql("""mutation($p: ID!) { recipeCreate(input: {projectId: $p, title: "Pets",
        labels: [{tag: "dog"}, {tag: "cat"}]}) { recipe { id title ontologies { title labels { tag } } } } }""",
                     {"p": project})
    recipe = data["recipeCreate"]["recipe"]
    assert recipe["ontologies"] == [{"title": "Pets", "labels": [{"tag": "dog"}, {"tag": "cat"}]}]
    ds = await build.dataset(project, "pets")
    await gql("mutation($d: ID!, $r: ID!) { datasetUpdate(input: {id: $d, recipeId: $r}) { errors { message } } }",
              {"d": ds, "r": recipe["id"]})
    data = await gql("query($d: ID!) { dataset(id: $d) { recipe { title } labels { tag } instanceMap } }", {"d": ds})
    assert data["dataset"] == {"recipe": {"title": "Pets"}, "labels": [{"tag": "dog"}, {"tag": "cat"}],
                               "instanceMap": {"cat": 1, "dog": 2}}
    other = await build.project(name="Other")
    data = await gql("""mutation($p: ID!, $r: ID!) { datasetCreate(input: {projectId: $p, name: "x", recipeId: $r})
        { errors { field code } } }""", {"p": other, "r": recipe["id"]})
    assert data["datasetCreate"]["errors"] == [{"field": ["recipeId"], "code": "NOT_FOUND"}]


async def test_dataset_label_reads_are_bounded(gql, build):
    project = await build.project()
    for n in range(4):
        ds = await build.dataset(project, f"ds{n}")
        onto = await ontology_of(gql, ds)
        await gql(ADD, {"o": onto, "l": [{"tag": f"l{n}", "children": [{"tag": "a"}, {"tag": "b"}]}]})
        items = await build.items(ds, [{"name": f"{i}.jpg"} for i in range(3)])
        await build.boxes([i["id"] for i in items], 2, label=f"l{n}.a")
    data = await gql("""query($p: ID!) { project(id: $p) { recipes { totalCount } datasets { nodes {
        recipe { title ontologies { labels { tag children { tag } } attributes { key } } }
        labels { tag } instanceMap labelCounts { label count } } } } }""", {"p": project})
    datasets = data["project"]["datasets"]["nodes"]
    assert data["project"]["recipes"]["totalCount"] == 4
    assert [d["labelCounts"] for d in datasets] == [[{"label": f"l{n}.a", "count": 6}] for n in range(4)]
    assert datasets[2]["instanceMap"] == {"l2": 1, "l2.a": 2, "l2.b": 3}
    # auth, project, recipes count, datasets, recipe, ontologies, labels, attributes, label tree (dataset),
    # label counts: a fixed number whatever the number of datasets
    assert gql.last_statements <= 11
