"""A pytest plugin measuring each test's CPU: the pytest process's (all threads) plus its descendants' (reaped:
RUSAGE_CHILDREN; still running, such as a session's live server: read from /proc), over setup, call and
teardown. One JSON line per test to ``$PYTEST_CPU_OUT.<pid>`` (one file per xdist worker).

    PYTHONPATH=bench:$PYTHONPATH PYTEST_CPU_OUT=/tmp/cpu .venv/bin/pytest -p pytest_cpu tests/…
    .venv/bin/python bench/pytest_cpu.py /tmp/cpu 40     # the 40 costliest tests, then modules

A reaped child counts where it was reaped (a session fixture's server: at the end of the session), a running one
as it runs."""

from __future__ import annotations

import collections
import glob
import json
import os
import resource
import sys
import time

import pytest

_TICK = os.sysconf("SC_CLK_TCK")
_out = None


def _descendants_cpu() -> float:
    """CPU seconds of this process's running descendants (with what they reaped), from /proc."""
    children: dict[int, list[tuple[int, float]]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        cpu = sum(int(x) for x in fields[11:15]) / _TICK  # utime stime cutime cstime
        children.setdefault(int(fields[1]), []).append((int(entry), cpu))
    total, stack = 0.0, [os.getpid()]
    while stack:
        for pid, cpu in children.get(stack.pop(), ()):
            total += cpu
            stack.append(pid)
    return total


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, reaped.ru_utime + reaped.ru_stime + _descendants_cpu()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):  # noqa: ANN001, ANN201
    global _out
    if _out is None:
        _out = open(os.environ.get("PYTEST_CPU_OUT", "pytest-cpu") + f".{os.getpid()}", "a")  # noqa: SIM115
    own0, children0 = _cpu()
    wall0 = time.monotonic()
    yield
    own1, children1 = _cpu()
    _out.write(json.dumps({"id": item.nodeid, "self": round(own1 - own0, 3),
                           "children": round(children1 - children0, 3),
                           "wall": round(time.monotonic() - wall0, 3)}) + "\n")
    _out.flush()


def main(prefix: str, top: int = 40) -> None:
    rows = [json.loads(line) for path in glob.glob(prefix + ".*") for line in open(path)]  # noqa: SIM115
    modules: dict[str, float] = collections.defaultdict(float)
    for row in rows:
        row["cpu"] = row["self"] + row["children"]
        modules[row["id"].split("::")[0]] += row["cpu"]
    rows.sort(key=lambda r: -r["cpu"])
    print(f"{len(rows)} tests, {sum(r['cpu'] for r in rows):.1f} s of CPU")
    print("    cpu    self children    wall  test")
    for row in rows[:top]:
        print(f"{row['cpu']:7.2f} {row['self']:7.2f} {row['children']:7.2f} {row['wall']:7.2f}  {row['id']}")
    for name, cpu in sorted(modules.items(), key=lambda m: -m[1])[:top]:
        print(f"{cpu:7.2f}  {name}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
