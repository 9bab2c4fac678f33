"""Item content on S3: a real S3-compatible HTTP server on loopback (moto's server), the same API as local
storage — multipart uploads, presigned downloads with ranges, direct uploads in parts to presigned PUT URLs,
thumbnails, blob collection."""

from __future__ import annotations

import hashlib
import os

import httpx
import pytest
from support import free_loopback_port, serving
from test_content_direct import COMMIT, CREATE, STATUS
from test_content_upload import jpeg, query, upload

from labelgraph.app import create_app
from labelgraph.data import content

BUCKET = "labelgraph-test"


def s3_client(endpoint: str):
    # boto3 and moto are imported where used, not at collection: ~0.3 s of CPU in every pytest process (each xdist
    # worker) that never runs these tests
    import boto3  # noqa: PLC0415

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


@pytest.fixture(scope="module")
def moto_server():
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    port = free_loopback_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3_client(endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
async def s3_served(settings, moto_server):
    s3_settings = settings.with_(storage_url=f"s3://{BUCKET}/{os.urandom(4).hex()}", s3_endpoint=moto_server,
                                 s3_region="us-east-1", s3_access_key_id="test", s3_secret_access_key="test")
    app = create_app(s3_settings, migrate=False)
    async with app.router.lifespan_context(app), serving(app) as base:
        yield base, app, s3_settings


def objects(endpoint: str, prefix: str) -> list[str]:
    s3 = s3_client(endpoint)
    return sorted(o["Key"][len(prefix) + 1:] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix + "/")
                  .get("Contents", []))


async def test_multipart_upload_and_presigned_download_on_s3(s3_served, build, admin_token, moto_server):
    base, _, s3_settings = s3_served
    prefix = s3_settings.storage_url.split("/", 3)[3]
    ds = await build.dataset(await build.project())
    body = jpeg(120, 80)
    response = await upload(base, admin_token, {"d": ds}, [("car.jpg", body)])
    item = response.json()["data"]["itemsUpload"]["items"][0]
    assert (item["width"], item["height"], item["mimetype"]) == (120, 80, "image/jpeg")
    sha = hashlib.sha256(body).hexdigest()
    assert objects(moto_server, prefix) == [f"blobs/{sha[:2]}/{sha}"]
    assert item["url"].startswith(moto_server)  # presigned by S3, not served by the gateway
    async with httpx.AsyncClient(timeout=30) as http:
        got = await http.get(item["url"])
        assert got.status_code == 200 and got.content == body
        assert got.headers["content-type"] == "image/jpeg"
        part = await http.get(item["url"], headers={"Range": "bytes=0-9"})
        assert (part.status_code, part.content) == (206, body[:10])
        thumb = await http.get(item["thumbnailUrl"])
        assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert f"thumbs/{sha}/256.jpg" in objects(moto_server, prefix)


async def test_direct_upload_in_parts_to_presigned_urls_on_s3(s3_served, build, admin_token, moto_server,
                                                              monkeypatch):
    base, _, s3_settings = s3_served
    prefix = s3_settings.storage_url.split("/", 3)[3]
    monkeypatch.setattr(content, "PART_SIZE", 1024 * 1024)
    ds = await build.dataset(await build.project())
    body = os.urandom(2 * 1024 * 1024 + 99)
    sha = hashlib.sha256(body).hexdigest()
    upload_ = (await query(base, admin_token, CREATE, {"d": ds, "files": [
        {"name": "big.bin", "size": len(body), "sha256": sha}]}))["itemUploadsCreate"]["uploads"][0]
    assert all(p["uploadUrl"].startswith(moto_server) for p in upload_["parts"])
    async with httpx.AsyncClient(timeout=30) as http:
        for part in upload_["parts"][:2]:
            start = (part["number"] - 1) * 1024 * 1024
            put = await http.put(part["uploadUrl"], content=body[start:start + int(part["size"])])
            assert put.status_code == 200, put.text
        status = (await query(base, admin_token, STATUS, {"u": upload_["uploadId"]}))["itemUpload"]
        assert [p["received"] for p in status["parts"]] == [True, True, False]
        last = upload_["parts"][2]
        assert (await http.put(last["uploadUrl"], content=body[2 * 1024 * 1024:])).status_code == 200
        done = (await query(base, admin_token, COMMIT, {"d": ds, "items": [
            {"name": "big.bin", "uploadId": upload_["uploadId"]}]}))["itemsCreate"]
        assert done["errors"] == []
        assert (done["items"][0]["size"], done["items"][0]["sha256"]) == (len(body), sha)
        assert (await http.get(done["items"][0]["url"])).content == body
    assert objects(moto_server, prefix) == [f"blobs/{sha[:2]}/{sha}"]  # the parts went with the commit
