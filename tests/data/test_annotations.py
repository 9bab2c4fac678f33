"""Annotations: bulk create with per-type coordinate validation, parents, update, cascading delete."""

from __future__ import annotations

from support import ANNOTATIONS, BOX

ITEM = "query($id: ID!) { item(id: $id) { annotated annotationsCount dataset { annotatedCount } } }"


async def _item(build):
    ds = await build.dataset(await build.project())
    [item] = await build.items(ds, [{"name": "a.jpg"}])
    return ds, item["id"]


async def test_every_type_round_trips(gql, build):
    _, item = await _item(build)
    shapes = {
        "BOX": BOX,
        "CLASSIFICATION": [],
        "POINT": {"x": 1, "y": 2},
        "POLYGON": [[{"x": 0, "y": 0}, {"x": 5, "y": 0}, {"x": 5, "y": 5}]],
        "POLYLINE": [[{"x": 0, "y": 0}, {"x": 5, "y": 5}]],
        "SEGMENTATION": "data:image/png;base64,iVBORw0KGgo=",
        "ELLIPSE": {"center": {"x": 3, "y": 3}, "rx": 2, "ry": 1, "angle": 10},
        "CUBE_3D": {"position": {"x": 0, "y": 0, "z": 0}, "scale": {"x": 1, "y": 1, "z": 1},
                    "rotation": {"x": 0, "y": 0, "z": 0}},
        "POSE": {"templateId": "tpl-1"},
        "SUBTITLE": {"text": "hello"},
        "COMPARISON": {"anything": True},
    }
    data = await gql(ANNOTATIONS.replace("annotations { id }", "annotations { id type label coordinates }"),
                     {"a": [{"itemId": item, "type": t, "label": "x", "coordinates": c} for t, c in shapes.items()]})
    created = data["annotationsCreate"]["annotations"]
    assert data["annotationsCreate"]["errors"] == []
    assert {a["type"]: a["coordinates"] for a in created} == shapes
    assert (await gql(ITEM, {"id": item}))["item"] == {"annotated": True, "annotationsCount": len(shapes),
                                                       "dataset": {"annotatedCount": 1}}


async def test_bad_coordinates_reject_the_batch(gql, build):
    _, item = await _item(build)
    data = await gql(ANNOTATIONS, {"a": [
        {"itemId": item, "type": "BOX", "label": "car", "coordinates": BOX},
        {"itemId": item, "type": "BOX", "label": "car", "coordinates": [{"x": 1}]},
        {"itemId": item, "type": "POLYGON", "label": "car", "coordinates": [[{"x": 0, "y": 0}]]},
        {"itemId": "itm_01M838RVSWCPB46QHADY8CAD5R", "type": "POINT", "label": "p", "coordinates": {"x": 1, "y": 1}},
        {"itemId": item, "type": "POINT", "label": "", "coordinates": {"x": 1, "y": 1}},
    ]})
    errors = data["annotationsCreate"]["errors"]
    assert data["annotationsCreate"]["annotations"] == []
    assert [(e["field"], e["code"]) for e in errors] == [
        (["annotations", "1", "coordinates"], "INVALID"),
        (["annotations", "2", "coordinates"], "INVALID"),
        (["annotations", "3", "itemId"], "NOT_FOUND"),
        (["annotations", "4", "label"], "INVALID"),
    ]
    assert "BOX annotation must be [{x, y}, {x, y}]" in errors[0]["message"]
    assert (await gql(ITEM, {"id": item}))["item"]["annotationsCount"] == 0


async def test_parent_must_exist_on_the_same_item(gql, build):
    ds, item = await _item(build)
    [other] = await build.items(ds, [{"name": "b.jpg"}])
    [pose] = await build.annotations([{"itemId": item, "type": "POSE", "label": "person",
                                       "coordinates": {"templateId": "t"}}])
    data = await gql(ANNOTATIONS, {"a": [
        {"itemId": other["id"], "type": "POINT", "label": "nose", "coordinates": {"x": 1, "y": 1}, "parentId": pose},
        {"itemId": item, "type": "POINT", "label": "nose", "coordinates": {"x": 1, "y": 1},
         "parentId": "ann_01M838RVSWCPB46QHADY8CAD5R"},
    ]})
    errors = data["annotationsCreate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["annotations", "0", "parentId"], "INVALID"),
                                                         (["annotations", "1", "parentId"], "NOT_FOUND")]


async def test_deleting_a_parent_deletes_its_children(gql, build):
    _, item = await _item(build)
    [pose] = await build.annotations([{"itemId": item, "type": "POSE", "label": "person",
                                       "coordinates": {"templateId": "t"}}])
    points = await build.annotations([{"itemId": item, "type": "POINT", "label": f"kp{i}",
                                       "coordinates": {"x": i, "y": i}, "parentId": pose} for i in range(3)])
    data = await gql("query($id: ID!) { annotation(id: $id) { children { totalCount nodes { parent { id } } } } }",
                     {"id": pose})
    assert data["annotation"]["children"]["totalCount"] == 3
    data = await gql("mutation($ids: [ID!]!) { annotationsDelete(input: {ids: $ids}) { deletedIds } }", {"ids": [pose]})
    assert sorted(data["annotationsDelete"]["deletedIds"]) == sorted([pose, *points])
    assert (await gql(ITEM, {"id": item}))["item"] == {"annotated": False, "annotationsCount": 0,
                                                       "dataset": {"annotatedCount": 0}}


async def test_annotation_update(gql, build):
    _, item = await _item(build)
    [ann] = await build.boxes([item], 1)
    data = await gql("""mutation($id: ID!) { annotationUpdate(input: {id: $id, label: "truck",
        coordinates: [{x: 0, y: 0}, {x: 9, y: 9}], attributes: {occluded: true}, metadata: {model: "m1"}}) {
        annotation { label coordinates attributes metadata } errors { message } } }""", {"id": ann})
    assert data["annotationUpdate"]["annotation"] == {
        "label": "truck", "coordinates": [{"x": 0, "y": 0}, {"x": 9, "y": 9}], "attributes": {"occluded": True},
        "metadata": {"system": {}, "user": {"model": "m1"}}}
    data = await gql("""mutation($id: ID!) { annotationUpdate(input: {id: $id, type: POINT}) {
        annotation { id } errors { field code message } } }""", {"id": ann})
    assert data["annotationUpdate"]["errors"][0]["field"] == ["coordinates"]
