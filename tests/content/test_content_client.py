"""The generated client drives item content: multipart uploads (upload_items) and the direct upload protocol
(create_item_uploads → PUT → get_item_upload → commit_item_uploads), then signed URLs (get_item_content)."""

from __future__ import annotations

import hashlib
import io

import httpx
from test_content_upload import jpeg

from labelgraph_client import Upload


async def test_the_client_uploads_and_reads_back(client, app, build):
    ds = await build.dataset(await build.project())
    body = jpeg(40, 30)
    uploaded = await client.upload_items(dataset_id=ds, dir="/c", files=[
        Upload(filename="a.jpg", content=io.BytesIO(body), content_type="image/jpeg")])
    assert uploaded.errors == []
    assert (uploaded.items[0].filename, uploaded.items[0].width, uploaded.items[0].height) == ("/c/a.jpg", 40, 30)

    direct = jpeg(50, 20)
    sha = hashlib.sha256(direct).hexdigest()
    created = await client.create_item_uploads(dataset_id=ds, files=[
        {"name": "b.jpg", "dir": "/c", "size": len(direct), "sha256": sha}])
    upload = created.uploads[0]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        assert (await http.put(upload.upload_url, content=direct, headers=upload.headers)).status_code == 200
        status = await client.get_item_upload(upload_id=upload.upload_id)
        assert [p.received for p in status.parts] == [True]
        committed = await client.commit_item_uploads(dataset_id=ds, items=[
            {"name": "b.jpg", "dir": "/c", "uploadId": upload.upload_id}])
        assert committed.errors == []
        item = await client.get_item_content(id=committed.items[0].id, thumbnail_size=16)
        assert (item.sha_256, item.width, item.height, item.mimetype) == (sha, 50, 20, "image/jpeg")
        assert (await http.get(item.url)).content == direct
        assert (await http.get(item.thumbnail_url)).status_code == 200
