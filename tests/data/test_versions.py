"""Dataset versions: a frozen copy read like a dataset, never listed, refusing every write with READ_ONLY."""

from __future__ import annotations

import json

VERSION = """mutation($d: ID!, $n: String!) { datasetVersionCreate(input: {datasetId: $d, name: $n}) {
  version { id name itemsCount annotationsCount createdAt dataset { id } }
  errors { field code message } } }"""
READ = """query($v: ID!) { node(id: $v) { ... on DatasetVersion { id name itemsCount annotationsCount
  items(first: 100) { totalCount nodes { id name split metadata dataset { id }
    annotations { nodes { id label parent { id } } } } } } } }"""
COUNTS = "query($d: ID!) { dataset(id: $d) { itemsCount annotatedCount annotations { totalCount } } }"


async def _dataset(gql, build) -> tuple[str, str, list[str]]:
    project = await build.project()
    ds = await build.dataset(project)
    items = [i["id"] for i in await build.items(ds, [{"name": f"{i}.jpg", "metadata": {"n": i}} for i in range(4)])]
    await build.boxes(items[:3], 1)
    await gql("""mutation($d: ID!, $i: [ID!]) { itemsSplitSet(input: {datasetId: $d, itemIds: $i, split: "train"})
                 { count errors { message } } }""", {"d": ds, "i": items[:2]})
    return project, ds, items


async def test_a_version_freezes_the_dataset(gql, build):
    project, ds, items = await _dataset(gql, build)
    data = (await gql(VERSION, {"d": ds, "n": "v1"}))["datasetVersionCreate"]
    assert data["errors"] == []
    version = data["version"]
    assert version["id"].startswith("dsv_") and version["dataset"]["id"] == ds
    assert (version["name"], version["itemsCount"], version["annotationsCount"]) == ("v1", 4, 3)

    # the source changes afterwards; the version does not
    await gql("""mutation($i: ID!) { itemUpdate(input: {id: $i, metadata: {n: 99}}) { errors { message } } }""",
              {"i": items[0]})
    await build.items(ds, [{"name": "late.jpg"}])
    await build.boxes([items[3]], 2)
    frozen = (await gql(READ, {"v": version["id"]}))["node"]
    nodes = frozen["items"]["nodes"]
    assert frozen["items"]["totalCount"] == 4 and sorted(n["name"] for n in nodes) == [f"{i}.jpg" for i in range(4)]
    assert {n["name"]: n["metadata"]["user"]["n"] for n in nodes} == {f"{i}.jpg": i for i in range(4)}
    assert {n["name"]: n["split"] for n in nodes} == {"0.jpg": "train", "1.jpg": "train", "2.jpg": None,
                                                      "3.jpg": None}
    assert sum(len(n["annotations"]["nodes"]) for n in nodes) == 3
    snapshot = nodes[0]["dataset"]["id"]
    assert snapshot != ds and all(n["dataset"]["id"] == snapshot for n in nodes)

    # the version's items take a filter; the dataset lists its versions; a second name, a second version
    split = """query($v: ID!) { node(id: $v) { ... on DatasetVersion {
      items(filter: {split: {eq: "train"}}) { totalCount } } } }"""
    assert (await gql(split, {"v": version["id"]}))["node"]["items"]["totalCount"] == 2
    v2 = (await gql(VERSION, {"d": ds, "n": "v2"}))["datasetVersionCreate"]["version"]
    assert (v2["itemsCount"], v2["annotationsCount"]) == (5, 5)
    listed = await gql("""query($d: ID!) { dataset(id: $d) { versions { totalCount nodes { name itemsCount } } } }""",
                       {"d": ds})
    assert listed["dataset"]["versions"] == {"totalCount": 2, "nodes": [{"name": "v1", "itemsCount": 4},
                                                                        {"name": "v2", "itemsCount": 5}]}

    # the frozen copies are never listed (compiled and resolver paths), and the source's counters are its own
    lists = """query($p: ID!) { project(id: $p) { datasets { totalCount nodes { id } } } }"""
    assert (await gql(lists, {"p": project}))["project"]["datasets"] == {"totalCount": 1, "nodes": [{"id": ds}]}
    resolved = """query($p: ID!) { project(id: $p) { datasets(filter: {readonly: true}) { totalCount nodes {
      id labelCounts { label } } } recipes: datasets { nodes { recipe { datasets { nodes { id } } } } } } }"""
    data = (await gql(resolved, {"p": project}))["project"]
    assert data["datasets"]["totalCount"] == 0
    assert data["recipes"]["nodes"][0]["recipe"]["datasets"]["nodes"] == [{"id": ds}]
    assert (await gql(COUNTS, {"d": ds}))["dataset"] == {"itemsCount": 5, "annotatedCount": 4,
                                                         "annotations": {"totalCount": 5}}


async def test_bad_version_input(gql, build):
    _, ds, _ = await _dataset(gql, build)
    assert (await gql(VERSION, {"d": ds, "n": "v1"}))["datasetVersionCreate"]["errors"] == []
    errors = (await gql(VERSION, {"d": ds, "n": "v1"}))["datasetVersionCreate"]["errors"]
    assert errors[0]["code"] == "DUPLICATE" and errors[0]["field"] == ["name"]
    errors = (await gql(VERSION, {"d": ds, "n": " "}))["datasetVersionCreate"]["errors"]
    assert errors == [{"field": ["name"], "code": "INVALID", "message": "name must not be empty"}]
    errors = (await gql(VERSION, {"d": "ds_01JD3XXXXXXXXXXXXXXXXXXXXX", "n": "x"}))["datasetVersionCreate"]
    assert errors["version"] is None and errors["errors"][0]["code"] == "NOT_FOUND"
    # a dataset's versions go with it
    vid = (await gql("query($d: ID!) { dataset(id: $d) { versions { nodes { id } } } }", {"d": ds}))[
        "dataset"]["versions"]["nodes"][0]["id"]
    await gql("mutation($d: ID!) { datasetDelete(input: {id: $d, confirm: true}) { errors { message } } }", {"d": ds})
    assert (await gql(READ, {"v": vid}))["node"] is None


