"""The client's file extras and the ``labelgraph items`` CLI against a live ``labelgraph serve`` over real HTTP:
upload a folder (its tree kept), upload again (skipped by sha256), a part whose connection drops mid-body
(resumed: only that part is sent again), download the tree (skipped when the sha256 on disk matches)."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageDraw


def image_bytes(w: int, h: int, fmt: str = "JPEG", seed: int = 0) -> bytes:
    img = Image.new("RGB", (w, h), (seed * 40 % 256, 90, 160))
    ImageDraw.Draw(img).rectangle((w // 4, h // 4, w // 2, h // 2), fill=(255, 255 - seed, 0))
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def make_tree(root: Path) -> dict[str, bytes]:
    """Files by their dataset path below the upload's dir."""
    files = {"z.png": image_bytes(30, 20, "PNG"), "a/x.jpg": image_bytes(40, 30, seed=1),
             "a/b/y.jpg": image_bytes(64, 48, seed=2)}
    for rel, body in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    return files


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@pytest.fixture
def dataset(live_sync_client) -> str:
    c = live_sync_client
    org = c.create_organization(name="Files Org").organization
    project = c.create_project(organization_id=org.id, name="Files").project
    return c.create_dataset(project_id=project.id, name="photos").dataset.id


def listing(client, dataset_id: str) -> dict[str, object]:
    return {i.filename: i for i in client.iter_nodes(client.list_item_contents, dataset_id=dataset_id)}


def test_upload_a_folder_keeps_its_tree_and_a_second_upload_skips_it(live_sync_client, dataset, tmp_path):
    files = make_tree(tmp_path / "photos")
    report = live_sync_client.upload_files(dataset, tmp_path / "photos", dir="/imp", progress=False)
    assert report.ok, report.failed
    assert len(report.uploaded) == 3 and report.skipped == []

    items = listing(live_sync_client, dataset)
    assert set(items) == {"/imp/z.png", "/imp/a/x.jpg", "/imp/a/b/y.jpg"}
    for rel, body in files.items():
        item = items["/imp/" + rel]
        assert (item.sha_256, item.size) == (sha(body), len(body))
    assert (items["/imp/a/b/y.jpg"].width, items["/imp/a/b/y.jpg"].height) == (64, 48)
    assert items["/imp/z.png"].mimetype == "image/png"

    again = live_sync_client.upload_files(dataset, tmp_path / "photos", dir="/imp", progress=False)
    assert (again.uploaded, sorted(again.skipped), again.failed) == (
        [], sorted((tmp_path / "photos" / rel) for rel in files), {})
    assert len(listing(live_sync_client, dataset)) == 3

    # other bytes under a taken name: reported, never overwritten; the new file beside it goes up
    (tmp_path / "photos" / "z.png").write_bytes(image_bytes(31, 20, "PNG"))
    (tmp_path / "photos" / "new.jpg").write_bytes(image_bytes(10, 10))
    third = live_sync_client.upload_files(dataset, tmp_path / "photos", dir="/imp", progress=False)
    assert [i.filename for i in third.uploaded] == ["/imp/new.jpg"]
    assert list(third.failed) == [tmp_path / "photos" / "z.png"]
    assert "DUPLICATE" in third.failed[tmp_path / "photos" / "z.png"]
    assert listing(live_sync_client, dataset)["/imp/z.png"].sha_256 == sha(files["z.png"])


def test_the_sync_client_sends_larger_files_as_direct_uploads(live_sync_client, dataset, tmp_path, monkeypatch):
    """Files above SMALL_FILE (lowered here so the tree's small images qualify) go up as direct uploads and are
    committed with itemsCreate; the server's sha256 is the file's."""
    from labelgraph_client import files as client_files

    monkeypatch.setattr(client_files, "SMALL_FILE", 16)
    files = make_tree(tmp_path / "photos")
    report = live_sync_client.upload_files(dataset, tmp_path / "photos", dir="/direct", progress=False)
    assert report.ok, report.failed
    assert sorted(i.filename for i in report.uploaded) == ["/direct/a/b/y.jpg", "/direct/a/x.jpg", "/direct/z.png"]
    items = listing(live_sync_client, dataset)
    assert {f: i.sha_256 for f, i in items.items()} == {f"/direct/{rel}": sha(body) for rel, body in files.items()}


def test_single_files_go_to_dir(live_sync_client, dataset, tmp_path):
    make_tree(tmp_path)
    report = live_sync_client.upload_files(dataset, [tmp_path / "z.png", tmp_path / "a" / "x.jpg"], dir="loose/",
                                           progress=False)
    assert sorted(i.filename for i in report.uploaded) == ["/loose/x.jpg", "/loose/z.png"]
    with pytest.raises(FileNotFoundError, match="nothing-here"):
        live_sync_client.upload_files(dataset, [tmp_path / "nothing-here"], progress=False)


