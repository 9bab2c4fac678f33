"""Where the memory of idle subscriptions goes: one in-process server (uvicorn in a thread, the options of
`labelgraph serve`), N idle `executionUpdated` subscribers (one WebSocket each, in client processes), and a
tracemalloc snapshot diff (Python allocations by line) plus the RSS growth per subscription.

    .venv/bin/python bench/subscriptions_memory.py --subscribers 1000 [--top 25] [--no-tracemalloc]

tracemalloc sees Python's allocations only (not zlib's deflate state, for instance): the RSS figure is the whole.
Run with --no-tracemalloc for an RSS figure without tracemalloc's own overhead.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from faas_bench import Run  # noqa: E402
from lean_subscribers import lean_client_process  # noqa: E402
from subscriptions_bench import client_process, rss_kib  # noqa: E402


def _trace(marks: dict) -> None:
    """Timestamps a change at the feed: when its event reached the subscription's source (``execution_of_event``)
    and when the feed started and ended writing its frame to the members (``Feed._send``)."""
    import orjson

    from labelgraph.events import fanout
    from labelgraph.faas import subscriptions

    of_event = subscriptions.execution_of_event

    def execution_of_event(payload: dict):
        marks.setdefault(payload.get("version"), {}).setdefault("event", time.time())
        return of_event(payload)

    subscriptions.execution_of_event = execution_of_event
    send = fanout.Feed._send

    def _send(self, item):
        started, usage = time.time(), resource.getrusage(resource.RUSAGE_THREAD)
        send(self, item)
        done = resource.getrusage(resource.RUSAGE_THREAD)
        cpu, system = (done.ru_utime + done.ru_stime - usage.ru_utime - usage.ru_stime,
                       done.ru_stime - usage.ru_stime)
        if item[0] == "next":
            [state] = orjson.loads(item[1])["data"].values()
            mark = marks.setdefault(state.get("version"), {})
            mark.setdefault("written_from", started)
            mark["written"] = time.time()
            mark["write_cpu"] = mark.get("write_cpu", 0.0) + cpu
            mark["write_system"] = mark.get("write_system", 0.0) + system
            mark["members"] = len(self.members)

    fanout.Feed._send = _send


def _lag_monitor(loops: list) -> None:
    """Remembers the server's event loop (the first feed joined on it), for ``--idle-lag``."""
    import asyncio

    from labelgraph.events import fanout

    join = fanout.Feeds.join

    def joined(self, *args, **kwargs):
        if not loops:
            loops.append(asyncio.get_running_loop())
        return join(self, *args, **kwargs)

    fanout.Feeds.join = joined


async def _lags(seconds: float, tick: float = 0.005) -> list[float]:
    """How late the server's loop ran a ``tick``-second sleep, over ``seconds``: what a frame due then waited."""
    import asyncio

    loop = asyncio.get_running_loop()
    lags: list[float] = []
    end = loop.time() + seconds
    while loop.time() < end:
        due = loop.time() + tick
        await asyncio.sleep(tick)
        lags.append(loop.time() - due)
    return lags


