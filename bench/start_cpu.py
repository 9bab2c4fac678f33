"""What a `labelgraph serve` start costs: spawn → first 200 from /healthz, on a fresh data dir (migrations run).

    PYTHONPATH=server:clients/python .venv/bin/python bench/start_cpu.py [--runs 4] [--together 1]

Prints, per run, the wall time and the CPU (utime + stime from /proc/PID/stat, which the machine's load distorts
far less than the wall time) of the started processes until each answered. ``--together 6`` starts six processes
on one data dir at once, as tests/scale/test_one_data_dir.py does (their CPU is summed). Linux only (/proc).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(together: int) -> tuple[float, float]:
    data_dir = tempfile.mkdtemp(prefix="lg_start_cpu_")
    env = dict(os.environ, LABELGRAPH_DATA_DIR=data_dir)
    started = time.monotonic()
    pending = {}
    for _ in range(together):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "labelgraph.cli", "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pending[proc.pid] = (proc, port)
    procs = [proc for proc, _ in pending.values()]
    cpu = 0.0
    try:
        deadline = started + 300
        while pending:
            if time.monotonic() > deadline:
                raise SystemExit("a server did not answer /healthz within 300 s")
            for pid, (proc, port) in list(pending.items()):
                if proc.poll() is not None:
                    raise SystemExit(f"labelgraph serve exited with {proc.returncode}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        cpu += cpu_seconds(pid)
                        del pending[pid]
                except httpx.HTTPError:
                    pass
            time.sleep(0.02)
        return time.monotonic() - started, cpu
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--together", type=int, default=1, help="processes started at once on one data dir")
    args = parser.parse_args()
    results = []
    for i in range(args.runs):
        wall, cpu = one_run(args.together)
        results.append((wall, cpu))
        print(f"run {i}: wall {wall:.2f} s, CPU {cpu:.2f} s (load {os.getloadavg()[0]:.1f})", flush=True)
    print(f"mean: wall {sum(w for w, _ in results) / len(results):.2f} s, "
          f"CPU {sum(c for _, c in results) / len(results):.2f} s")


if __name__ == "__main__":
    main()