class _CutBody(httpx.AsyncByteStream):
    """A request body that breaks the connection after ``after`` bytes (what a dropped network does)."""

    def __init__(self, inner, after: int) -> None:
        self.inner, self.after = inner, after

    async def __aiter__(self):
        sent = 0
        async for chunk in self.inner:
            if sent + len(chunk) > self.after:
                raise httpx.WriteError("connection dropped mid-part (test)")
            sent += len(chunk)
            yield chunk


class DropPartOnce(httpx.AsyncBaseTransport):
    """Real HTTP, except that the first PUT of part ``part`` loses its connection after 4 MiB."""

    def __init__(self, part: int) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.part = part
        self.puts: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            number = int(request.url.path.split("/")[4])  # /files/uploads/<uploadId>/<part>/<size>
            self.puts[number] += 1
            if number == self.part and self.puts[number] == 1:
                request.stream = _CutBody(request.stream, after=4 * 1024 * 1024)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_part_that_drops_mid_body_is_resumed_alone(live_client, tmp_path):
    org = (await live_client.create_organization(name="Big Org")).organization
    project = (await live_client.create_project(organization_id=org.id, name="Big")).project
    ds = (await live_client.create_dataset(project_id=project.id, name="big")).dataset.id
    big = tmp_path / "big.bin"  # two parts: 64 MiB and 6 MiB
    h = hashlib.sha256()
    with big.open("wb") as f:
        for _ in range(70):
            chunk = os.urandom(1024 * 1024)
            h.update(chunk)
            f.write(chunk)

    transport = DropPartOnce(part=2)
    async with httpx.AsyncClient(transport=transport, timeout=60) as http:
        report = await live_client.upload_files(ds, big, progress=False, http_client=http)
    assert report.ok, report.failed
    assert transport.puts == {1: 1, 2: 2}  # part 2 again after the drop; part 1 (received) not sent again
    (item,) = report.uploaded
    assert (item.filename, item.size, item.sha_256) == ("/big.bin", 70 * 1024 * 1024, h.hexdigest())


async def test_the_async_client_uploads_and_downloads_a_tree(live_client, tmp_path):
    org = (await live_client.create_organization(name="Async Org")).organization
    project = (await live_client.create_project(organization_id=org.id, name="A")).project
    ds = (await live_client.create_dataset(project_id=project.id, name="a")).dataset.id
    files = make_tree(tmp_path / "src")
    report = await live_client.upload_files(ds, tmp_path / "src", progress=False, concurrency=2)
    assert report.ok and len(report.uploaded) == 3
    down = await live_client.download_items(ds, tmp_path / "out", progress=False)
    assert down.ok and len(down.downloaded) == 3
    for rel, body in files.items():
        assert (tmp_path / "out" / rel).read_bytes() == body


def test_download_keeps_the_tree_and_skips_files_with_the_same_sha(live_sync_client, dataset, tmp_path):
    files = make_tree(tmp_path / "src")
    assert live_sync_client.upload_files(dataset, tmp_path / "src", dir="/d", progress=False).ok
    out = tmp_path / "out"
    report = live_sync_client.download_items(dataset, out, progress=False)
    assert report.ok and len(report.downloaded) == 3 and report.skipped == []
    for rel, body in files.items():
        assert (out / "d" / rel).read_bytes() == body
    assert not list(out.glob("**/*.part"))

    (out / "d" / "a" / "x.jpg").write_bytes(b"damaged")  # a changed file comes again, the others are skipped
    again = live_sync_client.download_items(dataset, out, progress=False)
    assert again.downloaded == [out / "d" / "a" / "x.jpg"]
    assert sorted(again.skipped) == sorted([out / "d" / "z.png", out / "d" / "a" / "b" / "y.jpg"])
    assert (out / "d" / "a" / "x.jpg").read_bytes() == files["a/x.jpg"]

    only = live_sync_client.download_items(dataset, tmp_path / "only", filter={"dir": {"eq": "/d/a/b"}},
                                           progress=False)
    assert only.downloaded == [tmp_path / "only" / "d" / "a" / "b" / "y.jpg"]
    assert [p for p in (tmp_path / "only").rglob("*") if p.is_file()] == only.downloaded


