"""itemsUpload over real HTTP (the GraphQL multipart request spec, as curl sends it), probing, signed downloads
with ranges, thumbnails, and what bad input leaves behind."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
from pathlib import Path

import httpx
import pytest
from PIL import Image

UPLOAD = """mutation($d: ID!, $files: [Upload!]!, $dir: String, $meta: [JSON!], $over: Boolean) {
  itemsUpload(input: {datasetId: $d, files: $files, dir: $dir, metadata: $meta, overwrite: $over}) {
    items { id name dir filename mimetype size width height sha256 fps duration metadata url thumbnailUrl }
    errors { field code message } } }"""


def jpeg(width: int, height: int, orientation: int | None = None, color: str = "red") -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 128, 0, 255)).save(out, "PNG")
    return out.getvalue()


def multipart(variables: dict, files: list[tuple[str, bytes]], query: str = UPLOAD) -> tuple[dict, dict]:
    """The spec's operations/map/file parts for ``variables.files``."""
    variables = {**variables, "files": [None] * len(files)}
    operations = json.dumps({"query": query, "variables": variables})
    mapping = json.dumps({str(i): [f"variables.files.{i}"] for i in range(len(files))})
    return ({"operations": operations, "map": mapping},
            {str(i): (name, body, "application/octet-stream") for i, (name, body) in enumerate(files)})


async def upload(base: str, token: str, variables: dict, files: list[tuple[str, bytes]]) -> httpx.Response:
    """POST the files as multipart/form-data, file names written as they are (httpx would escape control
    characters, a careless client may not)."""
    data, _ = multipart(variables, files)
    boundary = b"labelgraph-test-boundary"
    body = b"".join(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                    % (boundary, k.encode(), v.encode()) for k, v in data.items())
    for i, (name, content) in enumerate(files):
        body += (b"--%s\r\nContent-Disposition: form-data; name=\"%d\"; filename=\"%s\"\r\n"
                 b"Content-Type: application/octet-stream\r\n\r\n%s\r\n" % (boundary, i, name.encode(), content))
    body += b"--%s--\r\n" % boundary
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        return await http.post("/graphql", content=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary.decode()}"})


