"""Direct uploads on local storage: itemUploadsCreate → PUT the parts to the gateway's signed URLs → itemsCreate
with uploadId; resuming after a lost part; size and sha256 checks; forged upload URLs."""

from __future__ import annotations

import hashlib
import os

import httpx
import pytest
from test_content_upload import blobs, leftovers, query

from labelgraph.data import content

CREATE = """mutation($d: ID!, $files: [ItemUploadFileInput!]!) {
  itemUploadsCreate(input: {datasetId: $d, files: $files}) {
    uploads { uploadId uploadUrl headers expiresAt partSize parts { number size uploadUrl received } }
    errors { field code message } } }"""
COMMIT = """mutation($d: ID!, $items: [ItemCreateInput!]!) {
  itemsCreate(input: {datasetId: $d, items: $items}) {
    items { id filename size sha256 mimetype url } errors { field code message } } }"""
STATUS = "query($u: ID!) { itemUpload(uploadId: $u) { uploadId parts { number size received } } }"


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of 1 MiB instead of 64 MiB, so a three-part upload stays small."""
    monkeypatch.setattr(content, "PART_SIZE", 1024 * 1024)
    return 1024 * 1024


async def test_a_direct_upload_in_parts_resumes_after_a_lost_part(served, build, admin_token, settings,
                                                                  small_parts):
    ds = await build.dataset(await build.project())
    body = os.urandom(2 * small_parts + 12345)
    sha = hashlib.sha256(body).hexdigest()
    created = (await query(served, admin_token, CREATE, {"d": ds, "files": [
        {"name": "clip.bin", "dir": "/raw", "size": len(body), "sha256": sha}]}))["itemUploadsCreate"]
    assert created["errors"] == []
    upload = created["uploads"][0]
    assert [p["size"] for p in upload["parts"]] == [small_parts, small_parts, 12345]
    assert upload["uploadUrl"] == upload["parts"][0]["uploadUrl"]
    chunks = [body[:small_parts], body[small_parts:2 * small_parts], body[2 * small_parts:]]
    async with httpx.AsyncClient(timeout=30) as http:  # no token: the URLs are signed
        for part in (upload["parts"][0], upload["parts"][2]):  # part 2 "lost"
            put = await http.put(part["uploadUrl"], content=chunks[part["number"] - 1], headers=upload["headers"])
            assert put.status_code == 200, put.text
        status = (await query(served, admin_token, STATUS, {"u": upload["uploadId"]}))["itemUpload"]
        assert [p["received"] for p in status["parts"]] == [True, False, True]

        early = (await query(served, admin_token, COMMIT, {"d": ds, "items": [
            {"name": "clip.bin", "dir": "/raw", "uploadId": upload["uploadId"]}]}))["itemsCreate"]
        assert early["items"] == []
        assert early["errors"][0]["code"] == "CONFLICT" and "[2]" in early["errors"][0]["message"]

        put = await http.put(upload["parts"][1]["uploadUrl"], content=chunks[1])
        assert put.status_code == 200
        done = (await query(served, admin_token, COMMIT, {"d": ds, "items": [
            {"name": "clip.bin", "dir": "/raw", "uploadId": upload["uploadId"]}]}))["itemsCreate"]
        assert done["errors"] == []
        item = done["items"][0]
        assert (item["filename"], item["size"], item["sha256"]) == ("/raw/clip.bin", len(body), sha)
        assert (await http.get(item["url"])).content == body
    assert blobs(settings.data_dir) == [sha]
    assert leftovers(settings.data_dir) == []  # the parts went with the commit
    assert (await query(served, admin_token, STATUS, {"u": upload["uploadId"]}))["itemUpload"] is None


async def test_a_direct_upload_whose_bytes_do_not_match_is_refused(served, build, admin_token, settings):
    ds = await build.dataset(await build.project())
    body = b"the real bytes"
    created = (await query(served, admin_token, CREATE, {"d": ds, "files": [
        {"name": "a.txt", "size": len(body), "sha256": hashlib.sha256(b"other bytes").hexdigest()}]}))
    upload = created["itemUploadsCreate"]["uploads"][0]
    async with httpx.AsyncClient(timeout=30) as http:
        short = await http.put(upload["uploadUrl"], content=body[:-1])
        assert short.status_code == 400 and "exactly 14 bytes" in short.json()["errors"][0]["message"]
        long = await http.put(upload["uploadUrl"], content=body + b"!")
        assert long.status_code == 413
        forged = await http.put(upload["uploadUrl"].replace("s=", "s=A"), content=body)
        assert (forged.status_code, forged.content) == (403, b"")
        assert (await http.put(upload["uploadUrl"], content=body)).status_code == 200
    refused = (await query(served, admin_token, COMMIT, {"d": ds, "items": [
        {"name": "a.txt", "uploadId": upload["uploadId"]}]}))["itemsCreate"]
    assert refused["items"] == []
    assert refused["errors"] == [{"field": ["items", "0", "uploadId"], "code": "INVALID", "message": (
        f"the upload {upload['uploadId']} does not match: the bytes' sha256 is {hashlib.sha256(body).hexdigest()}, "
        f"{hashlib.sha256(b'other bytes').hexdigest()} was announced; PUT the parts again")}]
    assert blobs(settings.data_dir) == []
    assert [p for p in leftovers(settings.data_dir) if not p.startswith("blobs/uploads/")] == []


async def test_direct_upload_input_is_checked(served, build, admin_token, settings):
    ds = await build.dataset(await build.project())
    files = [{"name": "ok.bin", "size": 1}, {"name": "bad\u0007.bin", "size": 1}, {"name": "neg.bin", "size": -1},
             {"name": "huge.bin", "size": settings.max_upload_bytes + 1}, {"name": "x.bin", "size": 1,
                                                                          "sha256": "zz"}]
    errors = (await query(served, admin_token, CREATE, {"d": ds, "files": files}))["itemUploadsCreate"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        (["files", "1", "name"], "INVALID"), (["files", "2", "size"], "INVALID"),
        (["files", "3", "size"], "LIMIT_EXCEEDED"), (["files", "4", "sha256"], "INVALID")]
    assert "LABELGRAPH_MAX_UPLOAD_BYTES" in errors[2]["message"]


async def test_only_callers_who_can_read_the_dataset_get_upload_urls_or_item_urls(served, build, admin_token,
                                                                                   as_user, gql):
    ds = await build.dataset(await build.project())
    created = (await query(served, admin_token, CREATE, {"d": ds, "files": [{"name": "a.txt", "size": 3}]}))
    upload = created["itemUploadsCreate"]["uploads"][0]
    async with httpx.AsyncClient(timeout=30) as http:
        assert (await http.put(upload["uploadUrl"], content=b"abc")).status_code == 200
    item = (await query(served, admin_token, COMMIT, {"d": ds, "items": [
        {"name": "a.txt", "uploadId": upload["uploadId"]}]}))["itemsCreate"]["items"][0]
    stranger = await as_user("stranger@example.com")
    outsider = await stranger.raw("query($i: ID!) { item(id: $i) { url } }", {"i": item["id"]})
    assert outsider["data"]["item"] is None
    refused = await stranger.raw(CREATE, {"d": ds, "files": [{"name": "b.txt", "size": 3}]})
    assert refused["data"]["itemUploadsCreate"]["uploads"] == []
    assert refused["data"]["itemUploadsCreate"]["errors"][0]["code"] == "NOT_FOUND"
    status = await stranger.raw(STATUS, {"u": upload["uploadId"]})
    assert status["data"]["itemUpload"] is None


async def test_a_single_part_sent_again_commits_the_bytes_sent_last(served, build, admin_token, settings):
    """The sha256 noted when a part arrives is reused at commit (no re-read): it must be the last part's."""
    ds = await build.dataset(await build.project())
    first, last = os.urandom(5000), os.urandom(5000)
    created = (await query(served, admin_token, CREATE, {"d": ds, "files": [
        {"name": "a.bin", "size": len(last)}]}))["itemUploadsCreate"]
    upload = created["uploads"][0]
    async with httpx.AsyncClient(timeout=30) as http:
        for data in (first, last):
            assert (await http.put(upload["uploadUrl"], content=data)).status_code == 200
        done = (await query(served, admin_token, COMMIT, {"d": ds, "items": [
            {"name": "a.bin", "uploadId": upload["uploadId"]}]}))["itemsCreate"]
        assert done["errors"] == []
        item = done["items"][0]
        assert item["sha256"] == hashlib.sha256(last).hexdigest()
        got = await http.get(item["url"])
        assert (got.status_code, got.content) == (200, last)
        assert got.headers["etag"] == f'"{item["sha256"]}"'
        assert got.headers["content-length"] == str(len(last))
        again = await http.get(item["url"], headers={"If-None-Match": got.headers["etag"]})
        assert (again.status_code, again.content) == (304, b"")
        head = await http.head(item["url"])
        assert (head.status_code, head.headers["content-length"], head.content) == (200, str(len(last)), b"")
    assert blobs(settings.data_dir) == [item["sha256"]]
    assert leftovers(settings.data_dir) == []
