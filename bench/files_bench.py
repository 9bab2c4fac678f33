"""Item content throughput (issue 14.9): the client against a live ``labelgraph serve``, and a floor on the same
machine in the same run.

* upload: N JPEGs of ~150 KB through ``SyncClient.upload_files`` (direct uploads, concurrency 8) vs a minimal
  Starlette endpoint that streams the same multipart bodies to disk (8 threads of httpx posting them);
* download: the same files through ``download_items`` (each item's signed ``url``) vs Starlette's ``FileResponse``;
* one large file up and down with the server's RSS sampled every 50 ms (growth = max − before) and its true peak
  (VmHWM growth), against the same file through the floor (one streamed POST; ``FileResponse``).

    .venv/bin/python bench/files_bench.py                      # 2,000 files, a 512 MiB large file
    .venv/bin/python bench/files_bench.py --files 500 --large-mib 2048
    .venv/bin/python bench/files_bench.py --rounds 3 --large-mib 0 # medians of 3 rounds (floor and labelgraph
                                                                   # alternate; each round a fresh dataset)
    .venv/bin/python bench/files_bench.py --s3                     # storage on a moto S3 server on loopback
    .venv/bin/python bench/files_bench.py --profile /tmp/serve.prof  # the server under cProfile

Prints a Markdown table (bench/README.md, "Item content").
"""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

FLOOR_APP = '''
import os, sys
from starlette.applications import Starlette
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

ROOT = sys.argv[1]
counter = iter(range(10**9))

async def upload(request):
    path = os.path.join(ROOT, "up", str(next(counter)))
    with open(path, "wb") as f:
        async for chunk in request.stream():
            f.write(chunk)
    return JSONResponse({"ok": True})

async def download(request):
    return FileResponse(os.path.join(ROOT, "files", request.path_params["name"]))

app = Starlette(routes=[Route("/upload", upload, methods=["POST"]), Route("/files/{name}", download)])
'''


def floor_get_all(floor: str, names: list[str], out: Path, concurrency: int) -> None:
    """The download floor: every file GET from the minimal Starlette endpoint (``FileResponse``) and streamed to
    ``out``, ``concurrency`` at a time."""
    with httpx.Client(timeout=120) as http, ThreadPoolExecutor(concurrency) as pool:
        def get(name: str) -> None:
            with http.stream("GET", f"{floor}/files/{name}") as r, open(out / name, "wb") as f:
                r.raise_for_status()
                for chunk in r.iter_bytes(1 << 20):
                    f.write(chunk)
        list(pool.map(get, names))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{url}: exited\n{log.read_text()}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    sys.exit(f"{url} did not start\n{log.read_text()}")


def make_jpegs(folder: Path, count: int, target: int) -> int:
    """``count`` distinct JPEGs of about ``target`` bytes (a few noise images, each copy with unique trailing
    bytes after the end marker, which decoders ignore); returns the total size."""
    from PIL import Image

    folder.mkdir(parents=True)
    rng = random.Random(1)
    bases = []
    for _ in range(8):
        side = 260
        for _attempt in range(6):
            img = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=85)
            if len(buf.getvalue()) >= target * 0.9:
                break
            side = int(side * (target / len(buf.getvalue())) ** 0.5) + 8
        bases.append(buf.getvalue())
    total = 0
    for i in range(count):
        body = bases[i % len(bases)] + secrets.token_bytes(32)
        (folder / f"img-{i:05d}.jpg").write_bytes(body)
        total += len(body)
    return total


