"""Execution-plane benchmark: dispatch latency (item committed → function started, p50/p99) and throughput
(no-op executions per second), with the worker pool embedded in `labelgraph serve` and with 2 (--workers) external
`labelgraph worker` processes, on SQLite and PostgreSQL.

    .venv/bin/python bench/faas_bench.py                       # SQLite and (if reachable) PostgreSQL
    .venv/bin/python bench/faas_bench.py --databases sqlite --events 100 --executions 1000
    git worktree add /tmp/faas-old main   # then, before/after in one run (each row: old tree, then this one):
    .venv/bin/python bench/faas_bench.py --before /tmp/faas-old

Each run starts a fresh server (and workers) as subprocesses on a fresh database. Latency: items are created
one at a time (50 ms apart) under an ITEM CREATED trigger whose function returns time.time() when it starts;
the commit instant is taken as the moment itemsCreate answered (the commit precedes the answer, so the figure
slightly *under*-counts by the response's transfer time, well under a millisecond on loopback). Throughput: the
service is paused, N no-op executions are queued, the service is resumed and the clock runs until all succeeded.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from pg_cpu import pg_backends

PG = os.environ.get("LABELGRAPH_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a live process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def cpu_seconds(roots: list[int]) -> dict[str, float]:
    """CPU seconds used so far: "server" (the serve process itself), "workers" (the worker processes) and
    "children" (the function processes below either, live ones plus the reaped ones' totals). Differences of two
    snapshots are what a phase cost. PostgreSQL's backends: ``pg_backends``."""
    procs: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st is not None:
                procs[int(entry)] = st
    out = {"server": 0.0, "workers": 0.0, "children": 0.0}
    for i, root in enumerate(roots):
        if root in procs:
            out["server" if i == 0 else "workers"] += procs[root][1]
            try:  # the children this process reaped (cutime + cstime)
                f = Path(f"/proc/{root}/stat").read_text().rsplit(")", 1)[1].split()
                out["children"] += (int(f[13]) + int(f[14])) / TICK
            except OSError:
                pass
    below = set(roots)
    changed = True
    while changed:
        changed = False
        for pid, (ppid, cpu) in procs.items():
            if ppid in below and pid not in below:
                below.add(pid)
                out["children"] += cpu
                changed = True
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Run:
    def __init__(self, database_url: str, embedded: int, workers: int, root: Path, src: str | None = None,
                 pg_database: str | None = None) -> None:
        self.database_url, self.embedded, self.workers, self.root = database_url, embedded, workers, root
        self.pg_database = pg_database
        self._pg_now: dict[int, float] = {}  # the last pg_backends snapshot
        self.src = src  # another checkout's labelgraph (its server/ directory), or None: this one
        self.token = "lg_" + secrets.token_urlsafe(32)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        self.procs: list[subprocess.Popen] = []
        self.http = httpx.Client(timeout=60, headers={"Authorization": f"Bearer {self.token}"})

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        env.update(LABELGRAPH_ADMIN_TOKEN=self.token, LABELGRAPH_RATE_LIMIT="0",
                   LABELGRAPH_LOG_LEVEL=os.environ.get("FAAS_BENCH_LOG_LEVEL", "warning"))
        if self.src:
            # that checkout's generated client too: its server (before the worker port) drives it
            client = Path(self.src).parent / "clients" / "python"
            paths = (self.src, str(client) if client.is_dir() else None, env.get("PYTHONPATH"))
            env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        return env

    def start(self) -> None:
        log = (self.root / "serve.log").open("w")
        self.procs.append(subprocess.Popen(
            [sys.executable, "-m", "labelgraph.cli", "serve", "--port", str(self.port), "--data-dir",
             str(self.root / "data"), "--database-url", self.database_url, "--embedded-workers", str(self.embedded)],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT))
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit((self.root / "serve.log").read_text())

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far per process group; "postgres": the backends of the bench's database (a backend that
        ends between two snapshots is lost, one that starts counts whole: the pools keep theirs open)."""
        out = cpu_seconds([p.pid for p in self.procs])
        out["postgres"] = 0.0
        if self.pg_database:
            self._pg_now = pg_backends(self.pg_database)
            out["postgres"] = sum(self._pg_now.values())
        return out

    def start_workers(self, service: str) -> None:
        for i in range(self.workers):
            log = (self.root / f"worker-{i}.log").open("w")
            self.procs.append(subprocess.Popen(
                [sys.executable, "-m", "labelgraph.cli", "worker", "--url", self.url, "--token", self.token,
                 "--service", service, "--worker-id", f"bench-{i}", "--log-level", "warning"],
                env=self.env(), stdout=log, stderr=subprocess.STDOUT))

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        self.http.close()

    def gql(self, query: str, variables: dict | None = None) -> dict:
        body = self.http.post(self.url, json={"query": query, "variables": variables or {}}).json()
        if body.get("errors"):
            raise RuntimeError(body["errors"])
        return body["data"]

    def setup(self) -> tuple[str, str, str]:
        org = self.gql('mutation { organizationCreate(input: {name: "bench"}) { organization { id } } }')
        project = self.gql('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "b"}) '
                           '{ project { id } } }', {"o": org["organizationCreate"]["organization"]["id"]}
                           )["projectCreate"]["project"]["id"]
        dataset = self.gql('mutation($p: ID!) { datasetCreate(input: {projectId: $p, name: "d"}) '
                           '{ dataset { id } } }', {"p": project})["datasetCreate"]["dataset"]["id"]
        package = self.gql("""mutation($p: ID!) { packageCreate(input: {projectId: $p, name: "bench", codebase: {
            reference: "labelgraph.samples.basic:Basic"}, modules: [{functions: [{name: "noop"},
            {name: "stamp", inputs: [{type: ITEM}]}, {name: "sleep", inputs: [{name: "seconds", type: FLOAT}]}]}]})
            { package { id } } }""", {"p": project}
                           )["packageCreate"]["package"]["id"]
        service = self.gql("""mutation($p: ID!) { serviceCreate(input: {packageId: $p, concurrency: 10}) {
            service { id } } }""", {"p": package})["serviceCreate"]["service"]["id"]
        self.gql("""mutation($s: ID!) { triggerCreate(input: {serviceId: $s, functionName: "stamp",
            executionMode: ALWAYS}) { errors { message } } }""", {"s": service})
        return project, dataset, service

    def count(self, service: str, status: str, function: str) -> int:
        return self.gql("""query($s: ID!, $st: [ExecutionStatus!], $f: String!) { executions(filter: {serviceId: $s,
            statuses: $st, functionName: {eq: $f}}) { totalCount } }""", {"s": service, "st": [status], "f": function}
                        )["executions"]["totalCount"]

    def wait(self, service: str, function: str, n: int, timeout: float = 600) -> float:
        """When ``n`` executions of ``function`` are SUCCESS. Each look is a GraphQL count on the server under
        test, so it looks rarely while far from done (at the rate seen so far) and every 10 ms near the end."""
        deadline = time.monotonic() + timeout
        first, t0 = None, time.monotonic()
        while True:
            done = self.count(service, "SUCCESS", function)
            now = time.monotonic()
            if done >= n:
                return now
            if now > deadline:
                raise SystemExit(f"only {done} of {n} succeeded")
            if first is None:
                first = done
            rate = (done - first) / (now - t0) if done > first else 0
            time.sleep(min(0.25, max(0.01, (n - done) / rate / 2)) if rate else 0.05)

    def latency(self, dataset: str, service: str, events: int) -> list[float]:
        committed = {}
        for i in range(events):
            data = self.gql("""mutation($d: ID!, $n: String!) { itemsCreate(input: {datasetId: $d, items: [{name: $n}]})
                { items { id } } }""", {"d": dataset, "n": f"{i:05}.jpg"})
            committed[data["itemsCreate"]["items"][0]["id"]] = time.time()
            time.sleep(0.05)
        self.wait(service, "stamp", events)
        nodes = self.gql("""query($s: ID!) { executions(first: 1000, filter: {serviceId: $s, functionName:
            {eq: "stamp"}}) { nodes { input output } } }""", {"s": service})["executions"]["nodes"]
        return [n["output"]["started"] - committed[n["input"]["item"]["item_id"]] for n in nodes]

    def warm_up(self, service: str) -> None:
        """Every slot's function process started before any clock runs: 10 executions per worker that last long
        enough to be running at once (no-ops end too fast: a few processes would serve them all, and the rest
        would start inside a measured phase), then the no-ops."""
        slots = max(1, self.workers) * 10
        for _ in range(slots):
            self.gql('mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "sleep", '
                     'input: {seconds: 1.0}}) { errors { code } } }', {"s": service})
        self.wait(service, "sleep", slots)
        for _ in range(slots):
            self.gql('mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "noop"}) '
                     '{ errors { code } } }', {"s": service})
        self.wait(service, "noop", slots)
        self.warm = slots

    def throughput(self, service: str, n: int) -> tuple[float, dict[str, float]]:
        """Queued no-op executions per second, and the CPU seconds per execution of each process group."""
        self.gql('mutation($s: ID!) { servicePause(input: {id: $s}) { errors { message } } }', {"s": service})
        batch = 50  # the alias limit
        for start in range(0, n, batch):
            doc = "mutation($s: ID!) {" + " ".join(
                f'e{i}: executionCreate(input: {{serviceId: $s, functionName: "noop"}}) {{ errors {{ code }} }}'
                for i in range(min(batch, n - start))) + "}"
            self.gql(doc, {"s": service})
        spy = None
        if os.environ.get("FAAS_BENCH_PYSPY"):  # a py-spy profile of the server during the run (raw, for flamegraphs)
            out = f"{os.environ['FAAS_BENCH_PYSPY']}-{self.port}.txt"
            binary = os.environ.get("FAAS_BENCH_PYSPY_BIN") or str(Path(sys.executable).parent / "py-spy")
            spy = subprocess.Popen([binary, "record", "--pid",
                                    str(self.procs[0].pid), "--format", "raw", "--rate", "250", "--nonblocking",
                                    "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
        cpu0 = self.cpu()
        pg0 = self._pg_now
        t0 = time.monotonic()
        self.gql('mutation($s: ID!) { serviceResume(input: {id: $s}) { errors { message } } }', {"s": service})
        rate = n / (self.wait(service, "noop", n + self.warm) - t0)
        cpu1 = self.cpu()
        if spy is not None:
            spy.send_signal(2)
            spy.wait(60)
        cpu0["postgres"] = 0.0  # per backend: what it used since the first snapshot (or since it started)
        cpu1["postgres"] = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in self._pg_now.items())
        return rate, {k: (cpu1[k] - cpu0[k]) / n for k in cpu0}

    def from_events(self, dataset: str, service: str, n: int, done_before: int) -> float:
        """Executions per second end to end: ``n`` items created (200 per itemsCreate) under the ITEM CREATED
        trigger → n executions matched, claimed, run and SUCCESS; the clock runs from the first request."""
        t0 = time.monotonic()
        for start in range(0, n, 200):
            self.gql("""mutation($d: ID!, $items: [ItemCreateInput!]!) { itemsCreate(input: {datasetId: $d,
                items: $items}) { items { id } } }""",
                     {"d": dataset, "items": [{"name": f"t{i:06}.jpg"} for i in range(start, min(n, start + 200))]})
        return n / (self.wait(service, "stamp", done_before + n) - t0)


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def _pg(sql: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    from labelgraph.settings import normalize_database_url

    engine = create_async_engine(normalize_database_url(PG), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(sa.text(sql))
    await engine.dispose()


def one(database: str, mode: str, events: int, executions: int, src: str | None = None, workers: int = 2) -> dict:
    root = Path(tempfile.mkdtemp(prefix="lg-faas-bench-"))
    if database == "postgresql":
        name = f"lg_faas_bench_{os.getpid()}"
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
        url = PG.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{root / 'data' / 'labelgraph.db'}"
    run = Run(url, embedded=1 if mode == "embedded" else 0, workers=0 if mode == "embedded" else workers,
              root=root, src=src, pg_database=name if database == "postgresql" else None)
    try:
        run.start()
        _, dataset, service = run.setup()
        if run.workers:
            run.start_workers(service)
        run.warm_up(service)  # every worker connected and the code loaded before the clock runs
        lat = run.latency(dataset, service, events)
        rate, cpu = run.throughput(service, executions)
        end_to_end = run.from_events(dataset, service, executions, events)
    finally:
        run.stop()
        if database == "postgresql":
            asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if os.environ.get("FAAS_BENCH_KEEP_LOGS"):  # the server's log (see FAAS_BENCH_LOG_LEVEL) kept there
            shutil.copy(root / "serve.log", f"{os.environ['FAAS_BENCH_KEEP_LOGS']}-{run.port}.log")
        shutil.rmtree(root, ignore_errors=True)
    return {"database": database, "mode": mode, "p50_ms": 1000 * pct(lat, 50), "p99_ms": 1000 * pct(lat, 99),
            "throughput": rate, "cpu": cpu, "end_to_end": end_to_end}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--modes", default="embedded,external")
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--executions", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="external `labelgraph worker` processes")
    parser.add_argument("--before", metavar="CHECKOUT", help="also run another checkout of labelgraph (e.g. a "
                        "`git worktree add /tmp/faas-old main`) before this one, row by row")
    args = parser.parse_args()
    trees = [("before", str(Path(args.before, "server").resolve())), ("after", None)] if args.before else [("", None)]
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores: {os.cpu_count()})")
    print("| database | workers |" + (" tree |" if args.before else "") +
          " dispatch p50 | dispatch p99 | queued no-ops/s | events → SUCCESS/s | CPU ms/execution: server "
          "| workers | functions | PostgreSQL | load |")
    print("|---|---|" + ("---|" if args.before else "") + "---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for database in args.databases.split(","):
        for mode in args.modes.split(","):
            for tree, src in trees:
                r = one(database, mode, args.events, args.executions, src, args.workers)
                who = ("embedded pool (1 worker, 10 slots)" if mode == "embedded"
                       else f"{args.workers} external workers (10 slots each)")
                cpu = r["cpu"]
                print(f"| {'SQLite' if database == 'sqlite' else 'PostgreSQL'} | {who} |" +
                      (f" {tree} |" if tree else "") + f" {r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms | "
                      f"{r['throughput']:.0f} | {r['end_to_end']:.0f} | {1000 * cpu['server']:.2f} | "
                      f"{1000 * cpu['workers']:.2f} | {1000 * cpu['children']:.2f} | "
                      f"{1000 * cpu['postgres']:.2f} | "
                      f"{os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
