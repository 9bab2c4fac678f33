"""Scale-out benchmark: the reference nested read with 1, 2 and 3 `labelgraph serve` replicas on PostgreSQL and
Redis, and the latency of a subscription across replicas.

    .venv/bin/python bench/replicas_bench.py                  # generates the data first if needed (~15 s)
    .venv/bin/python bench/replicas_bench.py --replicas 1 2 3 --duration 15 --connections 12

Reads: the reference screen (bench/queries/reference.graphql: project → 5 datasets → 50 items each → their
annotations) on the benchmark data (bench/gen_data.py, PostgreSQL database ``labelgraph_bench``). For N replicas,
N wrk processes run at once, one per replica, with connections/N connections each — what a round-robin load
balancer in front of them would do — and their requests/s are summed; p50/p99 are the worst replica's. The wrk
script is the anchors' ``post.lua`` (../shared/bench-anchors/, used in place). Needs wrk (Debian package).

Subscriptions: ``--subscribers`` subscribers of ``executionUpdated`` on replica A while a worker reports progress
through replica B (the last one); latency is the execution's ``updatedAt`` (set in the committing transaction on
B) to its receipt on A's WebSockets — it crosses B's outbox dispatcher, Redis and A's reader.

Everything runs on this one 2-core machine: replicas, PostgreSQL, Redis and the load generator share the cores,
so more replicas cannot add CPU; the figure says what a replica costs, not what a cluster of machines would do.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import httpx
from faas_bench import free_port
from subscriptions_bench import client_process

HERE = Path(__file__).resolve().parent
ANCHORS = HERE.parent.parent / "shared" / "bench-anchors"
PG_BASE = os.environ.get("LABELGRAPH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("LABELGRAPH_BENCH_REDIS", "redis://127.0.0.1:6379/0")
WORK = HERE / ".work"


def ensure_data() -> tuple[str, str]:
    """The project to query and the benchmark user's token (generating the data when missing)."""
    token_file, project_file = WORK / "token", WORK / "project_id"
    probe = subprocess.run(["psql", f"{PG_BASE}/labelgraph_bench", "-Atc", "SELECT count(*) FROM item"],
                           capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip() != "40000" or not token_file.exists():
        WORK.mkdir(exist_ok=True)
        with project_file.open("w") as out:
            subprocess.run([sys.executable, str(HERE / "gen_data.py"), "--pg", f"{PG_BASE}/labelgraph_bench",
                            "--token-file", str(token_file)], stdout=out, check=True)
    return project_file.read_text().strip(), token_file.read_text().strip()


class Replicas:
    def __init__(self, n: int, stream: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="lg-replicas-"))
        self.admin = "lg_" + secrets.token_urlsafe(32)
        self.urls: list[str] = []
        self.procs: list[subprocess.Popen] = []
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        env.update(LABELGRAPH_ADMIN_TOKEN=self.admin, LABELGRAPH_LOG_LEVEL="warning", LABELGRAPH_RATE_LIMIT="0")
        for i in range(n):
            port = free_port()
            log = (self.root / f"replica-{i}.log").open("w")
            self.procs.append(subprocess.Popen(
                [sys.executable, "-m", "labelgraph.cli", "serve", "--port", str(port), "--data-dir",
                 str(self.root / str(i)), "--database-url", f"{PG_BASE}/labelgraph_bench", "--broker-url",
                 f"{REDIS}?stream={stream}", "--embedded-workers", "0", "--no-migrate"],
                env=env, stdout=log, stderr=subprocess.STDOUT))
            self.urls.append(f"http://127.0.0.1:{port}/graphql")
        for url, proc in zip(self.urls, self.procs, strict=True):
            for _ in range(600):
                if proc.poll() is not None:
                    raise SystemExit(f"a replica exited: see {self.root}")
                try:
                    if httpx.get(url.replace("/graphql", "/healthz"), timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()


def parse_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_all(urls: list[str], body_file: Path, token: str, connections: int, duration: int) -> dict:
    env = {**os.environ, "BODY_FILE": str(body_file), "BENCH_AUTH": f"Bearer {token}"}
    per = max(1, connections // len(urls))
    procs = [subprocess.Popen(["wrk", "-t1", f"-c{per}", f"-d{duration}s", "--latency", "-s",
                               str(ANCHORS / "post.lua"), url], env=env, stdout=subprocess.PIPE, text=True)
             for url in urls]
    outs = [p.communicate()[0] for p in procs]
    rps = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", o).group(1)) for o in outs)
    p50 = max(parse_ms(re.search(r"\s50%\s+(\S+)", o).group(1)) for o in outs)
    p99 = max(parse_ms(re.search(r"\s99%\s+(\S+)", o).group(1)) for o in outs)
    errors = sum(int(m.group(1)) for o in outs for m in re.finditer(r"Non-2xx or 3xx responses: (\d+)", o))
    return {"rps": round(rps, 1), "p50_ms": round(p50, 1), "p99_ms": round(p99, 1), "non_2xx": errors}


def subscription_latency(replicas: Replicas, subscribers: int, changes: int) -> dict:
    a, b = replicas.urls[0], replicas.urls[-1]
    http = httpx.Client(timeout=60, headers={"Authorization": f"Bearer {replicas.admin}"})

    def gql(url: str, query: str, variables: dict | None = None) -> dict:
        body = http.post(url, json={"query": query, "variables": variables or {}}).json()
        assert not body.get("errors"), body
        return body["data"]

    org = gql(a, 'mutation { organizationCreate(input: {name: "subs"}) { organization { id } } }')
    project = gql(a, 'mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "s"}) { project { id } } }',
                  {"o": org["organizationCreate"]["organization"]["id"]})["projectCreate"]["project"]["id"]
    package = gql(a, """mutation($p: ID!) { packageCreate(input: {projectId: $p, name: "subs", codebase: {
        reference: "labelgraph.samples.basic:Basic"}, modules: [{functions: [{name: "noop"}]}]}) {
        package { id } } }""",
                  {"p": project})["packageCreate"]["package"]["id"]
    service = gql(a, 'mutation($p: ID!) { serviceCreate(input: {packageId: $p}) { service { id } } }',
                  {"p": package})["serviceCreate"]["service"]["id"]
    exe = gql(b, 'mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "noop"}) '
                 '{ execution { id } } }', {"s": service})["executionCreate"]["execution"]["id"]
    gql(b, 'mutation($s: ID!) { executionsClaim(input: {workerId: "bench", serviceIds: [$s], max: 1, '
           'leaseSeconds: 3600}) '
           '{ claims { execution { id } } } }', {"s": service})
    ctx = multiprocessing.get_context("spawn")
    out, ready, done = ctx.Queue(), ctx.Event(), ctx.Event()
    proc = ctx.Process(target=client_process, args=(a, replicas.admin, exe, subscribers, ready, done, out))
    proc.start()
    if not ready.wait(300):
        raise SystemExit("subscribers did not connect")
    time.sleep(1)
    updated = {}
    for i in range(changes):
        data = gql(b, """mutation($id: ID!, $p: Int!) { executionProgress(input: {id: $id, workerId: "bench",
            percentComplete: $p}) { execution { version updatedAt } } }""", {"id": exe, "p": i % 100}
                   )["executionProgress"]["execution"]
        updated[data["version"]] = datetime.fromisoformat(data["updatedAt"].replace("Z", "+00:00")).timestamp()
        time.sleep(0.1)
    gql(b, 'mutation($id: ID!) { executionComplete(input: {id: $id, workerId: "bench"}) { errors { message } } }',
        {"id": exe})
    arrivals = out.get(timeout=120)
    proc.join(30)
    http.close()
    lat = sorted((t - updated[v]) * 1000 for v, ts in arrivals.items() if v in updated for t in ts)
    everyone_got_everything = all(len(arrivals.get(v, ())) == subscribers for v in updated)
    return {"subscribers": subscribers, "changes": changes, "complete": everyone_got_everything,
            "p50_ms": round(lat[len(lat) // 2], 1), "p99_ms": round(lat[int(len(lat) * 0.99) - 1], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--duration", type=int, default=15)
    ap.add_argument("--connections", type=int, default=12)
    ap.add_argument("--subscribers", type=int, default=200)
    ap.add_argument("--changes", type=int, default=50)
    args = ap.parse_args()
    project, token = ensure_data()
    query = (HERE / "queries" / "reference.graphql").read_text()
    body_file = WORK / "reference-body.json"
    body_file.write_text(json.dumps({"query": query, "variables": {"projectId": project}}))
    results = {"reads": {}, "subscriptions": None}
    for n in args.replicas:
        stream = f"lgbench:{uuid.uuid4().hex}"
        replicas = Replicas(n, stream)
        try:
            wrk_all(replicas.urls, body_file, token, args.connections, 3)  # warm-up
            results["reads"][n] = wrk_all(replicas.urls, body_file, token, args.connections, args.duration)
            print(f"{n} replica(s): {results['reads'][n]}", file=sys.stderr, flush=True)
            if n == max(args.replicas) and n > 1:
                results["subscriptions"] = subscription_latency(replicas, args.subscribers, args.changes)
                print(f"across replicas: {results['subscriptions']}", file=sys.stderr, flush=True)
        finally:
            replicas.stop()
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "DEL", stream], capture_output=True)
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
