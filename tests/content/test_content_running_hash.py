"""Direct uploads in parts on local storage are hashed while the parts arrive (storage.store.RUNNING): parts sent
in order are covered by the upload's running sha256 and the commit copies them without reading them again;
parts out of order, sent again, or replaced behind the hash's back are read and hashed at the commit. Either way
the item's sha256 is the sha256 of the whole file. Also: an Item.url carries its blob's type, signed."""

from __future__ import annotations

import hashlib
import os

import httpx
from test_content_direct import COMMIT, CREATE, small_parts  # noqa: F401 (a fixture)
from test_content_upload import query

from labelgraph.storage.store import RUNNING, Running, Storage, part_key


async def _start(served, token, ds, body):
    created = (await query(served, token, CREATE, {"d": ds, "files": [
        {"name": "clip.bin", "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}]}))
    return created["itemUploadsCreate"]["uploads"][0]


async def _put(http, upload, body, numbers, part):
    for n in numbers:
        put = await http.put(upload["parts"][n - 1]["uploadUrl"], content=body[(n - 1) * part:n * part])
        assert put.status_code == 200, put.text
        assert put.json()["sha256"] == hashlib.sha256(body[(n - 1) * part:n * part]).hexdigest()


async def _commit(served, token, ds, upload):
    done = (await query(served, token, COMMIT, {"d": ds, "items": [
        {"name": "clip.bin", "uploadId": upload["uploadId"]}]}))["itemsCreate"]
    assert done["errors"] == []
    return done["items"][0]


async def test_parts_in_order_are_hashed_as_they_arrive(served, build, admin_token, small_parts):  # noqa: F811
    ds = await build.dataset(await build.project())
    body = os.urandom(2 * small_parts + 777)
    upload = await _start(served, admin_token, ds, body)
    async with httpx.AsyncClient(timeout=30) as http:
        await _put(http, upload, body, [1, 2, 3], small_parts)
        state = RUNNING.get(upload["uploadId"])
        assert state is not None and len(state.identities) == 3
        assert state.digest.hexdigest() == hashlib.sha256(body).hexdigest()
        item = await _commit(served, admin_token, ds, upload)
        assert (item["size"], item["sha256"]) == (len(body), hashlib.sha256(body).hexdigest())
        assert (await http.get(item["url"])).content == body
    assert RUNNING.get(upload["uploadId"]) is None  # forgotten with the parts


async def test_parts_out_of_order_or_sent_again_are_read_at_the_commit(served, build, admin_token,
                                                                      small_parts):  # noqa: F811
    ds = await build.dataset(await build.project())
    body = os.urandom(2 * small_parts + 5)
    upload = await _start(served, admin_token, ds, body)
    async with httpx.AsyncClient(timeout=30) as http:
        await _put(http, upload, body, [2, 1, 3], small_parts)
        state = RUNNING.get(upload["uploadId"])
        assert state is not None and len(state.identities) == 1  # part 1 only: 2 came before it
        await _put(http, upload, body, [1], small_parts)  # sent again: the running hash is dropped
        assert RUNNING.get(upload["uploadId"]) is None
        item = await _commit(served, admin_token, ds, upload)
        assert item["sha256"] == hashlib.sha256(body).hexdigest()
        assert (await http.get(item["url"])).content == body


async def test_the_commit_trusts_the_running_hash_only_for_the_very_files_it_hashed(settings):
    storage = Storage(settings)
    parts = [os.urandom(1000), os.urandom(1000), b"end"]
    keys = []
    for n, data in enumerate(parts, start=1):
        path = storage.root / part_key("upl_x", n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        keys.append(part_key("upl_x", n))

    def identity(key):
        st = os.stat(storage.root / key)
        return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]

    # a running hash over parts 1-2 (a marker digest: joining must carry it on, not read the parts again)
    marker = hashlib.sha256(b"what the running hash saw")
    RUNNING.uploads["upl_x"] = Running(marker.copy(), [identity(keys[0]), identity(keys[1])])
    joined = storage.join_local_parts(keys, "upl_x")
    marker.update(b"end")
    assert joined.sha256 == marker.hexdigest()  # parts 1-2 were not read: only part 3 was hashed here
    assert joined.path.read_bytes() == b"".join(parts)  # yet the file holds every byte
    joined.remove()

    # part 2 replaced behind the hash's back (another file at the same name): every part is read again
    replacement = storage.root / (keys[1] + ".new")
    replacement.write_bytes(parts[1])
    os.replace(replacement, storage.root / keys[1])
    joined = storage.join_local_parts(keys, "upl_x")
    assert joined.sha256 == hashlib.sha256(b"".join(parts)).hexdigest()
    assert joined.path.read_bytes() == b"".join(parts)
    joined.remove()
    storage.remove_local_uploads(["upl_x"])
    assert RUNNING.get("upl_x") is None and not (storage.root / "uploads" / "upl_x").exists()


async def test_an_item_url_carries_its_signed_type(served, build, admin_token):
    ds = await build.dataset(await build.project())
    body = b"plain text, not an image\n"
    upload = await _start(served, admin_token, ds, body)
    async with httpx.AsyncClient(timeout=30) as http:
        await _put(http, upload, body, [1], len(body))
        item = await _commit(served, admin_token, ds, upload)
        url = httpx.URL(item["url"])
        assert url.params["t"] == "text/plain"
        got = await http.get(url)
        assert got.status_code == 200 and got.headers["content-type"] == "text/plain" and got.content == body
        forged = await http.get(url.copy_set_param("t", "text/html"))  # another type: the signature fails
        assert forged.status_code == 403 and forged.content == b""
        untyped = await http.get(url.copy_remove_param("t"))  # the signature covers the type
        assert untyped.status_code == 403