def test_download_renews_a_refused_url_and_a_file_it_cannot_fetch_leaves_nothing(live_sync_client, dataset, tmp_path,
                                                                                  monkeypatch):
    """The plain-HTTP download path (no ``http_client`` given): a URL the gateway refuses (403: forged here,
    expired in life) is renewed and the file comes down; a URL nothing answers fails that file alone after the
    retries, with neither the file nor its ``.part`` left; a file of the right size but other bytes comes again."""
    from labelgraph_client import files as client_files

    files = make_tree(tmp_path / "src")
    assert live_sync_client.upload_files(dataset, tmp_path / "src", progress=False).ok
    real = client_files._listing_page

    def tampered(data, dataset_id):
        nodes, after = real(data, dataset_id)
        for n in nodes:
            if n["name"] == "x.jpg":
                n["url"] = n["url"].replace("&s=", "&s=0")
            elif n["name"] == "y.jpg":
                with socket.socket() as s:  # a port nobody listens on
                    s.bind(("127.0.0.1", 0))
                    n["url"] = f"http://127.0.0.1:{s.getsockname()[1]}/files/blobs/{n['sha256']}"
        return nodes, after

    monkeypatch.setattr(client_files, "_listing_page", tampered)
    out = tmp_path / "out"
    report = live_sync_client.download_items(dataset, out, progress=False, retries=1)
    assert sorted(report.downloaded) == [out / "a" / "x.jpg", out / "z.png"]
    assert list(report.failed) == [out / "a" / "b" / "y.jpg"] and "ConnectError" in report.failed[out / "a" / "b" /
                                                                                                  "y.jpg"]
    assert (out / "a" / "x.jpg").read_bytes() == files["a/x.jpg"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["a/x.jpg", "z.png"]

    monkeypatch.setattr(client_files, "_listing_page", real)
    (out / "z.png").write_bytes(bytes(len(files["z.png"])))  # same size, other bytes: the sha256 tells
    again = live_sync_client.download_items(dataset, out, progress=False)
    assert sorted(again.downloaded) == [out / "a" / "b" / "y.jpg", out / "z.png"]
    assert again.skipped == [out / "a" / "x.jpg"] and again.ok
    assert (out / "z.png").read_bytes() == files["z.png"]
    assert not list(out.rglob("*.part"))


def run_cli(server, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    env.update(LABELGRAPH_URL=server.graphql_url, LABELGRAPH_TOKEN=server.token)
    return subprocess.run([sys.executable, "-m", "labelgraph.cli", "items", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_cli_uploads_and_downloads(labelgraph_server, live_sync_client, dataset, tmp_path):
    files = make_tree(tmp_path / "src")
    up = run_cli(labelgraph_server, "upload", dataset, str(tmp_path / "src"), "--dir", "/cli")
    assert up.returncode == 0, up.stderr
    assert "3 uploaded, 0 skipped" in up.stdout
    assert set(listing(live_sync_client, dataset)) == {"/cli/z.png", "/cli/a/x.jpg", "/cli/a/b/y.jpg"}
    again = run_cli(labelgraph_server, "upload", dataset, str(tmp_path / "src"), "--dir", "/cli")
    assert again.returncode == 0 and "0 uploaded, 3 skipped" in again.stdout

    down = run_cli(labelgraph_server, "download", dataset, str(tmp_path / "out"),
                   "--filter", '{"filename": {"eq": "/cli/a/x.jpg"}}')
    assert down.returncode == 0, down.stderr
    assert "1 downloaded" in down.stdout
    assert (tmp_path / "out" / "cli" / "a" / "x.jpg").read_bytes() == files["a/x.jpg"]

    bad = run_cli(labelgraph_server, "download", dataset, str(tmp_path / "out"), "--filter", "{dir:")
    assert bad.returncode == 2 and "--filter is not JSON" in bad.stderr
    missing = run_cli(labelgraph_server, "upload", dataset, str(tmp_path / "nope"))
    assert missing.returncode == 1 and "no such file or folder" in missing.stderr


class LoseFirstUploadAnswer(httpx.BaseTransport):
    """Real HTTP; counts the multipart ``itemsUpload`` requests and loses the answer of the first one after the
    server has handled it (what a connection dropping at the wrong moment does)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.uploads = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        multipart = request.headers.get("content-type", "").startswith("multipart/form-data")
        response = self.inner.handle_request(request)
        if multipart:
            self.uploads += 1
            if self.uploads == 1:
                response.read()
                response.close()
                raise httpx.ReadError("connection dropped before the answer (test)")
        return response

    def close(self) -> None:
        self.inner.close()


def test_small_files_go_up_in_few_requests_and_a_lost_answer_is_settled(labelgraph_server, dataset, tmp_path):
    from labelgraph_client import SyncClient

    files = {f"f{i:02d}.jpg": image_bytes(20 + i, 20, seed=i) for i in range(40)}
    for name, body in files.items():
        (tmp_path / name).write_bytes(body)
    transport = LoseFirstUploadAnswer()
    with SyncClient(labelgraph_server.graphql_url, labelgraph_server.token, transport=transport) as client:
        report = client.upload_files(dataset, tmp_path, dir="/small", concurrency=2, progress=False)
        assert report.ok, report.failed
        # 40 files in batches of at most 16 (5 per batch for 2 workers: about four each): 8 requests; the one
        # whose answer was lost is not sent again (the server had committed it: the client found its files)
        assert transport.uploads == 8
        assert sorted(i.filename for i in report.uploaded) == sorted(f"/small/{n}" for n in files)
        items = listing(client, dataset)
    assert len(items) == 40
    assert {f: i.sha_256 for f, i in items.items()} == {f"/small/{n}": sha(b) for n, b in files.items()}