async def test_every_write_to_a_version_is_read_only(gql, build, http, admin_token):
    _, ds, _ = await _dataset(gql, build)
    vid = (await gql(VERSION, {"d": ds, "n": "v1"}))["datasetVersionCreate"]["version"]["id"]
    before = (await gql(READ, {"v": vid}))["node"]
    nodes = before["items"]["nodes"]
    snap = nodes[0]["dataset"]["id"]
    item = next(n for n in nodes if n["annotations"]["nodes"])
    ann = item["annotations"]["nodes"][0]["id"]
    box = {"itemId": item["id"], "type": "BOX", "label": "car", "coordinates": [{"x": 0, "y": 0}, {"x": 1, "y": 1}]}

    def refused(payload: dict) -> None:
        assert payload["errors"], payload
        assert payload["errors"][0]["code"] == "READ_ONLY", payload["errors"]
        assert "read-only" in payload["errors"][0]["message"]

    writes = [
        ("itemsCreate", """mutation($d: ID!) { itemsCreate(input: {datasetId: $d, items: [{name: "x.jpg"}]}) {
            errors { code message } } }""", {"d": snap}),
        ("itemUpdate", """mutation($i: ID!) { itemUpdate(input: {id: $i, name: "y.jpg"}) {
            errors { code message } } }""",
         {"i": item["id"]}),
        ("itemsUpdate", """mutation($d: ID!) { itemsUpdate(input: {datasetId: $d, filter: {}, hidden: true}) {
            errors { code message } } }""", {"d": snap}),
        ("itemsDelete", """mutation($i: ID!) { itemsDelete(input: {ids: [$i]}) { errors { code message } } }""",
         {"i": item["id"]}),
        ("itemsDelete", """mutation($d: ID!) { itemsDelete(input: {datasetId: $d, filter: {}}) {
            errors { code message } } }""", {"d": snap}),
        ("annotationsCreate", """mutation($a: [AnnotationCreateInput!]!) { annotationsCreate(input: {annotations: $a})
            { errors { code message } } }""", {"a": [box]}),
        ("annotationUpdate", """mutation($a: ID!) { annotationUpdate(input: {id: $a, label: "bus"}) {
            errors { code message } } }""", {"a": ann}),
        ("annotationsUpdate", """mutation($a: ID!) { annotationsUpdate(input: {annotations: [{id: $a, label: "bus"}]})
            { errors { code message } } }""", {"a": ann}),
        ("annotationsDelete", """mutation($a: ID!) { annotationsDelete(input: {ids: [$a]}) {
            errors { code message } } }""", {"a": ann}),
        ("itemsSplitSet", """mutation($d: ID!) { itemsSplitSet(input: {datasetId: $d, filter: {}, split: "x"}) {
            errors { code message } } }""", {"d": snap}),
        ("datasetSplit", """mutation($d: ID!) { datasetSplit(input: {datasetId: $d, ratios: {a: 1}}) {
            errors { code message } } }""", {"d": snap}),
        ("datasetUpdate", """mutation($d: ID!) { datasetUpdate(input: {id: $d, readonly: false}) {
            errors { code message } } }""", {"d": snap}),
        ("datasetDelete", """mutation($d: ID!) { datasetDelete(input: {id: $d, confirm: true}) {
            errors { code message } } }""", {"d": snap}),
        ("taskCreate", """mutation($d: ID!) { taskCreate(input: {datasetId: $d, name: "t", assignees: []}) {
            errors { code message } } }""", {"d": snap}),
    ]
    for field, query, variables in writes:
        refused((await gql(query, variables))[field])

    # itemsStatusSet: a version's items are in no task (taskCreate is refused above), so none takes a status
    task = await gql("""mutation($d: ID!) { taskCreate(input: {datasetId: $d, name: "t", assignees: [
        {email: "admin@labelgraph.local"}]}) {
        task { id } errors { message } } }""", {"d": ds})
    status = await gql("""mutation($t: ID!, $i: ID!) { itemsStatusSet(input: {taskId: $t, itemIds: [$i],
        status: "completed"}) { errors { code } } }""", {"t": task["taskCreate"]["task"]["id"], "i": item["id"]})
    assert status["itemsStatusSet"]["errors"][0]["code"] == "NOT_FOUND"

    # an upload into the version's dataset (multipart, as curl sends it)
    operations = json.dumps({"query": """mutation($d: ID!, $f: [Upload!]!) { itemsUpload(input: {datasetId: $d,
        files: $f}) { errors { code message } } }""", "variables": {"d": snap, "f": [None]}})
    response = await http.post("/graphql", headers={"Authorization": f"Bearer {admin_token}"},
                               data={"operations": operations, "map": json.dumps({"0": ["variables.f.0"]})},
                               files={"0": ("z.txt", b"hello", "text/plain")})
    refused(response.json()["data"]["itemsUpload"])

    assert (await gql(READ, {"v": vid}))["node"] == before  # nothing was written
