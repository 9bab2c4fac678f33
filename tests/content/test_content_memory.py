"""Large files stream through the gateway in bounded memory: a direct upload of 136 MiB in parts (PUT to the
signed part URLs, committed by itemsCreate) and its download through ``Item.url``, measured in this process (the
server runs in it) by its peak resident set size — which sees obstore's native buffers too — and tracemalloc's
peak of Python allocations. Not timing-based: what is measured is bytes held, not seconds."""

from __future__ import annotations

import hashlib
import tracemalloc
from pathlib import Path

import httpx
import pytest
from test_content_direct import COMMIT, CREATE
from test_content_upload import blobs, leftovers, query

MiB = 1024 * 1024
SIZE = 136 * MiB  # three parts: 64 + 64 + 8 MiB
BUDGET = 48 * MiB
CHUNK = bytes(range(256)) * 4096  # 1 MiB, varied bytes


def peak_rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc/self/status")


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak RSS starts again from the current RSS


def body(size: int):
    """``size`` bytes, generated a MiB at a time (the test never holds the file)."""
    async def gen():
        sent = 0
        while sent < size:
            chunk = CHUNK[: min(len(CHUNK), size - sent)]
            sent += len(chunk)
            yield chunk
    return gen()


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
async def test_a_large_direct_upload_and_its_download_stay_in_bounded_memory(served, build, admin_token,
                                                                              settings):
    ds = await build.dataset(await build.project())
    expected = hashlib.sha256()
    for sent in range(0, SIZE, MiB):
        expected.update(CHUNK[: min(MiB, SIZE - sent)])
    sha = expected.hexdigest()
    created = (await query(served, admin_token, CREATE, {"d": ds, "files": [
        {"name": "big.bin", "dir": "/", "size": SIZE, "sha256": sha}]}))["itemUploadsCreate"]
    assert created["errors"] == []
    upload = created["uploads"][0]
    assert [p["size"] for p in upload["parts"]] == [64 * MiB, 64 * MiB, 8 * MiB]

    reset_peak_rss()
    before = peak_rss()
    tracemalloc.start()
    try:
        async with httpx.AsyncClient(timeout=120) as http:
            for part in upload["parts"]:
                put = await http.put(part["uploadUrl"], content=body(int(part["size"])),
                                     headers={**upload["headers"], "Content-Length": str(int(part["size"]))})
                assert put.status_code == 200, put.text
            done = (await query(served, admin_token, COMMIT, {"d": ds, "items": [
                {"name": "big.bin", "dir": "/", "uploadId": upload["uploadId"]}]}))["itemsCreate"]
            assert done["errors"] == []
            item = done["items"][0]
            assert (item["size"], item["sha256"]) == (SIZE, sha)
            got = hashlib.sha256()
            async with http.stream("GET", item["url"]) as response:
                assert response.status_code == 200
                async for chunk in response.aiter_raw():
                    got.update(chunk)
        _, python_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    grown = peak_rss() - before
    assert got.hexdigest() == sha
    assert python_peak < BUDGET, f"Python allocations peaked at {python_peak / MiB:.0f} MiB"
    assert grown < BUDGET, f"the process's peak RSS grew by {grown / MiB:.0f} MiB for a {SIZE // MiB} MiB file"
    assert blobs(settings.data_dir) == [sha]
    assert leftovers(settings.data_dir) == []
