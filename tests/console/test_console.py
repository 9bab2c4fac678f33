"""The web console (console/, served from labelgraph/console_dist/) in a real browser: Debian's Chromium driven by
playwright-core (tests/console/browser.mjs) against a live ``labelgraph serve``, with every request to anything
but the gateway aborted. Data is made through the API as a user would, then looked at in the console.

Screenshots go to the test's output folder; LABELGRAPH_CONSOLE_SCREENSHOTS=docs/console (``make
console-screenshots``) writes them where the README shows them. Needs node, console/node_modules (``make
console``) and Chromium: without them the tests are skipped, unless LABELGRAPH_CONSOLE_TESTS=required (CI).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import io
import json
import os
import re
import select
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import av
import httpx
import pytest
from PIL import Image
from support import ANNOTATIONS, DATASET, ITEMS, ORG, PROJECT

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("browser.mjs")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DIST = ROOT / "server" / "labelgraph" / "console_dist"

missing = [what for what, ok in (("node", shutil.which("node")), ("console/node_modules (make console)",
                                  (ROOT / "console/node_modules/playwright-core").is_dir()),
                                 (CHROMIUM, Path(CHROMIUM).exists())) if not ok]
if missing and os.environ.get("LABELGRAPH_CONSOLE_TESTS") == "required":
    raise RuntimeError(f"the console tests need {', '.join(missing)}")
pytestmark = pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)}")

ITEM_COUNT = 250  # three keyset pages of 100
LABELS = [{"tag": "car", "color": "#e6194b"}, {"tag": "person", "color": "#3cb44b"},
          {"tag": "sign", "color": "#4363d8"}]
ONTOLOGY = "query($d: ID!) { dataset(id: $d) { recipe { ontologies { id } } } }"
ADD_LABELS = """mutation($o: ID!, $l: [LabelInput!]!) { ontologyLabelsAdd(input: {ontologyId: $o, labels: $l}) {
  errors { field code message } } }"""
PACKAGE = """mutation($input: PackageCreateInput!) { packageCreate(input: $input) { package { id }
  errors { field code message } } }"""
SERVICE = """mutation($input: ServiceCreateInput!) { serviceCreate(input: $input) { service { id }
  errors { field code message } } }"""
TOKEN = """mutation($e: String!) { tokenCreate(input: {name: "console test", email: $e}) { token apiToken { id }
  errors { message } } }"""
REVOKE = "mutation($id: ID!) { tokenRevoke(input: {id: $id}) { errors { message } } }"
UPLOAD = """mutation($input: ItemsUploadInput!) { itemsUpload(input: $input) { items { id name width height }
  errors { field code message } } }"""
TASK = """mutation($input: TaskCreateInput!) { taskCreate(input: $input) { task { id }
  errors { field code message } } }"""
ME = "query { me { email } }"
ITEM_STATUS = "query($id: ID!) { item(id: $id) { taskStatuses { status task { id } } } }"
# real images, uploaded through the API: name -> (width, height, colour)
PHOTOS = {"red.jpg": (320, 240, (220, 40, 40)), "green.png": (200, 300, (40, 180, 60)),
          "blue.jpg": (640, 360, (40, 60, 220))}


def upload(server, dataset: str, files: dict[str, bytes]) -> list[dict]:
    """POST /graphql as a GraphQL multipart request (what curl -F does): itemsUpload with the files."""
    operations = {"query": UPLOAD, "variables": {"input": {"datasetId": dataset, "dir": "/photos",
                                                           "files": [None] * len(files)}}}
    mapping = {str(i): [f"variables.input.files.{i}"] for i in range(len(files))}
    parts = {str(i): (name, data) for i, (name, data) in enumerate(files.items())}
    response = httpx.post(server.graphql_url, data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
                          files=parts, headers={"Authorization": f"Bearer {server.token}"}, timeout=60)
    body = response.json()
    assert not body.get("errors") and not body["data"]["itemsUpload"]["errors"], body
    return body["data"]["itemsUpload"]["items"]


def webm(width: int, height: int, frames: int, fps: int) -> bytes:
    """A VP8 video (what Debian's Chromium plays without proprietary codecs)."""
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_image(Image.new("RGB", (width, height), ((i * 5) % 255, 0, 0)))
            for packet in stream.encode(frame.reformat(format="yuv420p")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def picture(name: str) -> bytes:
    width, height, colour = PHOTOS[name]
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG" if name.endswith(".png") else "JPEG")
    return buffer.getvalue()


def gql(server, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    response = httpx.post(server.graphql_url, json={"query": query, "variables": variables or {}},
                          headers={"Authorization": f"Bearer {token or server.token}"}, timeout=30)
    body = response.json()
    assert not body.get("errors"), body
    for payload in body["data"].values():
        assert not (isinstance(payload, dict) and payload.get("errors")), body
    return body["data"]


@pytest.fixture(scope="module")
def world(labelgraph_server) -> dict:
    """An organization, a project with a dataset of 250 items (the first annotated with a box, a polygon, a point
    and a class in three label colours) and a service running labelgraph.samples.basic."""
    s = labelgraph_server
    org = gql(s, ORG, {"n": "Console Org"})["organizationCreate"]["organization"]["id"]
    project = gql(s, PROJECT, {"o": org, "n": "Console Cars"})["projectCreate"]["project"]["id"]
    dataset = gql(s, DATASET, {"p": project, "n": "street frames"})["datasetCreate"]["dataset"]["id"]
    ontology = gql(s, ONTOLOGY, {"d": dataset})["dataset"]["recipe"]["ontologies"][0]["id"]
    gql(s, ADD_LABELS, {"o": ontology, "l": LABELS})
    specs = [{"name": f"frame_{i:04d}.jpg", "dir": "/train" if i % 2 else "/val", "mimetype": "image/jpeg",
              "width": 640, "height": 480, "metadata": {"camera": f"cam{i % 5}"}} for i in range(ITEM_COUNT)]
    items = gql(s, ITEMS, {"d": dataset, "items": specs})["itemsCreate"]["items"]
    first = next(i["id"] for i in items if i["filename"].endswith("frame_0000.jpg"))
    second = next(i["id"] for i in items if i["filename"].endswith("frame_0001.jpg"))
    shapes = [
        {"itemId": first, "type": "BOX", "label": "car", "coordinates": [{"x": 40, "y": 60}, {"x": 240, "y": 200}]},
        {"itemId": first, "type": "POLYGON", "label": "person",
         "coordinates": [[{"x": 300, "y": 100}, {"x": 380, "y": 110}, {"x": 360, "y": 300}, {"x": 310, "y": 280}]]},
        {"itemId": first, "type": "POINT", "label": "sign", "coordinates": {"x": 500, "y": 80}},
        {"itemId": first, "type": "CLASSIFICATION", "label": "car"},
        {"itemId": second, "type": "BOX", "label": "car", "coordinates": [{"x": 1, "y": 1}, {"x": 9, "y": 9}]},
    ]
    annotation_ids = [a["id"] for a in gql(s, ANNOTATIONS, {"a": shapes})["annotationsCreate"]["annotations"]]
    package = gql(s, PACKAGE, {"input": {
        "projectId": project, "name": "basic",
        "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.basic:Basic"},
        "modules": [{"name": "default_module", "functions": [
            {"name": "sleep", "inputs": [{"type": "FLOAT", "name": "seconds"}]},
            {"name": "async_chatter", "inputs": [{"type": "INTEGER", "name": "lines"},
                                                 {"type": "FLOAT", "name": "seconds"}]},
        ]}]}})["packageCreate"]["package"]["id"]
    service = gql(s, SERVICE, {"input": {"packageId": package, "name": "basic"}})["serviceCreate"]["service"]["id"]
    # a second project with real images uploaded through the API, one annotated, in a task
    photos_project = gql(s, PROJECT, {"o": org, "n": "Console Photos"})["projectCreate"]["project"]["id"]
    photos = gql(s, DATASET, {"p": photos_project, "n": "photos"})["datasetCreate"]["dataset"]["id"]
    photos_ontology = gql(s, ONTOLOGY, {"d": photos})["dataset"]["recipe"]["ontologies"][0]["id"]
    gql(s, ADD_LABELS, {"o": photos_ontology, "l": LABELS})
    uploaded = {i["name"]: i for i in upload(s, photos, {**{name: picture(name) for name in PHOTOS},
                                                         "clip.webm": webm(96, 64, frames=50, fps=25)})}
    clip = uploaded.pop("clip.webm")["id"]
    clip_box = gql(s, ANNOTATIONS, {"a": [{"itemId": clip, "type": "BOX", "label": "person", "frame": 25,
                                           "endFrame": 49, "coordinates": [{"x": 10, "y": 10}, {"x": 50, "y": 40}]}]})
    photo = uploaded["blue.jpg"]["id"]
    photo_box = gql(s, ANNOTATIONS, {"a": [{"itemId": photo, "type": "BOX", "label": "car",
                                            "coordinates": [{"x": 100, "y": 50}, {"x": 400, "y": 300}]}]})
    email = gql(s, ME)["me"]["email"]
    task = gql(s, TASK, {"input": {"datasetId": photos, "name": "review photos", "assignees": [{"email": email}],
                                   "itemIds": [photo]}})["taskCreate"]["task"]["id"]
    return {"base": s.url, "token": s.token, "projectId": project, "projectName": "Console Cars", "serviceId": service,
            "datasetId": dataset, "itemId": first, "annotationIds": annotation_ids[:4],
            "photosDatasetId": photos, "photosProjectId": photos_project, "photoId": photo, "taskId": task,
            "uploaded": uploaded,
            "photoBoxId": photo_box["annotationsCreate"]["annotations"][0]["id"], "clipId": clip,
            "clipBoxId": clip_box["annotationsCreate"]["annotations"][0]["id"]}


class Browser:
    """One ``node browser.mjs`` with its Chromium for the module's tests (starting Chromium costs about a second of
    CPU): each scenario runs in a fresh browser context, with storage, cookies and routes of its own."""

    def __init__(self, log: Path):
        self.log = log
        self.start()

    def start(self) -> None:
        with self.log.open("a") as err:
            self.process = subprocess.Popen(["node", str(SCRIPT)], env={**os.environ, "CHROMIUM": CHROMIUM},
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)

    def run(self, scenario: str, cfg: dict, timeout: float = 240) -> dict:
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.write(json.dumps({"scenario": scenario, "cfg": cfg}) + "\n")
            self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line:  # the next test gets a browser of its own, not this scenario's late answer
            state = "exited" if self.process.poll() is not None else "timed out"
            self.process.kill()
            self.process.wait()
            self.start()
            stderr = self.log.read_text(errors="replace")[-8000:]
            raise AssertionError(f"no answer from browser.mjs ({state}):\n{stderr}")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[Browser]:
    b = Browser(tmp_path_factory.mktemp("browser") / "browser.log")
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def browse(browser: Browser):
    """``browse(scenario, cfg, out)`` → what the browser saw (screenshots in ``out``), checked for a failed
    scenario and for any request outside the gateway."""

    def run(scenario: str, cfg: dict, out: Path) -> dict:
        out.mkdir(parents=True, exist_ok=True)
        result = browser.run(scenario, {**cfg, "out": str(out)})
        assert result["ok"], f"{result['error']}\n--- page:\n{result.get('main')}\n--- stderr:\n" \
                             f"{browser.log.read_text(errors='replace')[-8000:]}"
        assert result["outside"] == [], f"the console asked for something outside the gateway: {result['outside']}"
        keep = os.environ.get("LABELGRAPH_CONSOLE_SCREENSHOTS")
        if keep:
            for png in out.glob("*.png"):
                if not png.name.startswith("failed-"):
                    shutil.copy(png, ROOT / keep / png.name)
        return result

    return run


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "screenshots"


def test_sign_in_with_a_token_then_browse_organizations_and_projects(world, browse, out):
    seen = browse("signin", world, out)
    assert "the token is unknown, revoked or expired" in seen["refused"]  # as the API says it
    assert seen["stored"] == world["token"]  # kept in the tab's session storage
    assert "Console Org" in seen["home"] and "Console Cars 1 dataset" in seen["home"]
    assert f"street frames\t{ITEM_COUNT}\t2" in seen["project"]  # the dataset, its items and annotated counts
    assert sorted(out.glob("*.png")) and (out / "02-organizations.png").stat().st_size > 0


def test_a_revoked_token_goes_back_to_sign_in_with_the_api_message(labelgraph_server, world, browse, out):
    made = gql(labelgraph_server, TOKEN, {"e": "console-revoked@example.com"})["tokenCreate"]
    gql(labelgraph_server, REVOKE, {"id": made["apiToken"]["id"]})
    seen = browse("revoked", {**world, "revokedToken": made["token"]}, out)
    assert seen["alert"] == "Signed out: the token is unknown, revoked or expired"
    assert seen["stored"] is None


def test_a_dataset_grid_pages_through_keyset_cursors_filters_and_stays_virtual(world, browse, out):
    seen = browse("dataset", {**world, "nameGlob": "frame_01*", "lastName": "frame_0249.jpg", "expectFiltered": 100,
                              "expectAnnotated": 2, "dir": "/train", "metaPath": "user.camera",
                              "metaValue": "cam3"}, out)
    assert seen["countText"] == f"{ITEM_COUNT} items (100 loaded)"
    assert "frame_0000.jpg" in seen["firstNames"]
    assert seen["pages"][-1] == f"{ITEM_COUNT} items"  # every page came in as the grid scrolled
    assert len(seen["pages"]) == 3  # 100, 200, then all 250
    assert "frame_0249.jpg" in seen["lastNames"]
    assert 0 < seen["cellsInDom"] < ITEM_COUNT  # only rows near the viewport are in the DOM
    assert seen["focused"] == "1"  # ArrowRight moved the focus to the next cell
    assert sorted(seen["filteredNames"])[0] == "frame_0100.jpg"
    assert all(re.fullmatch(r"frame_01\d\d\.jpg", n) for n in seen["filteredNames"])
    assert sorted(seen["annotatedNames"]) == ["frame_0000.jpg", "frame_0001.jpg"]
    # the directory and a metadata path = value: the count and every cell shown match
    assert seen["dirCount"].startswith(f"{ITEM_COUNT // 2} items")
    assert seen["dirNames"] and all(int(n[6:10]) % 2 == 1 for n in seen["dirNames"])
    assert seen["metaCount"].startswith(f"{ITEM_COUNT // 5} items")
    assert seen["metaNames"] and all(int(n[6:10]) % 5 == 3 for n in seen["metaNames"])
    # the keyboard in the item view: Enter opened the first cell, → the next in the filtered grid, ← back, Esc the grid
    first, second = seen["gridOrder"]
    total = ITEM_COUNT // 5
    assert seen["visited"] == [[first, f"1 of {total}"], [second, f"2 of {total}"], [first, f"1 of {total}"]]
    assert seen["backTo"] == "street frames"


def test_an_item_shows_its_annotations_as_shapes_in_label_colours(world, browse, out):
    seen = browse("item", world, out)
    shapes = {s["type"]: s for s in seen["shapes"]}
    assert sorted(s["id"] for s in seen["shapes"]) == sorted(world["annotationIds"])
    assert (shapes["BOX"]["tag"], shapes["BOX"]["color"]) == ("rect", "#e6194b")
    assert shapes["BOX"]["box"] == [40, 60, 200, 140]
    assert (shapes["POLYGON"]["tag"], shapes["POLYGON"]["color"]) == ("polygon", "#3cb44b")
    assert shapes["POLYGON"]["box"] == [300, 100, 80, 200]
    assert (shapes["POINT"]["tag"], shapes["POINT"]["color"]) == ("circle", "#4363d8")
    assert shapes["CLASSIFICATION"]["tag"] == "span" and shapes["CLASSIFICATION"]["label"] is None
    assert "640 × 480" in seen["text"] and "Annotations (4)" in seen["text"]
    assert '"camera": "cam0"' in seen["text"]  # its metadata (the user space it was created with)


def test_uploaded_images_show_as_thumbnails_filter_by_label_and_get_a_status_on_their_page(labelgraph_server, world,
                                                                                         browse, out):
    assert {n: (i["width"], i["height"]) for n, i in world["uploaded"].items()} == {
        n: (w, h) for n, (w, h, _) in PHOTOS.items()}  # the server probed the uploads
    seen = browse("photos", {**world, "label": "car", "status": "completed"}, out)
    # every thumbnail in the grid is an image the browser decoded from the gateway
    assert sorted(seen["thumbnails"]) == sorted([*PHOTOS, "clip.webm"])  # a video's thumbnail is its first frame
    assert all(w > 0 for w in seen["thumbnails"].values())
    assert all(src.startswith(world["base"] + "/") for src in seen["thumbnailSrcs"])
    assert seen["lazy"] == ["lazy"] * (len(PHOTOS) + 1)
    assert seen["labelled"] == ["blue.jpg"]  # the label filter: items with a "car" annotation
    # the item page: the image at its natural size, the box drawn over it in the image's coordinates
    assert (seen["natural"], seen["viewBox"]) == ([640, 360], "0 0 640 360")
    assert seen["box"] == {"id": world["photoBoxId"], "color": "#e6194b", "bbox": [100, 50, 300, 250]}
    assert seen["overlay"] == seen["image"]  # the overlay covers the image exactly (scaled together)
    assert seen["statusBefore"] == "no status" and seen["statusAfter"] == "Completed"
    statuses = gql(labelgraph_server, ITEM_STATUS, {"id": world["photoId"]})["item"]["taskStatuses"]
    assert statuses == [{"status": "completed", "task": {"id": world["taskId"]}}]  # stored, as the API reads it


def test_a_video_plays_in_the_item_page_seeks_and_shows_the_annotations_of_the_frame_on_screen(world, browse, out):
    seen = browse("video", {**world, "seekTo": 1.5}, out)
    assert (seen["videoWidth"], seen["videoHeight"]) == (96, 64) and abs(seen["duration"] - 2) < 0.1
    assert seen["controls"] and seen["shapesAtStart"] == []  # the box is on frames 25..49, not on frame 0
    assert abs(seen["seekedTo"] - 1.5) < 0.05  # seeking works (the gateway answers Range requests)
    assert seen["shapesAfterSeek"] == [world["clipBoxId"]]


def test_an_execution_started_on_the_board_reaches_success_there_without_a_reload(world, browse, out):
    seen = browse("board", {**world, "sleepSeconds": 0.5}, out)
    statuses = [s.split(":")[1] for s in seen["seen"] if s.startswith(seen["id"] + ":")]
    assert statuses[-1] == "SUCCESS"
    assert statuses[0] == "CREATED"
    assert not seen["reloaded"]
    assert "success" in seen["log"] and "created" in seen["log"]  # the status log on the execution's page
    # Rerun on that page: the run's statuses arrive there, live, after the first run's
    assert "rerun" in seen["rerunLog"] and seen["rerunStatus"] == "success" and not seen["rerunReloaded"]


# A function that reports 40 % with a message, then waits for a signal the test gives: a flag in an item's metadata,
# read through context.client (functions have no other way out of their sandbox). It gives up after two minutes.
GATE = '''
import asyncio


class Gate:
    async def wait_for_go(self, itemId, context):
        await context.progress(40, "waiting for the go signal")
        for _ in range(600):
            item = await context.client.get_item(id=itemId)
            if (item.metadata.get("user") or {}).get("go"):
                return {"went": True}
            await asyncio.sleep(0.2)
        raise TimeoutError("no go signal in two minutes")
'''


def test_an_executions_progress_bar_moves_live_on_the_board_and_its_page_while_it_waits_for_a_signal(
        labelgraph_server, browse, out):
    s = labelgraph_server
    org = gql(s, ORG, {"n": "Progress Org"})["organizationCreate"]["organization"]["id"]
    project = gql(s, PROJECT, {"o": org, "n": "Progress"})["projectCreate"]["project"]["id"]
    dataset = gql(s, DATASET, {"p": project, "n": "signals"})["datasetCreate"]["dataset"]["id"]
    flag = gql(s, ITEMS, {"d": dataset, "items": [{"name": "go.json", "mimetype": "application/json"}]}
               )["itemsCreate"]["items"][0]["id"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("gate.py", GATE)
    package = gql(s, PACKAGE, {"input": {
        "projectId": project, "name": "gate",
        "codebase": {"type": "ARCHIVE", "reference": "gate:Gate", "filename": "gate.zip",
                     "archive": base64.b64encode(archive.getvalue()).decode()},
        "modules": [{"name": "default_module", "functions": [
            {"name": "wait_for_go", "inputs": [{"type": "STRING", "name": "itemId"}]}]}]}})["packageCreate"]["package"]
    gql(s, SERVICE, {"input": {"packageId": package["id"], "name": "gate"}})
    seen = browse("progress", {"base": s.url, "token": s.token, "projectId": project, "flagItemId": flag,
                               "message": "waiting for the go signal"}, out)
    # on the board and on the execution's page, in another tab: the bar at 40 % (its value, and what assistive
    # technology reads) with the function's message, while it waited; then, after the signal, 100 % and success
    assert seen["boardAt40"] == {"value": 40, "accessible": "40", "message": "waiting for the go signal"}
    assert seen["pageAt40"] == {"value": 40, "accessible": "40", "status": "in progress",
                                "logged": ["in progress", "40", "waiting for the go signal"]}
    assert seen["boardAtEnd"] == {"status": "SUCCESS", "value": 100}
    assert seen["pageAtEnd"] == {"status": "success", "value": 100}
    # every state the two pages showed, in order, as their DOM changed: 40 % came before the end on both
    board = [x for x in seen["boardStates"] if x.startswith("IN_PROGRESS:40") or x.startswith("SUCCESS")]
    assert board[0].startswith("IN_PROGRESS:40") and board[-1].startswith("SUCCESS:100")
    assert seen["pageStates"].index("in progress:40") < seen["pageStates"].index("success:100")
    assert seen["reloads"] == {"board": 0, "page": 0}
    assert sorted(p.name for p in out.glob("*.png")) == ["19-board-progress-40.png", "20-execution-progress-40.png",
                                                         "21-board-progress-done.png"]
    status = gql(s, "query($p: ID!) { project(id: $p) { executions { nodes { status progress output } } } }",
                 {"p": project})["project"]["executions"]["nodes"]
    assert status == [{"status": "SUCCESS", "progress": 100, "output": {"went": True}}]  # as the API reads it


EXECUTE = """mutation($input: ExecutionCreateInput!) { executionCreate(input: $input) { execution { id }
  errors { field code message } } }"""
STATUS = "query($id: ID!) { execution(id: $id) { status } }"


def test_a_running_executions_logs_tail_live_with_streams_and_levels_and_a_cap_on_lines_kept(labelgraph_server,
                                                                                             world, browse, out):
    # 1,200 printed lines and a warning, then the function stays a minute: the console shows them while it runs,
    # keeps the last 1,000 in the DOM, follows the end until scrolled up; Terminate ends it and the tail
    lines = 1200
    execution = gql(labelgraph_server, EXECUTE, {"input": {"serviceId": world["serviceId"], "functionName":
                                                           "async_chatter", "input": {"lines": lines, "seconds": 60}}})
    execution_id = execution["executionCreate"]["execution"]["id"]
    seen = browse("logs", {**world, "executionId": execution_id, "expectLines": lines + 1}, out)
    assert seen["statusWithFirstLines"] in ("created", "in progress")  # live: before the execution ended
    assert seen["statusBeforeEnd"] == "in progress"
    assert seen["state"].startswith(f"{lines + 1} lines (the first {lines + 1 - 1000} not shown")
    assert seen["inDom"] == 1000  # the cap (Logs.tsx KEEP)
    assert seen["first"] == {"stream": "STDOUT", "level": "", "tag": "out", "text": f"line {lines - 999}"}
    assert seen["last"] == {"stream": "LOG", "level": "WARNING", "tag": "WARNING", "text": "chatter: done printing"}
    assert seen["followedToEnd"] and seen["pausedTop"] == 0 and seen["resumedAtEnd"]
    assert seen["statusAtEnd"] == "terminated"
    assert gql(labelgraph_server, STATUS, {"id": execution_id})["execution"]["status"] == "TERMINATED"


COMMAND = "query($id: ID!) { command(id: $id) { status type progress } }"
EXPORT = """mutation($input: DatasetExportInput!) { datasetExport(input: $input) { command { id }
  errors { field code message } } }"""


def test_an_export_started_on_a_dataset_reaches_success_with_a_progress_bar_and_its_link_downloads_the_zip(
        labelgraph_server, world, browse, out):
    bad_splits = [f"s{i}" for i in range(101)]
    refusal = httpx.post(labelgraph_server.graphql_url, json={"query": EXPORT, "variables": {"input": {
        "datasetId": world["photosDatasetId"], "format": "COCO", "splits": bad_splits}}},
        headers={"Authorization": f"Bearer {labelgraph_server.token}"}, timeout=30).json()
    errors = refusal["data"]["datasetExport"]["errors"]
    assert errors and refusal["data"]["datasetExport"]["command"] is None
    seen = browse("export", {**world, "format": "COCO", "badSplits": ", ".join(bad_splits)}, out)
    # the console shows the API's words (its code, the field, the message) and starts nothing
    assert seen["refused"] == f"{errors[0]['code']}: {'.'.join(errors[0]['field'])}: {errors[0]['message']}"
    assert seen["jobsAfterRefusal"] == 0
    assert seen["states"][-1] == "SUCCESS:100" and seen["progress"] == 100
    assert all(s.split(":")[0] in ("CREATED", "IN_PROGRESS", "SUCCESS") for s in seen["states"])
    assert seen["listedStatus"] == "SUCCESS" and seen["listedHref"]
    command = gql(labelgraph_server, COMMAND, {"id": seen["id"]})["command"]
    assert (command["status"], command["type"], command["progress"]) == ("SUCCESS", "export", 100)
    download = httpx.get(seen["href"], timeout=30)  # a signed URL: no Authorization header
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = archive.namelist()
        coco = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    assert sorted(i["file_name"].rsplit("/", 1)[-1] for i in coco["images"]) == sorted([*PHOTOS, "clip.webm"])
    assert len(coco["annotations"]) == 2  # the photo's box and the clip's
    assert len([n for n in names if not n.endswith(".json")]) >= len(PHOTOS)  # the files are in


@pytest.fixture(scope="module")
def gated_server(start_labelgraph_serve, tmp_path_factory):
    """A second live server that also runs tests/jobs/lg_job_fixtures.py's ``test.gate`` job type: a job that waits
    until a file exists (never, here), so it is still running when the console aborts it."""
    path = os.pathsep.join([str(ROOT / "tests" / "jobs"), os.environ.get("PYTHONPATH", "")])
    with start_labelgraph_serve(tmp_path_factory.mktemp("gated"), LABELGRAPH_JOB_MODULES="lg_job_fixtures",
                                PYTHONPATH=path) as server:
        yield server


async def queue_gated_job(server, project: str, dataset: str, gate: Path) -> str:
    """A test.gate job in the server's database (no mutation starts that type): its runner claims it."""
    from labelgraph import auth  # noqa: F401  (db.SYSTEM)
    from labelgraph.db import Database
    from labelgraph.jobs import queue
    from labelgraph.settings import Settings

    args = list(server.process.args)
    url = args[args.index("--database-url") + 1] if "--database-url" in args else ""
    db = Database(Settings(data_dir=server.data_dir, database_url=url).database_url)
    try:
        async with db.transaction() as uow:
            return await queue.create(uow, "test.gate", project, {"gate": str(gate), "datasetId": dataset,
                                                                  "count": 3})
    finally:
        await db.dispose()


def test_the_jobs_page_shows_a_job_started_elsewhere_live_and_aborts_a_running_one(gated_server, tmp_path, browse, out):
    s = gated_server
    org = gql(s, ORG, {"n": "Jobs Org"})["organizationCreate"]["organization"]["id"]
    project = gql(s, PROJECT, {"o": org, "n": "Jobs"})["projectCreate"]["project"]["id"]
    dataset = gql(s, DATASET, {"p": project, "n": "photos"})["datasetCreate"]["dataset"]["id"]
    upload(s, dataset, {name: picture(name) for name in PHOTOS})
    gate = asyncio.run(queue_gated_job(s, project, dataset, tmp_path / "never"))
    seen = browse("jobs", {"base": s.url, "token": s.token, "projectId": project, "datasetId": dataset,
                           "gateId": gate, "format": "JSON"}, out)
    assert not seen["reloaded"]
    # the export was started by another client after the page loaded: it came in on the feed and ran to the end
    assert seen["listedAtFirst"] == [gate] and seen["exportId"] not in seen["listedAtFirst"]
    assert (seen["headingBefore"], seen["headingAfter"]) == ("Jobs (1)", "Jobs (2)")
    export_states = seen["states"][seen["exportId"]]
    assert export_states[-1] == "SUCCESS:100"
    assert all(x.split(":")[0] in ("CREATED", "IN_PROGRESS", "SUCCESS") for x in export_states)
    assert httpx.get(seen["href"], timeout=30).status_code == 200  # its Download link, signed
    # the waiting job: running when the page showed it, ABORTED after Abort, its button gone
    gate_states = [x.split(":")[0] for x in seen["states"][gate]]
    assert "IN_PROGRESS" in gate_states and gate_states[-1] == "ABORTED" and seen["abortLeft"] == 0
    assert gql(s, COMMAND, {"id": gate})["command"]["status"] == "ABORTED"  # as the API reads it
    assert gql(s, COMMAND, {"id": seen["exportId"]})["command"]["status"] == "SUCCESS"
    items = gql(s, "query($d: ID!) { dataset(id: $d) { itemsCount } }", {"d": dataset})["dataset"]["itemsCount"]
    assert items == len(PHOTOS)  # the aborted job wrote nothing


def test_graphiql_runs_a_query_with_no_network_outside_the_gateway(world, browse, out):
    seen = browse("graphiql", world, out)  # every request outside the gateway is aborted (browse checks none was made)
    assert '"email"' in seen["result"] and '"me"' in seen["result"]


def test_no_serious_accessibility_violations(labelgraph_server, world, browse, out):
    execution = gql(labelgraph_server, EXECUTE, {"input": {"serviceId": world["serviceId"], "functionName":
                                                           "async_chatter", "input": {"lines": 3, "seconds": 0}}})
    seen = browse("axe", {**world, "executionId": execution["executionCreate"]["execution"]["id"]}, out)
    pages = ("signin", "home", "project", "dataset", "item", "photos", "photo", "board", "jobs", "execution")
    assert {page: seen[page] for page in pages} == {page: [] for page in pages}


# Namespace names (never fetched) and documentation links inside library code (text, never loaded): each listed
# exactly, so a new external reference fails until someone looks at it.
NOT_LOADS = {
    "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml", "http://www.w3.org/1999/xlink",
    "http://www.w3.org/XML/1998/namespace", "http://www.w3.org/1998/Math/MathML",
    "https://reactjs.org/docs/error-decoder.html", "https://github.com/graphql/graphiql",
    "https://codemirror.net/5/doc/manual.html", "https://commonmark.org/",
    "https://en.wikipedia.org/wiki/IEEE_floating_point", "https://yarnpkg.com/en/docs/selective-version-resolutions",
}
URL = re.compile(r"""https?://[^\s"'`<>()\\]*""")
# what a page or asset makes the browser load: src/href attributes, CSS url(), script imports of sibling chunks
REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\(\s*["']?([^"')]+)"""
                       r"""|["'`](\.{0,2}/?assets/[\w.-]+|\./[\w.-]+\.(?:js|css))["'`]""")


def test_every_page_and_asset_comes_from_the_gateway(labelgraph_server):
    base = labelgraph_server.url
    pages = {base + "/": {}, base + "/graphql": {"accept": "text/html"}}
    todo = list(pages)
    fetched: dict[str, str] = {}
    external: dict[str, set[str]] = {}
    while todo:
        url = todo.pop()
        if url in fetched:
            continue
        response = httpx.get(url, headers=pages.get(url, {}), timeout=30)
        assert response.status_code == 200, url
        text = response.text
        fetched[url] = response.headers["content-type"]
        if url in pages:
            assert "default-src 'self'" in response.headers["content-security-policy"]
        found = {re.split(r"[?#]", u)[0].rstrip(".,;") for u in URL.findall(text)} - NOT_LOADS
        # the gateway itself, a bare scheme, or a scheme put before a runtime value (linkify-it's `http://${url}`
        # for links in GraphiQL's docs): none names a host outside
        found = {u for u in found if not u.startswith(base) and u not in ("http://", "https://")
                 and not re.fullmatch(r"https?://\$\{[\w.]+\}", u)}
        if found:
            external[url] = found
        for match in REFERENCE.finditer(text):
            ref = next(g for g in match.groups() if g)
            if not re.fullmatch(r"[\w./-]+", ref):  # data:, javascript:, template strings: not fetched paths
                continue
            # vite's preload lists name chunks from the base ("assets/x.js"); imports are relative ("./x.js")
            todo.append(urljoin(base + "/" if ref.startswith("assets/") else url, ref))
    assert external == {}
    built = {f"{base}/assets/{p.name}" for p in (DIST / "assets").iterdir()}
    reached = {u for u in fetched if "/assets/" in u}
    assert reached and reached <= built
    assert len(reached) >= len([p for p in built if p.endswith((".css",))]) + 3  # both pages' scripts and styles


FIRST_LOAD_BUDGET = 300 * 1024  # bytes of JavaScript, gzipped, on the console's first load (issue 18)


def test_the_consoles_first_load_is_within_its_javascript_budget():
    """What index.html makes the browser load before anything else (its module script and the chunks it
    preloads), gzipped together as `make console` reports it: GraphiQL's bundle is not in it."""
    html = (DIST / "index.html").read_text()
    scripts = re.findall(r'(?:src|href)="/(assets/[^"]+\.js)"', html)
    assert scripts and not any("graphiql" in s.lower() for s in scripts)
    size = len(gzip.compress(b"".join((DIST / s).read_bytes() for s in scripts), compresslevel=9))
    assert size <= FIRST_LOAD_BUDGET, f"{size:,} bytes of JS gzipped on first load"
