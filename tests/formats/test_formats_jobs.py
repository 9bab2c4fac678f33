"""datasetExport and datasetImport through GraphQL as Commands: the export's zip downloaded from Command.url (signed),
imported back with a multipart file, a malformed entry failing the command with the file and entry named and
nothing written, bad input (unknown format, a read-only dataset, FORBIDDEN, NOT_FOUND) refused before anything is
queued."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile

import httpx
from support import Builder, job_finished

CMD = "id type status progress message error result version url"
EXPORT = f"""mutation($i: DatasetExportInput!) {{ datasetExport(input: $i) {{ command {{ {CMD} }}
  errors {{ field code message }} }} }}"""
IMPORT = f"""mutation($i: DatasetImportInput!) {{ datasetImport(input: $i) {{ command {{ {CMD} }}
  errors {{ field code message }} }} }}"""
GET = f"query($id: ID!) {{ command(id: $id) {{ {CMD} }} }}"
BOXES = """query($d: ID!) { dataset(id: $d) { items(first: 50, orderBy: [{field: FILENAME}]) { nodes { filename
  annotations { nodes { label coordinates } } } } } }"""


async def finished(gql, id_: str) -> dict:
    return await job_finished(gql, GET, id_)


async def import_file(http: httpx.AsyncClient, token: str, variables: dict, name: str, body: bytes) -> dict:
    """datasetImport with ``file`` sent as a multipart part (the GraphQL multipart request spec)."""
    operations = json.dumps({"query": IMPORT, "variables": {"i": {**variables, "file": None}}})
    response = await http.post("/graphql", headers={"Authorization": f"Bearer {token}"},
                               data={"operations": operations, "map": json.dumps({"0": ["variables.i.file"]})},
                               files={"0": (name, body, "application/zip")})
    data = response.json()
    assert not data.get("errors"), data
    return data["data"]["datasetImport"]


async def boxes(gql, dataset_id: str) -> list:
    nodes = (await gql(BOXES, {"d": dataset_id}))["dataset"]["items"]["nodes"]
    return [(n["filename"], sorted((a["label"], [(float(p["x"]), float(p["y"])) for p in a["coordinates"]])
                                   for a in n["annotations"]["nodes"])) for n in nodes]


async def test_export_download_and_import_back_as_commands(gql, http, admin_token, as_user):
    b = Builder(gql)
    project = await b.project()
    source, target = await b.dataset(project, "source"), await b.dataset(project, "target")
    specs = [{"name": "a.jpg", "dir": "/x", "width": 100, "height": 50}, {"name": "a.jpg", "dir": "/y",
                                                                          "width": 100, "height": 50}]
    items = await b.items(source, specs)
    await b.items(target, specs)
    await b.boxes([i["id"] for i in items], 2)

    queued = (await gql(EXPORT, {"i": {"datasetId": source, "format": "COCO"}}))["datasetExport"]
    assert queued["errors"] == [] and queued["command"]["type"] == "export"
    done = await finished(gql, queued["command"]["id"])
    assert done["status"] == "SUCCESS", done
    assert done["result"]["images"] == 2 and done["result"]["annotations"] == 4
    url = httpx.URL(done["url"])
    download = await http.get(url.raw_path.decode())  # signed: no token needed
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as z:
        doc = json.loads(z.read("annotations/instances_default.json"))
    assert sorted(i["file_name"] for i in doc["images"]) == ["x/a.jpg", "y/a.jpg"]
    assert (await http.get(url.raw_path.decode().replace("s=", "s=A"))).status_code in (401, 403)

    queued = await import_file(http, admin_token, {"datasetId": target, "format": "COCO",
                                                   "createMissingLabels": True}, "coco.zip", download.content)
    assert queued["errors"] == []
    done = await finished(gql, queued["command"]["id"])
    assert done["status"] == "SUCCESS", done
    assert done["result"]["itemsMatched"] == 2 and done["result"]["annotations"] == 4
    assert await boxes(gql, target) == await boxes(gql, source)

    # a malformed entry: the command fails naming the file and the entry, nothing written
    doc["annotations"][3]["bbox"] = [1, 2, "three", 4]
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("annotations/instances_train.json", json.dumps(doc))
    queued = await import_file(http, admin_token, {"datasetId": target, "format": "COCO"}, "bad.zip", bad.getvalue())
    done = await finished(gql, queued["command"]["id"])
    assert done["status"] == "FAILED"
    assert done["error"] == "instances_train.json: annotations[3].bbox: expected 4 numbers [x, y, width, height]"
    assert await boxes(gql, target) == await boxes(gql, source)

    # bad input, refused before anything is queued
    body = await gql.raw(EXPORT, {"i": {"datasetId": source, "format": "TFRECORD"}})
    assert "ExportFormat" in body["errors"][0]["message"] and "TFRECORD" in body["errors"][0]["message"]
    await gql("mutation($d: ID!) { datasetUpdate(input: {id: $d, readonly: true}) { errors { message } } }",
              {"d": target})
    refused = await import_file(http, admin_token, {"datasetId": target, "format": "COCO"}, "coco.zip",
                                download.content)
    assert refused["command"] is None and refused["errors"][0]["code"] == "CONFLICT"
    await gql("mutation($p: ID!, $e: String!) { projectMemberAdd(input: {projectId: $p, email: $e, "
              "role: ANNOTATOR}) { errors { message } } }", {"p": project, "e": "ann@example.com"})
    annotator = await as_user("ann@example.com")
    body = await annotator.raw(EXPORT, {"i": {"datasetId": source, "format": "YOLO"}})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    stranger = await as_user("eve@example.com")
    data = await stranger(EXPORT, {"i": {"datasetId": source, "format": "YOLO"}})
    assert data["datasetExport"]["errors"][0]["code"] == "NOT_FOUND"
    page = await gql("{ commands(filter: {types: [\"export\", \"import\"]}) { totalCount } }")
    assert page["commands"]["totalCount"] == 3  # the export and the two imports, nothing else


async def test_client_exports_to_disk_and_imports_back(gql, served, admin_token, tmp_path):
    from labelgraph_client import Client, CommandFailedError

    b = Builder(gql)
    project = await b.project()
    source, target = await b.dataset(project, "source"), await b.dataset(project, "target")
    specs = [{"name": "p.jpg", "dir": "/", "width": 40, "height": 30}]
    items = await b.items(source, specs)
    await b.items(target, specs)
    await b.boxes([i["id"] for i in items], 1)
    async with Client(f"{served}/graphql", admin_token) as client:
        path = await client.export_dataset(source, "VOC", tmp_path, progress=False)
        assert path == tmp_path / f"{source}-voc.zip"
        with zipfile.ZipFile(path) as z:
            assert "Annotations/p.xml" in z.namelist()
        done = await client.import_dataset(target, "VOC", path, create_missing_labels=True, progress=False)
        assert done.status.value == "SUCCESS" and done.result["annotations"] == 1
        bad = tmp_path / "bad.zip"
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("Annotations/p.xml", "<annotation><filename>p.jpg</filename><object><name>car</name>"
                       "<bndbox><xmin>1</xmin></bndbox></object></annotation>")
        try:
            await client.import_dataset(target, "VOC", bad, progress=False)
            raise AssertionError("the import should have failed")
        except CommandFailedError as exc:
            assert "Annotations/p.xml: object[0].bndbox: expected xmin, ymin, xmax and ymax" in str(exc)
    assert len((await boxes(gql, target))[0][1]) == 1
    # the CLI: labelgraph datasets export (a sync client: in a thread, the server runs in this loop)
    from labelgraph.cli import main

    code = await asyncio.to_thread(main, ["datasets", "export", source, "yolo", str(tmp_path / "cli.zip"), "--url",
                                          f"{served}/graphql", "--token", admin_token, "--no-progress"])
    assert code == 0
    with zipfile.ZipFile(tmp_path / "cli.zip") as z:
        assert sorted(z.namelist()) == ["data.yaml", "labels/default/p.txt"]
