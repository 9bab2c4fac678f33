"""Import time of the generated client: ``python -X importtime -c "import labelgraph_client"``.

Prints the package's own cumulative import time (the ``labelgraph_client`` line of ``-X importtime``: the package
and everything it imports), the median of ``--runs`` fresh interpreters, and exits 1 when it is over the budget
(150 ms). For information it also prints the wall time of ``from labelgraph_client import Client`` and
``SyncClient`` (which load httpx and pydantic, the price of the first request, not of the import).

    .venv/bin/python bench/import_time.py [--runs 7] [--budget-ms 150]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

PACKAGE = "labelgraph_client"


def importtime_ms(python: str, package: str = PACKAGE) -> float:
    """The cumulative import time of ``package`` in one fresh interpreter, in milliseconds."""
    result = subprocess.run([python, "-X", "importtime", "-c", f"import {package}"], capture_output=True, text=True,
                            check=True)
    for line in result.stderr.splitlines():
        # "import time: self [us] | cumulative | imported package"
        parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == package:
            return int(parts[1]) / 1000
    raise SystemExit(f"no import-time line for {package} in:\n{result.stderr[-2000:]}")


def wall_ms(python: str, statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print((time.perf_counter() - t) * 1000)"
    result = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters to measure (the median counts)")
    parser.add_argument("--budget-ms", type=float, default=150.0, help="fail above this many milliseconds")
    parser.add_argument("--python", default=sys.executable, help="the interpreter with labelgraph_client installed")
    args = parser.parse_args(argv)

    importtime_ms(args.python)  # warm the file-system cache and __pycache__
    own = [importtime_ms(args.python) for _ in range(args.runs)]
    median = statistics.median(own)
    print(f"import {PACKAGE}: {median:.1f} ms own cumulative import time (-X importtime; median of {args.runs}, "
          f"min {min(own):.1f}, max {max(own):.1f}; budget {args.budget_ms:.0f} ms)")
    for statement in (f"from {PACKAGE} import Client", f"from {PACKAGE} import SyncClient"):
        times = [wall_ms(args.python, statement) for _ in range(args.runs)]
        print(f"{statement}: {statistics.median(times):.1f} ms wall time (median of {args.runs}; loads httpx and "
              f"pydantic)")
    if median > args.budget_ms:
        print(f"FAIL: import {PACKAGE} takes {median:.1f} ms, over the {args.budget_ms:.0f} ms budget")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