class RSS:
    """Samples a process's resident set size every 50 ms; also its true peak (``VmHWM``, reset on entry through
    ``/proc/<pid>/clear_refs`` where allowed), which a 50 ms sampler could miss."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.before = self.read()
        self.hwm: int | None = None

    def read(self, field: str = "VmRSS") -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        return 0

    def __enter__(self) -> RSS:
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")  # VmHWM := the current RSS
            self.hwm = 0
        except OSError:
            self.hwm = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()
        return self

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.peak = max(self.peak, self.read())

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        if self.hwm is not None:
            self.hwm = self.read("VmHWM")

    @property
    def growth_mib(self) -> float:
        return max(0, self.peak - self.before) / 2**20

    @property
    def hwm_text(self) -> str:
        return f"{max(0, self.hwm - self.before) / 2**20:.1f} MiB" if self.hwm is not None else "n/a"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CPU: dict[str, list[float]] = {}  # phase -> CPU seconds of [the server, this process (the client)]


def timed(fn, phase: str = "", server: int | None = None) -> float:
    cpu = (cpu_seconds(server) if server else 0.0, time.process_time())
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    if phase:
        CPU[phase] = [(cpu_seconds(server) if server else 0.0) - cpu[0], time.process_time() - cpu[1]]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--kb", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--large-mib", type=int, default=512, help="the large file (0: skip)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of upload and download (medians)")
    parser.add_argument("--s3", action="store_true", help="storage on a moto S3 server (moto[server]) on loopback")
    parser.add_argument("--profile", metavar="FILE", help="run the server under cProfile, stats written to FILE")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    from labelgraph_client import SyncClient

    root = Path(tempfile.mkdtemp(prefix="lg-files-bench-"))
    procs: list[subprocess.Popen] = []
    try:
        total = make_jpegs(root / "src", args.files, args.kb * 1024)
        mb = total / 1e6
        print(f"{args.files} JPEGs, {mb:.1f} MB (mean {total / args.files / 1024:.0f} KiB)", file=sys.stderr)

        token = "lg_" + secrets.token_urlsafe(32)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        env.update(LABELGRAPH_ADMIN_TOKEN=token, LABELGRAPH_LOG_LEVEL="warning", LABELGRAPH_EMBEDDED_WORKERS="0")
        if args.s3:
            moto_port = free_port()
            moto_log = root / "moto.log"
            procs.append(subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                                           str(moto_port)], stdout=moto_log.open("w"), stderr=subprocess.STDOUT))
            endpoint = f"http://127.0.0.1:{moto_port}"
            wait_up(endpoint, procs[-1], moto_log)
            import boto3

            boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                         aws_secret_access_key="bench").create_bucket(Bucket="bench")
            env.update(LABELGRAPH_STORAGE_URL="s3://bench/files", LABELGRAPH_S3_ENDPOINT=endpoint,
                       LABELGRAPH_S3_REGION="us-east-1", LABELGRAPH_S3_ACCESS_KEY_ID="bench",
                       LABELGRAPH_S3_SECRET_ACCESS_KEY="bench")
        log = root / "serve.log"
        profile = ["-m", "cProfile", "-o", str(Path(args.profile).absolute())] if args.profile else []
        procs.append(subprocess.Popen(
            [sys.executable, *profile, "-m", "labelgraph.cli", "serve", "--port", str(port), "--data-dir",
             str(root / "data")], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT))
        server = procs[-1]
        base = f"http://127.0.0.1:{port}"
        wait_up(base + "/healthz", server, log)

        (root / "floor" / "up").mkdir(parents=True)
        (root / "floor_app.py").write_text(FLOOR_APP)
        floor_port = free_port()
        floor_log = root / "floor.log"
        procs.append(subprocess.Popen(
            [sys.executable, "-c", f"import sys; sys.argv=['x', {str(root / 'floor')!r}]; sys.path.insert(0, "
             f"{str(root)!r}); import uvicorn, floor_app; uvicorn.run(floor_app.app, host='127.0.0.1', "
             f"port={floor_port}, log_level='warning')"], stdout=floor_log.open("w"), stderr=subprocess.STDOUT))
        floor = f"http://127.0.0.1:{floor_port}"
        floor_pid = procs[-1].pid
        wait_up(floor + "/files/none", procs[-1], floor_log)
        shutil.copytree(root / "src", root / "floor" / "files")
        names = sorted(p.name for p in (root / "src").iterdir())

        rows = []
        with SyncClient(base + "/graphql", token, timeout=120) as client:
            org = client.create_organization(name="Bench").organization
            project = client.create_project(organization_id=org.id, name="Files").project

            def floor_upload() -> None:
                with httpx.Client(timeout=120) as http, ThreadPoolExecutor(args.concurrency) as pool:
                    def post(name: str) -> None:
                        with open(root / "src" / name, "rb") as f:
                            http.post(floor + "/upload", files={"0": (name, f, "image/jpeg")}).raise_for_status()
                    list(pool.map(post, names))

            def floor_download() -> None:
                out = root / "floor-out"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                floor_get_all(floor, names, out, args.concurrency)

            times: dict[str, list[float]] = {"floor_up": [], "up": [], "floor_down": [], "down": []}
            for round_ in range(args.rounds):
                ds = client.create_dataset(project_id=project.id, name=f"jpegs-{round_}").dataset.id
                shutil.rmtree(root / "floor" / "up")
                (root / "floor" / "up").mkdir()
                times["floor_up"].append(timed(floor_upload, "floor upload", floor_pid))
                report = None

                def lg_upload(ds: str = ds) -> None:
                    nonlocal report
                    report = client.upload_files(ds, root / "src", concurrency=args.concurrency, progress=False)

                times["up"].append(timed(lg_upload, "upload", server.pid))
                assert report is not None and report.ok and len(report.uploaded) == args.files, \
                    report and report.failed
                times["floor_down"].append(timed(floor_download, "floor download", floor_pid))
                down = None

                def lg_download(ds: str = ds) -> None:
                    nonlocal down
                    shutil.rmtree(root / "out", ignore_errors=True)
                    down = client.download_items(ds, root / "out", concurrency=args.concurrency, progress=False)

                times["down"].append(timed(lg_download, "download", server.pid))
                from labelgraph_client.pagination import iter_nodes

                listing = timed(lambda ds=ds: sum(1 for _ in iter_nodes(client.list_item_contents, page_size=100,
                                                                          dataset_id=ds)))
                from labelgraph_client import files as client_files

                lean = getattr(client_files, "_download_listing", None)  # the listing download_items runs (content3)
                lean_s = timed(lambda ds=ds, lean=lean: sum(1 for _ in lean(client, ds, None))) if lean else None
                assert down is not None and down.ok and len(down.downloaded) == args.files
                print(f"round {round_ + 1}: upload {times['floor_up'][-1] / times['up'][-1]:.2f}x "
                      f"({args.files / times['up'][-1]:.1f} vs {args.files / times['floor_up'][-1]:.1f} files/s), "
                      f"download {times['floor_down'][-1] / times['down'][-1]:.2f}x "
                      f"({args.files / times['down'][-1]:.1f} vs {args.files / times['floor_down'][-1]:.1f} "
                      "files/s)", file=sys.stderr)
                print(f"  listing the items alone (pages of 100 with URLs): {listing:.2f} s"
                      + (f"; download_items' own listing (pages of 500, the fields it needs): {lean_s:.2f} s"
                         if lean_s is not None else ""), file=sys.stderr)
                print("  CPU ms per file (server, client): " + ", ".join(
                    f"{k} {v[0] * 1000 / args.files:.2f}, {v[1] * 1000 / args.files:.2f}" for k, v in CPU.items()),
                    file=sys.stderr)
            med = {k: statistics.median(v) for k, v in times.items()}
            ratios_up = [f / t for f, t in zip(times["floor_up"], times["up"], strict=True)]
            ratios_down = [f / t for f, t in zip(times["floor_down"], times["down"], strict=True)]
            rows.append(("upload", args.files / med["up"], mb / med["up"], args.files / med["floor_up"],
                         mb / med["floor_up"], statistics.median(ratios_up), ratios_up))
            rows.append(("download", args.files / med["down"], mb / med["down"], args.files / med["floor_down"],
                         mb / med["floor_down"], statistics.median(ratios_down), ratios_down))

            print(f"\n| {args.files} × ~{args.kb} KB, concurrency {args.concurrency} | labelgraph files/s | MB/s "
                  "| floor files/s | MB/s | ratio (median) | rounds |\n|---|---|---|---|---|---|---|")
            for name, fs, mbs, ffs, fmbs, ratio, each in rows:
                print(f"| {name} | {fs:.1f} | {mbs:.1f} | {ffs:.1f} | {fmbs:.1f} | **{ratio:.2f}×** | "
                      f"{' / '.join(f'{r:.2f}' for r in each)} |")

            # --- one large file, after the same file through the floor (one POST streamed to disk; FileResponse)
            if args.large_mib:
                big = root / "big" / "big.bin"
                big.parent.mkdir()
                with big.open("wb") as f:
                    for _ in range(args.large_mib):
                        f.write(os.urandom(1 << 20))
                shutil.rmtree(root / "floor" / "up", ignore_errors=True)
                (root / "floor" / "up").mkdir()
                os.link(big, root / "floor" / "files" / "big.bin")  # the floor serves the same file (no copy)

                def floor_big_up() -> None:
                    with httpx.Client(timeout=600) as http, big.open("rb") as f:
                        http.post(floor + "/upload", files={"0": ("big.bin", f, "application/octet-stream")}
                                  ).raise_for_status()

                def floor_big_down() -> None:
                    with httpx.Client(timeout=600) as http, http.stream("GET", f"{floor}/files/big.bin") as r, \
                            open(root / "floor-big.bin", "wb") as f:
                        r.raise_for_status()
                        for chunk in r.iter_bytes(1 << 20):
                            f.write(chunk)

                big_ds = client.create_dataset(project_id=project.id, name="big").dataset.id
                t_floor = timed(floor_big_up)
                shutil.rmtree(root / "floor" / "up", ignore_errors=True)  # the floor's copy: disk space
                with RSS(server.pid) as rss_up:
                    up_report = None

                    def lg_big_up() -> None:
                        nonlocal up_report
                        up_report = client.upload_files(big_ds, big, progress=False)

                    t = timed(lg_big_up, "large upload", server.pid)
                assert up_report is not None and up_report.ok, up_report and up_report.failed
                t2_floor = timed(floor_big_down)
                (root / "floor-big.bin").unlink()
                with RSS(server.pid) as rss_down:
                    t2 = timed(lambda: client.download_items(big_ds, root / "big-out", progress=False),
                               "large download", server.pid)
                assert (root / "big-out" / "big.bin").stat().st_size == big.stat().st_size
                listed = client.list_item_contents(dataset_id=big_ds, first=1).items.nodes
                print(f"large file: Item.size answered {listed[0].size if listed else None} "
                      f"(the file: {big.stat().st_size})", file=sys.stderr)
                mbs = args.large_mib * 1.048576
                print(f"\n| one {args.large_mib} MiB file | labelgraph s | MB/s | floor s | MB/s | ratio | server "
                      "RSS growth (50 ms samples) | VmHWM growth | server RSS peak | server CPU s |"
                      "\n|---|---|---|---|---|---|---|---|---|---|")
                for name, lg, fl, rss, phase in (("upload", t, t_floor, rss_up, "large upload"),
                                                 ("download", t2, t2_floor, rss_down, "large download")):
                    print(f"| {name} | {lg:.1f} | {mbs / lg:.1f} | {fl:.1f} | {mbs / fl:.1f} | **{fl / lg:.2f}×** | "
                          f"{rss.growth_mib:.1f} MiB | {rss.hwm_text} | {rss.peak / 2**20:.1f} MiB (before "
                          f"{rss.before / 2**20:.1f}) "
                          f"| {CPU[phase][0]:.1f} |")
    finally:
        for p in procs:
            p.send_signal(signal.SIGINT if args.profile else signal.SIGTERM)  # SIGINT: cProfile writes its stats
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
