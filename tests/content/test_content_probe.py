"""Probing: videos (PyAV) get width/height/fps/duration and a thumbnail from a frame; item CREATED events carry
what was probed, so a trigger filter on metadata.system.width matches."""

from __future__ import annotations

import io

import av
import httpx
import sqlalchemy as sa
from PIL import Image
from test_content_upload import jpeg, upload

from labelgraph.engine.matching import matches
from labelgraph.events.models import OutboxEvent


def mp4(width: int, height: int, frames: int, fps: int) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            image = Image.new("RGB", (width, height), ((i * 10) % 255, 0, 0))
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


async def test_a_video_is_probed_and_gets_a_thumbnail(served, build, admin_token):
    ds = await build.dataset(await build.project())
    response = await upload(served, admin_token, {"d": ds}, [("clip.mp4", mp4(96, 64, frames=50, fps=25))])
    item = response.json()["data"]["itemsUpload"]["items"][0]
    assert (item["mimetype"], item["width"], item["height"], item["fps"]) == ("video/mp4", 96, 64, 25.0)
    assert abs(item["duration"] - 2.0) < 0.1
    assert item["metadata"]["system"]["fps"] == 25.0
    async with httpx.AsyncClient(timeout=30) as http:
        thumb = await http.get(item["thumbnailUrl"].replace("/256?", "/32?"))
        assert thumb.status_code == 403  # the size is part of what is signed
        thumb = await http.get(item["thumbnailUrl"])
        assert thumb.status_code == 200
        assert Image.open(io.BytesIO(thumb.content)).size == (96, 64)  # never enlarged


async def test_item_created_events_carry_the_probe_so_trigger_filters_match(served, app, build, admin_token):
    ds = await build.dataset(await build.project())
    response = await upload(served, admin_token, {"d": ds}, [("wide.jpg", jpeg(800, 100)),
                                                             ("small.jpg", jpeg(100, 100))])
    ids = [i["id"] for i in response.json()["data"]["itemsUpload"]["items"]]
    events = OutboxEvent.__table__
    async with app.state.labelgraph["db"].read() as conn:
        rows = {r.entity_id: r.payload for r in (await conn.execute(sa.select(events.c.entity_id, events.c.payload)
                                                                    .where(events.c.entity_id.in_(ids),
                                                                           events.c.action == "created"))).all()}
    wide, small = rows[ids[0]], rows[ids[1]]
    assert wide["metadata"]["system"]["width"] == 800 and wide["width"] == 800
    assert len(wide["metadata"]["system"]["sha256"]) == 64
    condition = {"metadata": [{"path": "system.width", "gte": 640}]}
    assert matches(condition, wide) and not matches(condition, small)
