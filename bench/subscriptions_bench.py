"""Subscription benchmark: N concurrent subscribers of `executionUpdated` on one `labelgraph serve` process.

    .venv/bin/python bench/subscriptions_bench.py                      # 1,000 subscribers, SQLite
    .venv/bin/python bench/subscriptions_bench.py --subscribers 1000 --changes 50 --database postgresql
    .venv/bin/python bench/subscriptions_bench.py --watch executions       # executionsUpdated over 100 executions
    .venv/bin/python bench/subscriptions_bench.py --compare-with /tmp/old  # the same run on another tree first

Reports:
* memory per idle subscription: the server's RSS with N idle subscriptions (one WebSocket connection each)
  minus its RSS before they connected, divided by N;
* latency from the commit of a status change to its receipt: the execution's ``updatedAt`` (set in the
  committing transaction, on this machine's clock) to the moment each subscriber received that version —
  p50/p99 over every delivery, and p50/p99 of the time until *every* subscriber had a change.

Changes are progress reports 100 ms apart (as a worker would send them) by a worker holding the execution's
lease. The subscribers run in ``--client-processes`` processes beside the server on the same 2-core machine, so
the figures include the clients' own CPU contention: ``--client lean`` (default; `lean_subscribers.py`: one
selectors loop on raw sockets per process, every frame read and JSON-parsed, every subscriber checked to get every
change in order) or ``--client websockets`` (asyncio + the `websockets` library, a task per subscriber: ~100 µs
of CPU per frame, which at 1,000 subscribers is more CPU per change than the 50 ms being measured).
``--rounds N`` with ``--compare-with TREE`` alternates old and new N times (old, new, old, new…).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from faas_bench import PG, Run

WATCH = "subscription($id: ID!) { executionUpdated(id: $id) { version status progress updatedAt } }"
WATCH_ALL = ("subscription($s: ID!) { executionsUpdated(filter: {serviceId: $s}) { id version status progress "
             "updatedAt } }")


def cpu_seconds(pid: int, which: str = "both") -> float:
    """The process's user + system CPU time so far (/proc/PID/stat), which load on the machine does not inflate
    (``which``: "user" or "system" for one of them)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    user, system = int(fields[11]), int(fields[12])
    return {"user": user, "system": system, "both": user + system}[which] / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def _subscriber(url: str, token: str, exe: str, ready: asyncio.Event, arrivals: dict, counter: list) -> None:
    """``exe``: an execution id (executionUpdated) or ``service:<id>`` (executionsUpdated of that service, until
    the message that says the bench is over: progress 100)."""
    from websockets.asyncio.client import connect

    if exe.startswith("service:"):
        query, variables = WATCH_ALL, {"s": exe.removeprefix("service:")}
    else:
        query, variables = WATCH, {"id": exe}

    from websockets.exceptions import WebSocketException

    for attempt in range(30):  # a loaded machine may miss a handshake or the 3 s connection_init deadline: again
        try:
            ws = await connect(url.replace("http", "ws", 1), subprotocols=["graphql-transport-ws"], max_queue=None,
                               ping_interval=None, open_timeout=60)
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
            if json.loads(await ws.recv()).get("type") == "connection_ack":
                break
        except (OSError, TimeoutError, WebSocketException):
            pass
        await asyncio.sleep(0.5 + attempt * 0.1)
    else:
        raise SystemExit("a subscriber could not connect 30 times")
    async with ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query,
                                                                              "variables": variables}}))
        counter[0] += 1
        if counter[0] == counter[1]:
            ready.set()
        async for raw in ws:
            message = json.loads(raw)
            if message.get("type") == "ping":
                await ws.send('{"type": "pong"}')
            elif message.get("type") == "next":
                [state] = message["payload"]["data"].values()
                arrivals.setdefault((state.get("id", exe), state["version"]), []).append(time.time())
                if query is WATCH_ALL and state["status"] == "SUCCESS":
                    return
            elif message.get("type") == "complete":
                return


def client_process(url: str, token: str, exe: str, n: int, ready, done, out) -> None:
    async def main() -> None:
        ready_event = asyncio.Event()
        arrivals: dict[int, list[float]] = {}
        counter = [0, n]
        tasks = []
        for start in range(0, n, 50):  # connect in waves: 50 handshakes at a time
            tasks += [asyncio.create_task(_subscriber(url, token, exe, ready_event, arrivals, counter))
                      for _ in range(start, min(n, start + 50))]
            await asyncio.sleep(0.05)
        await ready_event.wait()
        ready.set()
        await asyncio.gather(*tasks)
        out.put(arrivals)
        done.set()

    asyncio.run(main())


class Replica(Run):
    """A ``labelgraph serve`` of several on one database, their changes crossing a Redis stream."""

    broker_url = ""

    def env(self) -> dict[str, str]:
        return super().env() | {"LABELGRAPH_BROKER_URL": self.broker_url}


