"""The execution plane's bookkeeping alone: CPU per execution of claim → complete through the embedded pool's
worker port (engine/local.py), in one process with the app (its commit hooks, outbox dispatcher, matcher and
scheduler running as in `labelgraph serve`), without function processes, HTTP or a client polling. The number
a busy machine distorts least: CPU seconds of this process and of the database's backends, per execution.

    .venv/bin/python bench/queue_bench.py --database postgresql --executions 2000
    .venv/bin/python bench/queue_bench.py --before /tmp/old-tree --rounds 3   # old and new alternated

Each round: a fresh database, a service with concurrency 10, ``--executions`` no-op executions queued while it
is paused; then claims of up to ``--batch`` executions (as the embedded runner's free slots) and their
completions in one ``complete_many`` each, ``--overlap`` claims in flight at once, until all are SUCCESS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faas_bench import PG, _pg, pg_backends  # noqa: E402

ROUND = r'''
import asyncio, json, sys, time
from pathlib import Path

import httpx

import labelgraph.cli, labelgraph.schema  # everything `labelgraph serve` imports
from labelgraph.app import create_app
from labelgraph.engine.local import LocalWorkerPort
from labelgraph.settings import Settings

data_dir, database_url, admin, n, batch, overlap = sys.argv[1:7]
n, batch, overlap = int(n), int(batch), int(overlap)


async def main():
    settings = Settings(data_dir=Path(data_dir), database_url=database_url, admin_token=admin, embedded_workers=0,
                        freeze_gc=True)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        state = app.state.labelgraph
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench.test",
                                     headers={"Authorization": f"Bearer {admin}"}, timeout=60) as http:
            async def gql(query, **variables):
                body = (await http.post("/graphql", json={"query": query, "variables": variables})).json()
                assert not body.get("errors"), body
                return body["data"]

            org = await gql('mutation { organizationCreate(input: {name: "o"}) { organization { id } } }')
            project = await gql('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "p"}) '
                                '{ project { id } } }', o=org["organizationCreate"]["organization"]["id"])
            package = await gql("mutation($i: PackageCreateInput!) { packageCreate(input: $i) { package { id } } }",
                                i={"projectId": project["projectCreate"]["project"]["id"], "name": "b",
                                   "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.basic:Basic"},
                                   "modules": [{"functions": [{"name": "noop"}]}]})
            service = (await gql("mutation($i: ServiceCreateInput!) { serviceCreate(input: $i) { service { id } } }",
                                 i={"packageId": package["packageCreate"]["package"]["id"], "name": "b",
                                    "concurrency": batch * overlap}))["serviceCreate"]["service"]["id"]
            doc = "mutation($s: ID!) {" + " ".join(
                f'e{i}: executionCreate(input: {{serviceId: $s, functionName: "noop"}}) {{ errors {{ code }} }}'
                for i in range(50)) + "}"
            for _ in range(n // 50):
                await gql(doc, s=service)
        port = LocalWorkerPort(state["db"], state["work_signal"], app)
        done = 0

        async def worker(k):
            nonlocal done
            while done < n:
                claims = await port.claim(f"bench-{k}", [service], batch, 60, 0)
                if not claims:
                    await asyncio.sleep(0.001)
                    continue
                refused = await port.complete_many(f"bench-{k}", {c.id: None for c in claims})
                assert not refused, refused
                done += len(claims)

        await asyncio.sleep(0.5)  # the creations' events dispatched
        print("READY", flush=True)
        sys.stdin.readline()
        t0, c0 = time.monotonic(), time.process_time()
        await asyncio.gather(*(worker(k) for k in range(overlap)))
        wall = time.monotonic() - t0
        await asyncio.sleep(0.3)  # the last events published and marked (outbox dispatcher): counted too
        print(json.dumps({"cpu": time.process_time() - c0, "wall": wall, "n": done}), flush=True)
        sys.stdin.readline()


asyncio.run(main())
'''


def one_round(tree: str | None, database: str, n: int, batch: int, overlap: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix="lg-queue-bench-"))
    name = None
    if database == "postgresql":
        name = f"lg_queue_bench_{os.getpid()}"
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
        url = PG.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{root / 'labelgraph.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    if tree:
        env["PYTHONPATH"] = os.pathsep.join([str(Path(tree, "server").resolve()),
                                             str(Path(tree, "clients", "python").resolve())])
    env["LABELGRAPH_LOG_LEVEL"] = "warning"
    proc = subprocess.Popen([sys.executable, "-c", ROUND, str(root / "data"), url, "lg_" + secrets.token_urlsafe(24),
                             str(n), str(batch), str(overlap)], env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        line = proc.stdout.readline()
        if line.strip() != "READY":
            raise SystemExit(f"round failed to start: {line}")
        pg0 = pg_backends(name) if name else {}
        proc.stdin.write("\n")
        proc.stdin.flush()
        result = json.loads(proc.stdout.readline())
        pg1 = pg_backends(name) if name else {}
        result["pg"] = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in pg1.items())
        proc.stdin.write("\n")
        proc.stdin.flush()
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        if name:
            asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgresql", choices=["postgresql", "sqlite"])
    parser.add_argument("--executions", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10, help="executions per claim (the runner's free slots)")
    parser.add_argument("--overlap", type=int, default=1, help="claimers at once")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--before", metavar="CHECKOUT", help="another checkout, run before this one each round")
    args = parser.parse_args()
    trees = [("before", args.before), ("after", None)] if args.before else [("", None)]
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print("| round | tree | executions/s (this process alone) | CPU ms/execution: process | PostgreSQL | load |")
    print("|---|---|---:|---:|---:|---:|")
    for i in range(args.rounds):
        for label, tree in trees:
            r = one_round(tree, args.database, args.executions, args.batch, args.overlap)
            print(f"| {i + 1} | {label} | {r['n'] / r['wall']:.0f} | {1000 * r['cpu'] / r['n']:.3f} | "
                  f"{1000 * r['pg'] / r['n']:.3f} | {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
