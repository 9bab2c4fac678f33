"""A worker's dropped log bytes (``droppedBytes``, a ``Long``) add up beyond 32 bits: a function that prints
gigabytes past LABELGRAPH_MAX_LOG_BYTES keeps its marker line counting (``execution.log_dropped`` is 64-bit on
PostgreSQL since migration 0014_long; a 32-bit column overflowed and refused every later batch)."""

from __future__ import annotations

from faas_support import CLAIM, deploy, execute

GiB = 2**30

APPEND = """mutation($id: ID!, $w: String!, $d: Long!) { executionLogsAppend(
  input: {id: $id, workerId: $w, lines: [], droppedBytes: $d}) { kept errors { code message } } }"""
LOGS = "query($id: ID!) { execution(id: $id) { logs(first: 10) { nodes { text level } } } }"


async def test_dropped_log_bytes_add_up_beyond_32_bits(gql, build):
    """A chatty function's worker reports 3 GiB dropped, twice: the execution counts 6 GiB (a 64-bit column)."""
    project = await build.project()
    _, service = await deploy(gql, project)
    exe = await execute(gql, service)
    [claim] = (await gql(CLAIM, {"w": "w1", "s": [service], "m": 1, "l": 3600}))["executionsClaim"]["claims"]
    assert claim["execution"]["id"] == exe["id"]
    for _ in range(2):
        data = await gql(APPEND, {"id": exe["id"], "w": "w1", "d": 3 * GiB})
        assert data["executionLogsAppend"] == {"kept": 0, "errors": []}
    [marker] = (await gql(LOGS, {"id": exe["id"]}))["execution"]["logs"]["nodes"]
    assert marker["text"].startswith(f"[log limit reached: {6 * GiB} bytes of output dropped"), marker
    assert marker["level"] == "WARNING"


async def test_dropped_log_bytes_saturate_at_the_largest_long(gql, build):
    """Counts past 2^63 - 1 (a worker reporting the largest Long twice) stay at 2^63 - 1 instead of failing."""
    project = await build.project()
    _, service = await deploy(gql, project)
    exe = await execute(gql, service)
    await gql(CLAIM, {"w": "w1", "s": [service], "m": 1, "l": 3600})
    for _ in range(2):
        data = await gql(APPEND, {"id": exe["id"], "w": "w1", "d": 2**63 - 1})
        assert data["executionLogsAppend"] == {"kept": 0, "errors": []}
    [marker] = (await gql(LOGS, {"id": exe["id"]}))["execution"]["logs"]["nodes"]
    assert marker["text"].startswith(f"[log limit reached: {2**63 - 1} bytes of output dropped"), marker