async def query(base: str, token: str, document: str, variables: dict | None = None) -> dict:
    """GraphQL over real HTTP (URLs in the answer then name the served host)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post("/graphql", json={"query": document, "variables": variables or {}},
                                   headers={"Authorization": f"Bearer {token}"})
    body = response.json()
    assert not body.get("errors"), body
    return body["data"]


def leftovers(data_dir: Path) -> list[str]:
    """Files under the storage folder and the upload spool, except blobs (and their folders)."""
    found = []
    for sub in ("tmp", "blobs/uploads"):
        root = data_dir / sub
        if root.exists():
            found += [str(p.relative_to(data_dir)) for p in root.rglob("*") if p.is_file()]
    return found


def blobs(data_dir: Path) -> list[str]:
    root = data_dir / "blobs" / "blobs"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_curl_multipart_upload_probes_and_serves_the_files(served, build, admin_token, settings, tmp_path):
    ds = await build.dataset(await build.project())
    cat = tmp_path / "cat.jpg"
    cat.write_bytes(jpeg(640, 480, orientation=6))  # stored sideways: shown 480 wide, 640 tall
    (tmp_path / "leaf.png").write_bytes(png(32, 16))
    operations = json.dumps({"query": UPLOAD, "variables": {"d": ds, "files": [None, None], "dir": "/pets",
                                                             "meta": [{"kind": "cat"}, {}]}})
    mapping = json.dumps({"0": ["variables.files.0"], "1": ["variables.files.1"]})
    proc = await asyncio.create_subprocess_exec(
        "curl", "-sS", f"{served}/graphql", "-H", f"Authorization: Bearer {admin_token}",
        "-F", f"operations={operations}", "-F", f"map={mapping}", "-F", f"0=@{cat}", "-F",
        f"1=@{tmp_path / 'leaf.png'};filename=leaf.bin", stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    body = json.loads(out)
    assert body.get("errors") is None, body
    payload = body["data"]["itemsUpload"]
    assert payload["errors"] == []
    cat_item, leaf = payload["items"]
    assert (cat_item["filename"], cat_item["mimetype"], cat_item["width"], cat_item["height"]) == (
        "/pets/cat.jpg", "image/jpeg", 480, 640)
    assert cat_item["sha256"] == hashlib.sha256(cat.read_bytes()).hexdigest()
    assert cat_item["size"] == cat.stat().st_size
    assert cat_item["metadata"]["system"] == {"mimetype": "image/jpeg", "size": cat_item["size"],
                                              "sha256": cat_item["sha256"], "width": 480, "height": 640}
    assert cat_item["metadata"]["user"] == {"kind": "cat"}
    # the content decides, not the extension
    assert (leaf["name"], leaf["mimetype"], leaf["width"], leaf["height"]) == ("leaf.bin", "image/png", 32, 16)

    async with httpx.AsyncClient(timeout=30) as http:  # no Authorization header: the URL is the key
        got = await http.get(cat_item["url"])
        assert got.status_code == 200
        assert got.content == cat.read_bytes()
        assert got.headers["content-type"] == "image/jpeg"
        assert got.headers["content-length"] == str(cat_item["size"])
        assert got.headers["etag"] == f'"{cat_item["sha256"]}"'
        assert "max-age" in got.headers["cache-control"]
        part = await http.get(cat_item["url"], headers={"Range": "bytes=10-19"})
        assert (part.status_code, part.content) == (206, cat.read_bytes()[10:20])
        assert part.headers["content-range"] == f"bytes 10-19/{cat_item['size']}"
        tail = await http.get(cat_item["url"], headers={"Range": "bytes=-5"})
        assert (tail.status_code, tail.content) == (206, cat.read_bytes()[-5:])
        beyond = await http.get(cat_item["url"], headers={"Range": f"bytes={cat_item['size']}-"})
        assert beyond.status_code == 416
        assert beyond.headers["content-range"] == f"bytes */{cat_item['size']}"

        thumb = await http.get(cat_item["thumbnailUrl"])
        assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
        shown = Image.open(io.BytesIO(thumb.content))
        assert max(shown.size) == 256 and shown.size[1] > shown.size[0]  # portrait, as displayed
    assert len(blobs(settings.data_dir)) == 2
    assert leftovers(settings.data_dir) == []


async def test_forged_or_expired_urls_get_403_and_nothing_else(served, build, admin_token):
    ds = await build.dataset(await build.project())
    response = await upload(served, admin_token, {"d": ds}, [("a.jpg", jpeg(8, 8))])
    url = response.json()["data"]["itemsUpload"]["items"][0]["url"]
    item_id = response.json()["data"]["itemsUpload"]["items"][0]["id"]
    short = (await query(served, admin_token, "query($i: ID!) { item(id: $i) { url(expiresIn: 1) } }",
                         {"i": item_id}))["item"]["url"]
    base, signed = url.split("?")
    other_sha = "0" * 64
    async with httpx.AsyncClient(timeout=30) as http:
        assert (await http.get(url)).status_code == 200
        for forged in (base + "?" + signed.replace("s=", "s=x"), base, base.replace(base[-64:], other_sha) + "?"
                       + signed, base + "?" + signed.replace("e=", "e=9")):
            refused = await http.get(forged)
            assert (refused.status_code, refused.content) == (403, b"")

        async def expired() -> bool:
            return (await http.get(short)).status_code == 403

        deadline = asyncio.get_running_loop().time() + 5
        while not await expired():  # a URL valid for 1 s: refused once the clock passes its expiry
            assert asyncio.get_running_loop().time() < deadline
            await asyncio.sleep(0.2)


async def test_identical_bytes_are_stored_once_and_names_clash_unless_overwrite(served, build, admin_token,
                                                                                settings):
    project = await build.project()
    one, two = await build.dataset(project, "one"), await build.dataset(project, "two")
    body = jpeg(20, 10)
    for ds in (one, two):
        response = await upload(served, admin_token, {"d": ds}, [("same.jpg", body)])
        assert response.json()["data"]["itemsUpload"]["errors"] == []
    assert blobs(settings.data_dir) == [hashlib.sha256(body).hexdigest()]

    clash = await upload(served, admin_token, {"d": one}, [("new.jpg", jpeg(4, 4)), ("same.jpg", jpeg(5, 5))])
    payload = clash.json()["data"]["itemsUpload"]
    assert payload["items"] == []
    assert payload["errors"][0]["code"] == "DUPLICATE" and payload["errors"][0]["field"] == ["files", "1"]
    assert len(blobs(settings.data_dir)) == 1  # refused before anything was stored

    replaced = await upload(served, admin_token, {"d": one, "over": True}, [("same.jpg", jpeg(30, 40))])
    item = replaced.json()["data"]["itemsUpload"]["items"][0]
    assert (item["width"], item["height"]) == (30, 40)


@pytest.mark.parametrize("name", ["a/b.jpg", "..", "nul\x00.jpg", "tab\t.jpg", "line\n.jpg"])
async def test_bad_file_names_are_refused_and_nothing_is_stored(served, build, admin_token, settings, name):
    ds = await build.dataset(await build.project())
    response = await upload(served, admin_token, {"d": ds}, [("fine.jpg", jpeg(4, 4)), (name, jpeg(4, 4))])
    body = response.json()
    errors = body["data"]["itemsUpload"]["errors"] if body.get("data") else body["errors"]
    assert errors, body
    if body.get("data"):
        assert errors[0]["field"] == ["files", "1"] and errors[0]["code"] == "INVALID"
    assert blobs(settings.data_dir) == []
    assert leftovers(settings.data_dir) == []


async def test_a_corrupt_image_is_stored_with_a_probe_error(served, build, admin_token):
    ds = await build.dataset(await build.project())
    broken = jpeg(64, 64)[:200]  # JPEG magic, then cut short
    response = await upload(served, admin_token, {"d": ds}, [("broken.jpg", broken)])
    item = response.json()["data"]["itemsUpload"]["items"][0]
    assert (item["mimetype"], item["width"], item["height"]) == ("image/jpeg", None, None)
    assert item["metadata"]["system"]["probeError"]
    assert item["thumbnailUrl"] is not None
    async with httpx.AsyncClient(timeout=30) as http:
        assert (await http.get(item["url"])).content == broken
        assert (await http.get(item["thumbnailUrl"])).status_code == 404


async def test_an_image_cut_short_after_its_header_keeps_its_size_and_gets_no_thumbnail(served, build,
                                                                                        admin_token):
    ds = await build.dataset(await build.project())
    whole = jpeg(64, 48)
    cut = whole[:whole.rindex(b"\xff\xda") + 20]  # the header up to the image data, then a few bytes of it
    response = await upload(served, admin_token, {"d": ds}, [("cut.jpg", cut)])
    item = response.json()["data"]["itemsUpload"]["items"][0]
    # probing reads the header only: the size is known; the pixels are decoded for the thumbnail, which fails
    assert (item["mimetype"], item["width"], item["height"]) == ("image/jpeg", 64, 48)
    async with httpx.AsyncClient(timeout=30) as http:
        assert (await http.get(item["url"])).content == cut
        assert (await http.get(item["thumbnailUrl"])).status_code == 404


async def test_a_multipart_request_missing_its_file_part_is_refused(served, build, admin_token, settings):
    ds = await build.dataset(await build.project())
    data, parts = multipart({"d": ds}, [("a.jpg", jpeg(4, 4))])
    async with httpx.AsyncClient(base_url=served, timeout=30) as http:
        response = await http.post("/graphql", data=data, files={"other": ("x", b"x")},
                                   headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    assert blobs(settings.data_dir) == []


async def test_an_upload_over_the_limit_gets_413_naming_it(app, build, admin_token, settings):
    from support import serving

    from labelgraph.app import create_app

    small = create_app(settings.with_(max_upload_bytes=1000), migrate=False)
    ds = await build.dataset(await build.project())
    async with small.router.lifespan_context(small), serving(small) as base:
        response = await upload(base, admin_token, {"d": ds}, [("big.bin", b"x" * 5_000_000)])
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"]["setting"] == "LABELGRAPH_MAX_UPLOAD_BYTES"
    assert "LABELGRAPH_MAX_UPLOAD_BYTES" in error["message"]
    assert blobs(settings.data_dir) == [] and leftovers(settings.data_dir) == []


async def test_a_client_gone_mid_upload_leaves_nothing(served, build, admin_token, settings, gql):
    ds = await build.dataset(await build.project())
    data, parts = multipart({"d": ds}, [("big.bin", b"")])
    boundary = "xyzzy"
    head = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                   for k, v in data.items())
    head += f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.bin"\r\n\r\n'
    host, port = served.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write((f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {admin_token}\r\n"
                  f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 50000000\r\n\r\n"
                  + head).encode() + b"x" * 3_000_000)
    await writer.drain()
    writer.close()  # gone with 47 MB still to send
    await writer.wait_closed()
    items = "query($d: ID!) { dataset(id: $d) { itemsCount } }"
    for _ in range(50):
        await asyncio.sleep(0.1)  # let the server notice the disconnect and clean up
        if leftovers(settings.data_dir) == []:
            break
    assert (await gql(items, {"d": ds}))["dataset"]["itemsCount"] == 0
    assert blobs(settings.data_dir) == [] and leftovers(settings.data_dir) == []
