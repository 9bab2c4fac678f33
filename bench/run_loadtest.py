#!/usr/bin/env python3
"""Thin wrapper around the anchors' load tester (../shared/bench-anchors/loadtest.py, imported from there,
neither copied nor edited) for targets whose data live in another PostgreSQL database than ``bench``.

The anchors' tester counts SQL statements per request with pg_stat_statements in ONE database (``--pg-dsn``,
db ``bench``). labelgraph's tables (organization, project, dataset, item, annotation) have the same names as the
anchors' tables, so labelgraph's data live in their own database; this wrapper routes the statement count of
each target to the right database and adds labelgraph's own count of the statements it executed for one
request (``extensions.sqlStatements`` with header ``x-labelgraph-statements: 1``), which is the only count for
the SQLite target. Everything else (validation, interleaved wrk rounds, pgbench, medians, ratios, --out) is
the anchors' code unchanged.

    run_loadtest.py [--anchors DIR] [--stmt-dsn NAME=DSN|none ...] [--labelgraph NAME ...] <loadtest.py options>
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import pathlib
import sys
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_ANCHORS = HERE.parent.parent / "shared" / "bench-anchors"
STATEMENTS_HEADER = "x-labelgraph-statements"


def load_module(path: pathlib.Path):
    spec = importlib.util.spec_from_file_location("anchor_loadtest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelgraph_count(url: str, body: bytes, auth: str = "") -> int:
    headers = {"Content-Type": "application/json", STATEMENTS_HEADER: "1"}
    if auth:
        headers["Authorization"] = auth
    req = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(req, timeout=60) as r:
        doc = json.loads(r.read())
    return doc["extensions"]["sqlStatements"]


def main() -> None:
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--anchors", type=pathlib.Path, default=pathlib.Path(os.environ.get("BENCH_ANCHORS",
                                                                                          DEFAULT_ANCHORS)))
    ap.add_argument("--stmt-dsn", action="append", default=[],
                    help="NAME=DSN: count target NAME's statements in that database; NAME=none: do not count")
    ap.add_argument("--labelgraph", action="append", default=[],
                    help="NAME of a labelgraph target: also record its own statement count")
    ours, rest = ap.parse_known_args()
    lt = load_module(ours.anchors / "loadtest.py")

    # target URL -> name, from the anchors' own --target syntax NAME,URL,QUERY_FILE[,VARIABLES_JSON]
    names = {}
    for i, arg in enumerate(rest):
        spec = rest[i + 1] if arg == "--target" and i + 1 < len(rest) else (
            arg.split("=", 1)[1] if arg.startswith("--target=") else None)
        if spec:
            name, url, *_ = spec.split(",", 3)
            names[url] = name
    dsn_for = dict(s.split("=", 1) for s in ours.stmt_dsn)
    unknown = (set(dsn_for) | set(ours.labelgraph)) - set(names.values())
    if unknown:
        raise SystemExit(f"run_loadtest: no --target named {sorted(unknown)}")

    count_in_db = lt.statements_per_request
    validate = lt.validate

    def statements_per_request(dsn, url, body, n=20, auth=""):
        dsn = dsn_for.get(names.get(url), dsn)
        if dsn == "none":
            return math.nan, math.nan, []
        return count_in_db(dsn, url, body, n=n, auth=auth)

    def validate_and_count(url, body, auth=""):
        info = validate(url, body, auth)
        if names.get(url) in ours.labelgraph:
            info["labelgraph_sql_statements"] = labelgraph_count(url, body, auth)
        return info

    lt.statements_per_request = statements_per_request
    lt.validate = validate_and_count
    sys.argv = [str(ours.anchors / "loadtest.py"), *rest]
    lt.main()


if __name__ == "__main__":
    main()
