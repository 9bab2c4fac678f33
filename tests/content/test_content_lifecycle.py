"""Blobs nothing references are deleted after the grace period, by the scheduler's collection; shared blobs
stay while any item holds them."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import httpx
from test_content_upload import blobs, jpeg, query, upload

from labelgraph.columns import utcnow
from labelgraph.data import content


async def test_deleting_items_and_datasets_frees_blobs_after_the_grace_period(served, app, build, admin_token,
                                                                             settings, gql):
    project = await build.project()
    one, two = await build.dataset(project, "one"), await build.dataset(project, "two")
    shared, own = jpeg(10, 10), jpeg(11, 11, color="blue")
    first = (await upload(served, admin_token, {"d": one}, [("shared.jpg", shared), ("own.jpg", own)])).json()
    second = (await upload(served, admin_token, {"d": two}, [("shared.jpg", shared)])).json()
    own_item = first["data"]["itemsUpload"]["items"][1]
    async with httpx.AsyncClient(timeout=30) as http:  # a thumbnail exists for the blob that will go
        assert (await http.get(own_item["thumbnailUrl"])).status_code == 200
    shared_sha, own_sha = hashlib.sha256(shared).hexdigest(), hashlib.sha256(own).hexdigest()
    assert blobs(settings.data_dir) == sorted([shared_sha, own_sha])
    thumbs = settings.data_dir / "blobs" / "thumbs"
    assert (thumbs / own_sha).exists()

    await gql("mutation($i: ID!) { datasetDelete(input: {id: $i, confirm: true}) { errors { message } } }",
              {"i": one})
    services = content.services(app.state.labelgraph, settings)
    state_db = app.state.labelgraph["db"]
    grace = timedelta(seconds=settings.blob_grace_seconds)
    assert await content.collect_blobs(state_db, services, utcnow()) == 0  # within the grace period: kept
    assert await content.collect_blobs(state_db, services, utcnow() + grace + timedelta(seconds=1)) == 1
    assert blobs(settings.data_dir) == [shared_sha]  # still held by dataset two
    assert not (thumbs / own_sha).exists()
    async with httpx.AsyncClient(timeout=30) as http:
        assert (await http.get(own_item["url"])).status_code == 404

    kept = second["data"]["itemsUpload"]["items"][0]
    await gql("mutation($i: [ID!]!) { itemsDelete(input: {ids: $i}) { errors { message } } }", {"i": [kept["id"]]})
    assert await content.collect_blobs(state_db, services, utcnow() + grace + timedelta(seconds=1)) == 1
    assert blobs(settings.data_dir) == []


async def test_bytes_collected_are_stored_again_when_uploaded_again(served, app, build, admin_token, settings,
                                                                     gql):
    ds = await build.dataset(await build.project())
    body = jpeg(12, 12)
    item = (await upload(served, admin_token, {"d": ds}, [("a.jpg", body)])).json()["data"]["itemsUpload"]["items"][0]
    await gql("mutation($i: [ID!]!) { itemsDelete(input: {ids: $i}) { errors { message } } }", {"i": [item["id"]]})
    services = content.services(app.state.labelgraph, settings)
    later = utcnow() + timedelta(seconds=settings.blob_grace_seconds + 1)
    assert await content.collect_blobs(app.state.labelgraph["db"], services, later) == 1
    assert blobs(settings.data_dir) == []
    again = (await upload(served, admin_token, {"d": ds}, [("b.jpg", body)])).json()["data"]["itemsUpload"]
    url = (await query(served, admin_token, "query($i: ID!) { item(id: $i) { url } }",
                       {"i": again["items"][0]["id"]}))["item"]["url"]
    async with httpx.AsyncClient(timeout=30) as http:
        assert (await http.get(url)).content == body
    assert blobs(settings.data_dir) == [hashlib.sha256(body).hexdigest()]
