"""Functions get an item's bytes: ``context.client.read_item_content`` through the worker's relay (which fetches
only the gateway's own signed /files/blobs/ URLs); the sample classifier reads an uploaded image's size with Pillow.
The worker runs on the generated client against the in-process app."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import io
import zipfile

from PIL import Image

from labelgraph.engine.runner import Runner
from labelgraph_client import Upload

PACKAGE = """mutation($input: PackageCreateInput!) { packageCreate(input: $input) {
  package { id } errors { field code message } } }"""
SERVICE = """mutation($input: ServiceCreateInput!) { serviceCreate(input: $input) {
  service { id } errors { field code message } } }"""
TRIGGER = """mutation($input: TriggerCreateInput!) { triggerCreate(input: $input) {
  trigger { id } errors { field code message } } }"""
EXECUTE = """mutation($s: ID!, $f: String, $i: JSON) { executionCreate(input: {serviceId: $s, functionName: $f,
  input: $i}) { execution { id } errors { field code message } } }"""
EXECUTIONS = """query($s: ID!) { service(id: $s) { executions { nodes { id status output error } } } }"""


@contextlib.asynccontextmanager
async def running(client, tmp_path, service):
    runner = Runner(client, worker_id="files-worker", wait_seconds=0.5, cache_dir=tmp_path / "cache",
                    service_ids=[service])
    task = asyncio.create_task(runner.run())
    try:
        yield runner
    finally:
        runner.stop()
        await asyncio.wait_for(task, 20)


async def ended(gql, service: str, count: int) -> list[dict]:
    for _ in range(300):
        nodes = (await gql(EXECUTIONS, {"s": service}))["service"]["executions"]["nodes"]
        if len(nodes) == count and all(n["status"] in ("SUCCESS", "FAILED") for n in nodes):
            return nodes
        await asyncio.sleep(0.1)
    raise AssertionError(f"executions did not end: {nodes}")


def jpeg(w: int, h: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), (200, 30, 30)).save(buf, "JPEG")
    return buf.getvalue()


async def test_the_sample_classifier_reads_the_image_size_from_its_bytes(gql, client, build, tmp_path):
    project = await build.project()
    dataset = await build.dataset(project)
    data = await gql(PACKAGE, {"input": {
        "projectId": project, "name": "classifier",
        "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.classifier:Classifier"},
        "modules": [{"functions": [{"name": "classify", "inputs": [{"type": "ITEM"}]}]}]}})
    service = (await gql(SERVICE, {"input": {"packageId": data["packageCreate"]["package"]["id"],
                                             "initParams": {"labels": {"cat": "cat"}}}}))["serviceCreate"]["service"]
    await gql(TRIGGER, {"input": {"serviceId": service["id"], "functionName": "classify"}})
    uploaded = await client.upload_items(dataset_id=dataset, files=[
        Upload(filename="cat.jpg", content=io.BytesIO(jpeg(123, 45)), content_type="image/jpeg")])
    assert uploaded.errors == []
    async with running(client, tmp_path, service["id"]):
        (execution,) = await ended(gql, service["id"], 1)
    assert execution["status"] == "SUCCESS", execution["error"]
    assert execution["output"] == {"itemId": uploaded.items[0].id, "label": "cat", "pixels": [123, 45]}
    item = await client.get_item_content(id=uploaded.items[0].id)
    assert item.metadata["user"] == {"classifiedAs": "cat", "pixels": [123, 45]}


PROBE = '''
class Probe:
    async def fetch(self, url, context):
        response = await context.client.http_client.get(url)
        return {"status": response.status_code, "body": response.text[:200]}

    async def read(self, itemId, context):
        return {"size": len(await context.client.read_item_content(itemId))}
'''


async def test_a_function_may_only_fetch_the_gateways_signed_blob_urls(gql, client, build, tmp_path):
    project = await build.project()
    dataset = await build.dataset(project)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("probe.py", PROBE)
    data = await gql(PACKAGE, {"input": {
        "projectId": project, "name": "probe",
        "codebase": {"type": "ARCHIVE", "reference": "probe:Probe", "filename": "probe.zip",
                     "archive": base64.b64encode(buf.getvalue()).decode()},
        "modules": [{"functions": [{"name": "fetch", "inputs": [{"type": "STRING", "name": "url"}]},
                                   {"name": "read", "inputs": [{"type": "STRING", "name": "itemId"}]}]}]}})
    assert data["packageCreate"]["errors"] == [], data
    service = (await gql(SERVICE, {"input": {"packageId": data["packageCreate"]["package"]["id"]}}
                         ))["serviceCreate"]["service"]["id"]
    body = jpeg(20, 10)
    item = (await client.upload_items(dataset_id=dataset, files=[
        Upload(filename="a.jpg", content=io.BytesIO(body), content_type="image/jpeg")])).items[0]
    signed = (await client.get_item_content(id=item.id)).url
    foreign = ["http://169.254.169.254/latest/meta-data/", "http://labelgraph.test/graphql",
               signed.replace("labelgraph.test", "elsewhere.test")]
    for url in foreign:
        await gql(EXECUTE, {"s": service, "f": "fetch", "i": {"url": url}})
    await gql(EXECUTE, {"s": service, "f": "read", "i": {"itemId": item.id}})
    async with running(client, tmp_path, service):
        executions = await ended(gql, service, len(foreign) + 1)
    outputs = sorted((e["output"] or {}).get("status", 0) for e in executions)
    assert all(e["status"] == "SUCCESS" for e in executions), executions
    assert outputs == [0, 403, 403, 403]  # three refused fetches; read (no status) got the bytes
    assert {"size": len(body)} in [e["output"] for e in executions]
