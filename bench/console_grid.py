#!/usr/bin/env python3
"""The console's grid at 10,000 items (issue 18.5) against a floor of 250 items in the same run: starts a
``labelgraph serve`` on a temporary SQLite data dir, creates the two datasets through the API, and runs
bench/console_grid.mjs (Debian's Chromium through playwright-core from console/node_modules): per scroll step of
one screen, the renderer main thread's CPU and the frame time, and the cells in the DOM.

    PYTHONPATH=server:clients/python .venv/bin/python bench/console_grid.py [--items 10000] [--steps 200]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent


def gql(url: str, token: str, query: str, variables: dict) -> dict:
    body = httpx.post(url, json={"query": query, "variables": variables},
                      headers={"Authorization": f"Bearer {token}"}, timeout=120).json()
    assert not body.get("errors"), body
    return body["data"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--floor", type=int, default=250)
    ap.add_argument("--steps", type=int, default=200)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "lg_" + secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="lg_console_grid_") as root:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        env.update(LABELGRAPH_ADMIN_TOKEN=token, LABELGRAPH_LOG_LEVEL="warning")
        server = subprocess.Popen([sys.executable, "-m", "labelgraph.cli", "serve", "--host", "127.0.0.1", "--port",
                                   str(port), "--data-dir", f"{root}/data"], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:  # another process: polled
                try:
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.2)
            url = base + "/graphql"
            org = gql(url, token, 'mutation { organizationCreate(input: {name: "G"}) { organization { id } } }',
                      {})["organizationCreate"]["organization"]["id"]
            project = gql(url, token, 'mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "G"}) '
                          '{ project { id } } }', {"o": org})["projectCreate"]["project"]["id"]
            datasets = []
            for name, n in (("floor", args.floor), ("big", args.items)):
                ds = gql(url, token, 'mutation($p: ID!, $n: String!) { datasetCreate(input: {projectId: $p, '
                         'name: $n}) { dataset { id } } }', {"p": project, "n": name})["datasetCreate"]["dataset"]["id"]
                for start in range(0, n, 1000):
                    gql(url, token, """mutation($d: ID!, $items: [ItemCreateInput!]!) { itemsCreate(input:
                        {datasetId: $d, items: $items}) { errors { message } } }""",
                        {"d": ds, "items": [{"name": f"f_{i:05d}.jpg", "mimetype": "image/jpeg"}
                                            for i in range(start, min(n, start + 1000))]})
                datasets.append([name, ds, n])
            done = subprocess.run(["node", str(HERE / "console_grid.mjs")], capture_output=True, text=True,
                                  timeout=900, env={**os.environ, "LG_GRID": json.dumps(
                                      {"base": base, "token": token, "datasets": datasets, "steps": args.steps})})
            assert done.returncode == 0, done.stderr
            result = json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"load average {os.getloadavg()[0]:.1f}")
    for name, r in result.items():
        print(f"{name:6} {r['total']:>6,} items ({r['countText']}): all pages in {r['loadMs'] / 1000:.1f} s; per "
              f"scroll step CPU median {r['cpuMsMedian']:.1f} ms, p95 {r['cpuMsP95']:.1f} ms; frame median "
              f"{r['frameMsMedian']:.1f} ms, p95 {r['frameMsP95']:.1f} ms; at most {r['cellsMax']} cells in the DOM; "
              f"JS heap {r['jsHeapMB']:.1f} MiB")
    big, floor = result["big"], result["floor"]
    print(f"ratio big/floor: CPU per step median {big['cpuMsMedian'] / max(floor['cpuMsMedian'], 1e-9):.2f}, "
          f"p95 {big['cpuMsP95'] / max(floor['cpuMsP95'], 1e-9):.2f}")


if __name__ == "__main__":
    main()
