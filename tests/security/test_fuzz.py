"""schemathesis against a live ``labelgraph serve``: generated operations over all 84 root fields
(``EXAMPLES_PER_OPERATION`` each: 10 in the everyday suite, 25 with LABELGRAPH_FUZZ_EXAMPLES=25), none of which may
get a server error (an HTTP 5xx or an error masked as ``internal error``, see fuzz_checks.py).

Deterministic, so CI cannot flake: ``--generation-deterministic`` generates the same cases on every run. What
it finds is a real bug; each finding became a regression test in test_findings.py. Run only this
with ``pytest -m fuzz``; the whole suite includes it at the everyday size.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import httpx
import pytest
from support import GQL, Builder

pytestmark = [pytest.mark.fuzz, pytest.mark.timeout(1200)]

# Examples per root field. The everyday suite (make test, CI) sends 10 per field, 840 operations over all 84 root
# fields, deterministic: the same cases every run, so a regression among them fails at once. The thorough run,
# LABELGRAPH_FUZZ_EXAMPLES=25 (2,100 operations), is one variable away: ``LABELGRAPH_FUZZ_EXAMPLES=25 pytest -m fuzz``.
EXAMPLES_PER_OPERATION = int(os.environ.get("LABELGRAPH_FUZZ_EXAMPLES", "10"))
ROOT_FIELDS = 84
# nearly every field gets all its examples (2,000 of 2,100 at 25): fewer means the run stopped short
MINIMUM_OPERATIONS = ROOT_FIELDS * EXAMPLES_PER_OPERATION * 95 // 100


async def seed(url: str, token: str) -> None:
    """Some of everything, so that lists return rows and nested fields resolve."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        build = Builder(GQL(http, token))
        project = await build.project(await build.org("Fuzz"), "Fuzzed")
        dataset = await build.dataset(project, "frames")
        items = await build.items(dataset, [{"name": f"{i}.jpg", "metadata": {"split": "train", "n": i}}
                                            for i in range(5)])
        await build.boxes([i["id"] for i in items], per_item=2)


def operations_sent(report: Path) -> int:
    """The requests schemathesis recorded in its NDJSON report."""
    sent = 0
    for line in report.read_text().splitlines():
        event = json.loads(line)
        if "ScenarioFinished" in event:
            sent += len(event["ScenarioFinished"]["recorder"]["interactions"])
    return sent


async def test_schemathesis_finds_no_server_error(labelgraph_server, tmp_path: Path):
    await seed(labelgraph_server.url, labelgraph_server.token)
    log_from = labelgraph_server.log.stat().st_size
    report = tmp_path / "schemathesis.ndjson"
    here = Path(__file__).parent
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "fuzz_checks",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(here), os.environ.get("PYTHONPATH")]))}
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "schemathesis"), "run", labelgraph_server.graphql_url,
        "--header", f"Authorization: Bearer {labelgraph_server.token}",
        "--checks", "no_server_error",
        "--max-examples", str(EXAMPLES_PER_OPERATION),
        "--generation-deterministic",  # the same cases on every run (it implies no example database)
        # hypothesis's "data generation is too slow" health check measures wall-clock time: on a loaded machine it
        # failed a run whose 834 cases all passed. The cases are the same on every run; how fast they are made is
        # no finding.
        "--suppress-health-check", "too_slow",
        "--workers", "2",  # one generates while the server answers the other
        "--no-color", "--max-failures", "20",
        "--report", "ndjson", "--report-ndjson-path", str(report),
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        output = (await asyncio.wait_for(process.communicate(), timeout=1100))[0].decode(errors="replace")
    finally:
        if process.returncode is None:  # timed out: the run must not outlive the test
            process.kill()
            await process.wait()
    assert report.exists(), output[-8000:]
    sent = operations_sent(report)
    print(f"schemathesis sent {sent:,} operations")  # shown with -s or in the captured output
    server_log = labelgraph_server.log.read_text(errors="replace")[log_from:]

    assert process.returncode == 0, output[-8000:]
    assert sent >= MINIMUM_OPERATIONS, output[-3000:]
    assert "unexpected error" not in server_log, server_log[-8000:]
    assert "Exception in ASGI application" not in server_log, server_log[-8000:]