def run(database: str, subscribers: int, changes: int, procs: int, watch: str = "execution",
        tree: str | None = None, executions: int = 100, replicas: int = 1, client: str = "lean") -> dict:
    """One benchmark run; ``tree``: the repository whose ``server/`` the server runs (default: this one).
    ``replicas`` > 1: that many servers on one PostgreSQL database and a Redis broker; the client processes
    connect to them in turn and the changes are committed through the last one (RSS and CPU: summed)."""
    root = Path(tempfile.mkdtemp(prefix="lg-subs-"))
    dbname = f"lg_subs_bench_{os.getpid()}"  # (one per invocation: others may run this benchmark at once)
    url = f"sqlite:///{root}/labelgraph.db" if database == "sqlite" else PG.rsplit("/", 1)[0] + "/" + dbname
    if database != "sqlite":
        import subprocess

        subprocess.run(["psql", PG, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], check=True)
        subprocess.run(["psql", PG, "-qc", f"CREATE DATABASE {dbname}"], check=True)
    saved = os.environ.get("PYTHONPATH")
    if tree:
        os.environ["PYTHONPATH"] = str(Path(tree) / "server")
    stream = f"lgbench:subs:{os.getpid()}:{time.time_ns()}"
    servers: list[Run] = []
    try:
        for i in range(replicas):
            server = Replica(url, embedded=0, workers=0, root=root) if replicas > 1 else Run(url, 0, 0, root)
            server.broker_url = f"redis://127.0.0.1:6379/0?stream={stream}"
            if i:
                server.root = root / f"replica-{i}"
                server.root.mkdir()
                server.token = servers[0].token
                server.http.headers["Authorization"] = f"Bearer {server.token}"
            server.start()
            servers.append(server)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    first, server = servers[0], servers[-1]  # set up on the first; changes through the last
    pids = [s.procs[0].pid for s in servers]
    try:
        _, _, service = first.setup()
        count = executions if watch == "executions" else 1
        ids = [server.gql('mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "noop"}) '
                          '{ execution { id } } }', {"s": service})["executionCreate"]["execution"]["id"]
               for _ in range(count)]
        holder: dict[str, str] = {}  # execution → the worker holding it (a worker gets the service's concurrency)
        while len(holder) < count:
            worker = f"bench-{len(holder)}"
            claims = server.gql('mutation($s: ID!, $w: String!, $n: Int!) { executionsClaim(input: {workerId: $w, '
                                'serviceIds: [$s], max: $n, leaseSeconds: 3600}) { claims { execution { id } } } }',
                                {"s": service, "w": worker, "n": count})["executionsClaim"]["claims"]
            holder.update((c["execution"]["id"], worker) for c in claims)
        exe = ids[0] if watch == "execution" else f"service:{service}"
        time.sleep(1)
        before = sum(rss_kib(pid) for pid in pids)
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        shares = [subscribers // procs + (1 if i < subscribers % procs else 0) for i in range(procs)]
        events = [(ctx.Event(), ctx.Event()) for _ in shares]
        if client == "lean":
            from lean_subscribers import lean_client_process as target
        else:
            target = client_process
        workers = [ctx.Process(target=target, args=(servers[i % replicas].url, server.token, exe, n, r, d,
                                                            out))
                   for i, (n, (r, d)) in enumerate(zip(shares, events, strict=True))]
        half = None  # the RSS once the first client process's subscribers are connected (the others' not yet)
        for i, w in enumerate(workers):
            w.start()
            if i == 0 and len(workers) > 1:
                if not events[0][0].wait(600):
                    raise SystemExit("subscribers did not connect within 600 s")
                time.sleep(2)
                half = sum(rss_kib(pid) for pid in pids)
        for r, _ in events:
            if not r.wait(600):
                raise SystemExit("subscribers did not connect within 600 s")
        cpu_idle = sum(cpu_seconds(pid) for pid in pids)
        time.sleep(3)  # idle
        after = sum(rss_kib(pid) for pid in pids)
        idle_cpu_per_s = (sum(cpu_seconds(pid) for pid in pids) - cpu_idle) / 3
        updated: dict[tuple[str, int], float] = {}
        cpu_before, wall_before = sum(cpu_seconds(pid) for pid in pids), time.monotonic()
        system_before = sum(cpu_seconds(pid, "system") for pid in pids)
        clients_before = sum(cpu_seconds(w.pid) for w in workers)
        for i in range(changes):
            id_ = ids[i % len(ids)]
            data = server.gql("""mutation($id: ID!, $w: String!, $p: Int!) { executionProgress(input: {id: $id,
                workerId: $w, percentComplete: $p}) { execution { version updatedAt } errors { message } } }""",
                              {"id": id_, "w": holder[id_], "p": i % 100})["executionProgress"]["execution"]
            key = (id_ if watch == "executions" else exe, data["version"])
            updated[key] = datetime.fromisoformat(data["updatedAt"].replace("Z", "+00:00")).timestamp()
            time.sleep(0.1)
        time.sleep(1)  # the last change's frames go out
        cpu_changes = (sum(cpu_seconds(pid) for pid in pids) - cpu_before
                       - (time.monotonic() - wall_before) * idle_cpu_per_s)
        system_changes = sum(cpu_seconds(pid, "system") for pid in pids) - system_before
        clients_cpu = sum(cpu_seconds(w.pid) for w in workers) - clients_before
        server.gql('mutation($id: ID!, $w: String!) { executionComplete(input: {id: $id, workerId: $w}) '
                   '{ errors { message } } }', {"id": ids[0], "w": holder[ids[0]]})
        merged: dict[tuple[str, int], list[float]] = {}
        meta: dict = {"out_of_order": 0, "errors": []}
        for _ in workers:
            for version, times in out.get(timeout=120).items():
                if version == ("meta", 0):  # the lean client's own checks
                    meta["out_of_order"] += times["out_of_order"]
                    meta["errors"] += times["errors"]
                    continue
                merged.setdefault(version, []).extend(times)
        for w in workers:
            w.join(30)
    finally:
        for s in servers:
            s.stop()
        if replicas > 1:
            import subprocess

            subprocess.run(["redis-cli", "-h", "127.0.0.1", "DEL", stream], capture_output=True)
        if database != "sqlite":
            import subprocess

            subprocess.run(["psql", PG, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"], capture_output=True)
    deliveries = [(t - updated[v]) * 1000 for v, ts in merged.items() if v in updated for t in ts]
    everyone = [(max(ts) - updated[v]) * 1000 for v, ts in merged.items() if v in updated]
    complete = all(len(merged.get(v, ())) == subscribers for v in updated)

    def pct(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]

    return {
        "tree": tree or "this", "watch": watch, "database": database, "replicas": replicas,
        "subscribers": subscribers, "client": client,
        "changes": changes, "every_change_to_everyone": complete,
        "out_of_order": meta["out_of_order"] if client == "lean" else None, "client_errors": meta["errors"],
        "rss_before_mib": round(before / 1024, 1), "rss_idle_mib": round(after / 1024, 1),
        "kib_per_idle_subscription": round((after - before) / subscribers, 1),
        # the same over the subscribers of the client processes after the first (one-time costs left out)
        "kib_per_idle_subscription_marginal": (round((after - half) / (subscribers - shares[0]), 1)
                                               if half is not None else None),
        # the server's CPU per change (its mutation included; idle CPU subtracted) and per change and subscriber
        "server_cpu_ms_per_change": round(cpu_changes / changes * 1000, 2),
        "server_cpu_us_per_change_per_subscriber": round(cpu_changes / changes / subscribers * 1e6, 1),
        "server_system_cpu_share": round(system_changes / cpu_changes, 2) if cpu_changes > 0 else None,
        "idle_server_cpu_ms_per_s": round(idle_cpu_per_s * 1000, 1),
        # the client processes' CPU while the changes went out, per frame they had to read (not idle-corrected)
        "client_cpu_ms_per_change": round(clients_cpu / changes * 1000, 2),
        "client_cpu_us_per_frame": round(clients_cpu / changes / subscribers * 1e6, 1),
        "load_average": os.getloadavg()[0],
        "delivery_p50_ms": round(pct(deliveries, 50), 1), "delivery_p99_ms": round(pct(deliveries, 99), 1),
        "all_received_p50_ms": round(pct(everyone, 50), 1), "all_received_p99_ms": round(pct(everyone, 99), 1),
        # per change, in order: commit → the first and → the last subscriber had it (ms)
        "per_change_first_last_ms": [(round((min(merged[v]) - updated[v]) * 1000, 1),
                                      round((max(merged[v]) - updated[v]) * 1000, 1))
                                     for v in sorted(updated, key=updated.get) if merged.get(v)],
    }



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--client-processes", type=int, default=2, help="(the second's subscribers give the "
                        "marginal memory per subscription)")
    parser.add_argument("--client", choices=["lean", "websockets"], default="lean",
                        help="the subscribers: lean_subscribers.py (one selectors loop, raw sockets) or websockets")
    parser.add_argument("--rounds", type=int, default=1, help="with --compare-with: old, new, old, new… this many "
                        "times")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--watch", choices=["execution", "executions"], default="execution",
                        help="executionUpdated of one execution, or executionsUpdated of a service's 100 executions")
    parser.add_argument("--replicas", type=int, default=1, help="servers on one PostgreSQL database and Redis "
                        "(the clients connect to them in turn; changes go through the last)")
    parser.add_argument("--compare-with", metavar="TREE", help="run the same benchmark first on the server/ of "
                        "another checkout (e.g. `git worktree add /tmp/old main`): before/after in one run")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    if args.replicas > 1 and args.database != "postgresql":
        parser.error("--replicas needs --database postgresql")
    procs = args.client_processes
    trees = (([args.compare_with] if args.compare_with else []) + [None]) * args.rounds
    results = []
    for tree in trees:
        results.append(run(args.database, args.subscribers, args.changes, procs, args.watch, tree,
                           replicas=args.replicas, client=args.client))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)  # (each run as it ends)
    json.dump(results if len(results) > 1 else results[0], sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