def _trace_report(marks: dict, arrivals: dict, n: int) -> None:
    import statistics

    stages = [("commit", "event"), ("event", "written_from"), ("written_from", "written"), ("written", "last"),
              ("commit", "first"), ("commit", "last")]
    rows = []
    for version, mark in marks.items():
        times = sorted(arrivals.get(version, ()))
        if "commit" not in mark or len(times) < n:
            continue
        mark = dict(mark, first=times[0], last=times[-1], p99=times[int(len(times) * 0.99) - 1])
        rows.append(mark)
    print(f"trace over {len(rows)} changes (ms, median / max over changes):")
    for a, b in stages:
        values = [(r[b] - r[a]) * 1000 for r in rows if a in r and b in r]
        if values:
            print(f"  {a:>12} → {b:<12} {statistics.median(values):7.1f} / {max(values):7.1f}")
    cpu = [r["write_cpu"] / r["members"] * 1e6 for r in rows if r.get("members")]
    if cpu:  # the server thread's CPU (user + system) in the write loop, per subscriber
        system = sum(r["write_system"] for r in rows) / sum(r["write_cpu"] for r in rows)
        print(f"  write loop CPU per subscriber (µs, the server thread's user + system): median "
              f"{statistics.median(cpu):.2f}, min {min(cpu):.2f}, max {max(cpu):.2f}; system share {system:.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument("--gc-stats", action="store_true", help="count the cycle collector's runs per generation "
                        "and their time while the subscriptions are idle")
    parser.add_argument("--changes", type=int, default=0, help="then this many changes 100 ms apart (--gc-stats: "
                        "the collector's runs while they are sent)")
    parser.add_argument("--trace", action="store_true", help="with --changes: where the time from a change's commit "
                        "to its receipt goes (commit → the feed has the event → the feed starts writing → it has "
                        "written to every subscriber → the last subscriber has it)")
    parser.add_argument("--idle-lag", type=float, default=0, metavar="SECONDS", help="then, idle, how late the "
                        "server's loop runs a 5 ms timer over SECONDS (keep-alive, ping and re-check rounds included)")
    parser.add_argument("--no-freeze", action="store_true", help="without `labelgraph serve`'s freeze_gc")
    parser.add_argument("--client", choices=["lean", "websockets"], default="lean",
                        help="the subscribers (see subscriptions_bench.py)")
    parser.add_argument("--group", default="lineno", choices=["lineno", "filename"], help="tracemalloc's grouping")
    parser.add_argument("--ws", default="edge", choices=["edge", "websockets-sansio", "websockets", "wsproto"],
                        help="uvicorn's WebSocket protocol: labelgraph's (edge.py, what `labelgraph serve` runs) "
                             "or one of uvicorn's own")
    args = parser.parse_args()

    import os

    import uvicorn

    from labelgraph.app import create_app
    from labelgraph.cli import uvicorn_options
    from labelgraph.settings import Settings

    root = Path(tempfile.mkdtemp(prefix="lg-subs-mem-"))
    run = Run(f"sqlite:///{root}/labelgraph.db", embedded=0, workers=0, root=root)
    settings = Settings.from_env({"LABELGRAPH_ADMIN_TOKEN": run.token, "LABELGRAPH_RATE_LIMIT": "0",
                                  "LABELGRAPH_EMBEDDED_WORKERS": "0", "LABELGRAPH_LOG_LEVEL": "warning",
                                  "LABELGRAPH_DATA_DIR": str(root / "data"),
                                  "LABELGRAPH_DATABASE_URL": run.database_url,
                                  "LABELGRAPH_PORT": str(run.port), "LABELGRAPH_HOST": "127.0.0.1"})
    if not args.no_freeze:  # as `labelgraph serve` does (cli.py): imports frozen, the app's freeze_gc on
        import gc

        gc.collect()
        gc.freeze()
        settings = settings.with_(freeze_gc=True)
    if not args.no_tracemalloc:
        tracemalloc.start(1)
    options = uvicorn_options(settings)
    if args.ws != "edge":
        options["ws"] = args.ws
    marks: dict[int, dict[str, float]] = {}  # version → when it reached each stage (--trace)
    if args.trace:
        _trace(marks)
    loops: list = []
    if args.idle_lag:
        _lag_monitor(loops)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        _, _, service = run.setup()
        exe = run.gql('mutation($s: ID!) { executionCreate(input: {serviceId: $s, functionName: "noop"}) '
                      '{ execution { id } } }', {"s": service})["executionCreate"]["execution"]["id"]
        worker = "bench-0"
        run.gql('mutation($s: ID!, $w: String!) { executionsClaim(input: {workerId: $w, serviceIds: [$s], max: 1, '
                'leaseSeconds: 3600}) { claims { execution { id } } } }', {"s": service, "w": worker})
        time.sleep(1)
        before_rss = rss_kib(os.getpid())
        before = tracemalloc.take_snapshot() if tracemalloc.is_tracing() else None
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        n, procs = args.subscribers, args.client_processes
        shares = [n // procs + (1 if i < n % procs else 0) for i in range(procs)]
        events = [(ctx.Event(), ctx.Event()) for _ in shares]
        target = lean_client_process if args.client == "lean" else client_process
        clients = [ctx.Process(target=target, args=(run.url, run.token, exe, k, r, d, out))
                   for k, (r, d) in zip(shares, events, strict=True)]
        import gc

        runs: dict[int, list[float]] = {0: [], 1: [], 2: []}
        started: list[float] = []

        def watch_gc(phase: str, info: dict) -> None:  # CPU time of each collection (it holds the GIL: a stall)
            if phase == "start":
                started[:] = [time.process_time()]
            elif started:
                runs[info["generation"]].append(time.process_time() - started[0])

        def report(what: str) -> None:
            print(f"cycle collector {what}: " + ", ".join(
                f"gen{g}: {len(t)} runs, {sum(t) * 1000:.0f} ms (longest {max(t, default=0) * 1000:.0f})"
                for g, t in runs.items()) + f"; objects tracked: {len(gc.get_objects()):,}, "
                f"frozen: {gc.get_freeze_count():,}", flush=True)
            for t in runs.values():
                t.clear()

        if args.gc_stats:
            gc.callbacks.append(watch_gc)
        for c in clients:
            c.start()
        for r, _ in events:
            if not r.wait(300):
                raise SystemExit("subscribers did not connect within 300 s")
        if args.gc_stats:
            report(f"while {n} subscribers connected")
        idle = 10 if args.gc_stats else 3
        time.sleep(idle)
        if args.gc_stats:
            report(f"over {idle} s idle")
            collector = server.config.app.state.labelgraph.get("collector") if hasattr(
                server.config.app, "state") else None
            if collector is not None:
                print(f"labelgraph collector: {collector.stats}", flush=True)
        after_rss = rss_kib(os.getpid())
        if args.idle_lag:
            import asyncio
            import statistics

            lags = sorted(asyncio.run_coroutine_threadsafe(_lags(args.idle_lag), loops[0]).result())
            lags = [lag * 1000 for lag in lags]
            print(f"server loop lag over {args.idle_lag:.0f} s idle ({len(lags)} ticks of 5 ms): median "
                  f"{statistics.median(lags):.2f} ms, p99.9 {lags[int(len(lags) * 0.999)]:.1f} ms, max {lags[-1]:.1f} "
                  f"ms; ticks late by > 10 ms: {sum(lag > 10 for lag in lags)}, "
                  f"> 20 ms: {sum(lag > 20 for lag in lags)}",
                  flush=True)
        from datetime import datetime

        for i in range(args.changes):  # progress reports 100 ms apart, each fanned out to every subscriber
            data = run.gql('mutation($id: ID!, $w: String!, $p: Int!) { executionProgress(input: {id: $id, '
                           'workerId: $w, percentComplete: $p}) { execution { version updatedAt } } }',
                           {"id": exe, "w": worker, "p": i % 100})["executionProgress"]["execution"]
            marks.setdefault(data["version"], {})["commit"] = datetime.fromisoformat(
                data["updatedAt"].replace("Z", "+00:00")).timestamp()
            time.sleep(0.1)
        if args.gc_stats and args.changes:
            time.sleep(1)
            report(f"over {args.changes} changes")
        print(f"ws={args.ws} RSS: {before_rss / 1024:.1f} MiB → {after_rss / 1024:.1f} MiB: "
              f"{(after_rss - before_rss) / n:.1f} KiB per idle subscription ({n})")
        if before is not None:
            after = tracemalloc.take_snapshot()
            diff = after.compare_to(before, args.group)
            total = sum(d.size_diff for d in diff)
            print(f"tracemalloc: {total / 1024 / n:.1f} KiB per idle subscription in Python allocations; top lines:")
            for d in diff[:args.top]:
                frame = d.traceback[0]
                print(f"  {d.size_diff / n:8.0f} B/sub {d.count_diff / n:6.1f} blocks/sub  "
                      f"{frame.filename.split('site-packages/')[-1].split('/server/')[-1]}:{frame.lineno}")
        run.gql('mutation($id: ID!, $w: String!) { executionComplete(input: {id: $id, workerId: $w}) '
                '{ errors { message } } }', {"id": exe, "w": worker})
        arrivals: dict = {}
        for _ in clients:
            for key, times in out.get(timeout=120).items():
                if key != ("meta", 0):
                    arrivals.setdefault(key[1], []).extend(times)
        if args.trace:
            _trace_report(marks, arrivals, n)
        for c in clients:
            c.join(30)
    finally:
        server.should_exit = True
        thread.join(30)
        run.http.close()


if __name__ == "__main__":
    main()
