"""Byte counts beyond 32 bits (the ``Long`` scalar): a file of 2 GiB or more answers its size exactly, through the
generated client over real HTTP, on the compiled read path and on the resolver path, as a JSON integer; a direct
upload over 2 GiB is described in 64-bit parts; bad ``Long`` inputs are refused with a message naming what is
allowed (the worker's dropped log bytes: tests/faas/test_log_long.py). No test writes gigabytes: sizes are declared
(``itemsCreate`` without content, ``itemUploadsCreate`` before any byte is sent)."""

from __future__ import annotations

import re

import httpx
import pytest
from support import serving

from labelgraph.graph.compiler import COMPILED_HEADER, COMPILER_HEADER

GiB = 2**30
SIZES = [2**31, 3 * GiB + 5, 2**53 + 1, 2**63 - 1, 0]  # 2 GiB, past 32 bits unsigned, past a double, the top


async def test_sizes_beyond_32_bits_answer_exactly_on_both_paths(app, admin_token, build):
    """A user creates items whose sizes pass 2^31 and reads them back: the same exact integers whether the query
    is compiled to one SQL statement or resolved field by field, and written as JSON integers (no ``.0``)."""
    from labelgraph_client import Client, ItemCreateInput

    ds = await build.dataset(await build.project())
    bodies: list[tuple[bool, bytes]] = []

    async def keep(response: httpx.Response) -> None:
        await response.aread()
        bodies.append((response.headers.get(COMPILED_HEADER) == "1", response.content))

    async with serving(app) as url, httpx.AsyncClient(event_hooks={"response": [keep]}, timeout=60) as http, \
            Client(url + "/graphql", admin_token, http_client=http) as client:
        created = await client.create_items(dataset_id=ds, items=[
            ItemCreateInput(name=f"{i}.bin", size=size) for i, size in enumerate(SIZES)])
        assert [item.size for item in created.items] == SIZES
        ids = [item.id for item in created.items]
        for compiler in ("on", "off"):
            headers = {COMPILER_HEADER: "off"} if compiler == "off" else {}
            for id_, size in zip(ids, SIZES, strict=True):
                bodies.clear()
                item = await client.get_item(id=id_, headers=headers)
                assert item.size == size
                compiled, body = bodies[-1]
                assert compiled == (compiler == "on"), body
                # a JSON integer, exactly (PostgreSQL's json_build_object puts spaces around the colon)
                assert re.search(rb'"size"\s*:\s*%d\s*,' % size, body), body
            bodies.clear()
            page = await client.list_items(dataset_id=ds, first=10, headers=headers)
            assert sorted(node.size for node in page.items.nodes) == sorted(SIZES)
            assert bodies[-1][0] == (compiler == "on")
            # metadata.system keeps the declared size too (a JSON number within 64 bits)
            assert sorted(node.metadata["system"]["size"] for node in page.items.nodes) == sorted(SIZES)


async def test_a_direct_upload_over_2_gib_is_described_in_64_bit_parts(client, build):
    """itemUploadsCreate for a 3 GiB file (nothing sent yet): 48 parts of 64 MiB, sizes and partSize as integers."""
    ds = await build.dataset(await build.project())
    size = 3 * GiB + 7
    created = await client.create_item_uploads(dataset_id=ds, files=[{"name": "long.mp4", "size": size}])
    [upload] = created.uploads
    assert upload.part_size == 64 * 2**20
    assert [p.number for p in upload.parts] == list(range(1, 50))
    assert [p.size for p in upload.parts] == [64 * 2**20] * 48 + [7]
    assert sum(p.size for p in upload.parts) == size
    again = await client.get_item_upload(upload_id=upload.upload_id)
    assert [p.size for p in again.parts] == [p.size for p in upload.parts]
    assert not any(p.received for p in again.parts)


CREATE_ITEM = """mutation($d: ID!, $n: String! = "a.bin") { itemsCreate(input: {datasetId: $d, items: [
  {name: $n, size: %s}]}) { items { size } errors { field code message } } }"""
CREATE_ITEM_VAR = """mutation($d: ID!, $n: String! = "a.bin", $s: Long) { itemsCreate(input: {datasetId: $d, items: [
  {name: $n, size: $s}]}) { items { size } errors { field code message } } }"""
RULE = "Long is an integer from -9223372036854775808 to 9223372036854775807"


@pytest.mark.parametrize(("literal", "says"), [
    ("1.5", RULE), ('"12"', RULE), ("9223372036854775808", RULE), ("-9223372036854775809", RULE), ("true", RULE),
    ("[1]", RULE), ("1e17", RULE),  # an exponent past 2^53: not exact
    ("1e400", "the number 1e400 is beyond the range of a Float")])  # checked first, with every literal number
async def test_a_bad_long_literal_is_refused_naming_what_is_allowed(gql, build, literal, says):
    ds = await build.dataset(await build.project())
    body = await gql.raw(CREATE_ITEM % literal, {"d": ds})
    assert body.get("data") is None, body
    assert any(says in e["message"] and literal.strip('"') in e["message"] for e in body["errors"]), body


@pytest.mark.parametrize(("value", "says"), [
    (1.5, RULE), ("12", RULE), (True, RULE), ({"n": 1}, RULE), (2.0**60, RULE),
    # a JSON decoder reads -2^63 - 1 as a float (-2^63, rounded): refused as inexact, not taken as -2^63
    (-(2**63) - 1, RULE),
    (2**63, "the request holds the integer 9223372036854775808 at variables.s, outside 64 bits")])  # body check
async def test_a_bad_long_variable_is_refused_naming_the_variable(gql, build, value, says):
    ds = await build.dataset(await build.project())
    body = await gql.raw(CREATE_ITEM_VAR, {"d": ds, "s": value})
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert says in error["message"], error
    if says == RULE:
        assert "$s" in error["message"] and error["extensions"]["code"] == "BAD_USER_INPUT", error


async def test_integral_numbers_are_longs_and_a_negative_size_is_invalid(gql, build):
    ds = await build.dataset(await build.project())
    for n, (literal, expected) in enumerate((("3000000000", 3_000_000_000), ("3e9", 3_000_000_000), ("-0", 0))):
        data = await gql(CREATE_ITEM % literal, {"d": ds, "n": f"{n}.bin"})
        assert data["itemsCreate"] == {"items": [{"size": expected}], "errors": []}, literal
    data = await gql(CREATE_ITEM_VAR, {"d": ds, "n": "float.bin", "s": 3e9})  # JSON 3e9: no fraction, a Long
    assert data["itemsCreate"] == {"items": [{"size": 3_000_000_000}], "errors": []}
    data = await gql(CREATE_ITEM_VAR, {"d": ds, "n": "negative.bin", "s": -1})
    assert data["itemsCreate"] == {"items": [], "errors": [{
        "field": ["items", "0", "size"], "code": "INVALID",
        "message": "size is the file's size in bytes (0 or more), got -1"}]}
