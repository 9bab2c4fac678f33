"""download_items against the floor's loop, in one process and one run (issue 14.9, download part).

One ``labelgraph serve`` and one Starlette ``FileResponse`` app on the same files; ``--files`` JPEGs uploaded once;
then each round runs, in turn: the floor's loop (8 threads of httpx, each file streamed to disk), ``download_items``
(threads), ``download_items_async`` and, with ``--old PATH``, the ``download_items`` of another files.py (e.g. main's)
— wall time, and CPU ms per file of this process (the client) and of the server.

    PYTHONPATH=server:clients/python .venv/bin/python bench/download_ab.py --files 2000 --rounds 5 \
        --old /work/main/clients/python/labelgraph_client/files.py
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from files_bench import FLOOR_APP, cpu_seconds, floor_get_all, free_port, make_jpegs, wait_up  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--kb", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--old", help="another files.py whose download_items runs too")
    parser.add_argument("--profile", metavar="FILE", help="also profile one download_items of the client, every "
                        "download run inline on the main thread (cProfile stats written to FILE)")
    args = parser.parse_args()

    from labelgraph_client import Client as AsyncClient
    from labelgraph_client import SyncClient
    from labelgraph_client import files as new

    old = None
    if args.old:
        spec = importlib.util.spec_from_file_location("labelgraph_client._old_files", args.old)
        old = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = old
        spec.loader.exec_module(old)

    root = Path(tempfile.mkdtemp(prefix="lg-download-ab-"))
    procs: list[subprocess.Popen] = []
    try:
        make_jpegs(root / "src", args.files, args.kb * 1024)
        token = "lg_" + secrets.token_urlsafe(32)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        env.update(LABELGRAPH_ADMIN_TOKEN=token, LABELGRAPH_LOG_LEVEL="warning", LABELGRAPH_EMBEDDED_WORKERS="0")
        log = root / "serve.log"
        procs.append(subprocess.Popen([sys.executable, "-m", "labelgraph.cli", "serve", "--port", str(port),
                                       "--data-dir", str(root / "data")], env=env, stdout=log.open("w"),
                                      stderr=subprocess.STDOUT))
        server = procs[-1].pid
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/healthz", procs[-1], log)
        (root / "floor" / "up").mkdir(parents=True)
        (root / "floor_app.py").write_text(FLOOR_APP)
        floor_port = free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-c", f"import sys; sys.argv=['x', {str(root / 'floor')!r}]; sys.path.insert(0, "
             f"{str(root)!r}); import uvicorn, floor_app; uvicorn.run(floor_app.app, host='127.0.0.1', "
             f"port={floor_port}, log_level='warning')"], stdout=(root / "floor.log").open("w"),
            stderr=subprocess.STDOUT))
        floor, floor_pid = f"http://127.0.0.1:{floor_port}", procs[-1].pid
        wait_up(floor + "/files/none", procs[-1], root / "floor.log")
        shutil.copytree(root / "src", root / "floor" / "files")
        names = sorted(p.name for p in (root / "src").iterdir())

        with SyncClient(base + "/graphql", token, timeout=120) as client:
            org = client.create_organization(name="Bench").organization
            project = client.create_project(organization_id=org.id, name="Files").project
            ds = client.create_dataset(project_id=project.id, name="jpegs").dataset.id
            assert client.upload_files(ds, root / "src", progress=False).ok

            def floor_loop() -> None:
                out = root / "out"
                out.mkdir()
                floor_get_all(floor, names, out, args.concurrency)

            def check(report) -> None:
                assert report.ok and len(report.downloaded) == args.files, report.failed

            def lg_new() -> None:
                check(new.download_items(client, ds, root / "out", concurrency=args.concurrency, progress=False))

            def lg_old() -> None:
                check(old.download_items(client, ds, root / "out", concurrency=args.concurrency, progress=False))

            def lg_async() -> None:
                async def go():
                    async with AsyncClient(base + "/graphql", token, timeout=120) as aclient:
                        return await new.download_items_async(aclient, ds, root / "out",
                                                              concurrency=args.concurrency, progress=False)
                check(asyncio.run(go()))

            variants = {"floor": (floor_loop, floor_pid), "new (threads)": (lg_new, server),
                        "new (async)": (lg_async, server)}
            if old is not None:
                variants["old"] = (lg_old, server)
            res: dict[str, list[tuple[float, float, float]]] = {k: [] for k in variants}
            for round_ in range(args.rounds):
                for name, (fn, pid) in variants.items():
                    shutil.rmtree(root / "out", ignore_errors=True)
                    s_cpu, c_cpu, t = cpu_seconds(pid), time.process_time(), time.perf_counter()
                    fn()
                    t = time.perf_counter() - t
                    res[name].append((t, (time.process_time() - c_cpu) * 1000 / args.files,
                                      (cpu_seconds(pid) - s_cpu) * 1000 / args.files))
                print(f"round {round_ + 1} (load {os.getloadavg()[0]:.1f}): " + ", ".join(
                    f"{k} {args.files / v[-1][0]:.0f}/s" for k, v in res.items()), file=sys.stderr)
            if args.profile:
                profile_inline(new, client, ds, root / "out", args.profile)
            print(f"\n| {args.files} × ~{args.kb} KB, c={args.concurrency}, {args.rounds} rounds | files/s (median) | "
                  "ratio to the floor, per round | client CPU ms/file | server CPU ms/file |\n|---|---|---|---|---|")
            for name, rows in res.items():
                ratios = [f[0] / r[0] for f, r in zip(res["floor"], rows, strict=True)]
                print(f"| {name} | {args.files / statistics.median(r[0] for r in rows):.0f} | "
                      f"{' / '.join(f'{x:.2f}' for x in ratios)} (median **{statistics.median(ratios):.2f}×**) | "
                      f"{statistics.median(r[1] for r in rows):.2f} | {statistics.median(r[2] for r in rows):.2f} |")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(root, ignore_errors=True)


class _Inline:
    """A ThreadPoolExecutor stand-in running each call at once on the calling thread (so cProfile sees it)."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass

    def submit(self, fn, *args, **kwargs):
        from concurrent.futures import Future

        f = Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001
            f.set_exception(exc)
        return f

    def shutdown(self, wait: bool = True) -> None:
        pass


def profile_inline(module, client, ds: str, out: Path, stats: str) -> None:
    import cProfile
    import pstats

    shutil.rmtree(out, ignore_errors=True)
    real = module.ThreadPoolExecutor
    module.ThreadPoolExecutor = _Inline
    try:
        prof = cProfile.Profile()
        prof.runcall(module.download_items, client, ds, out, progress=False)
    finally:
        module.ThreadPoolExecutor = real
    prof.dump_stats(stats)
    pstats.Stats(stats).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
