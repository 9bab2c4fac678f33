"""CPU seconds of the PostgreSQL backends serving one database, read from /proc (PostgreSQL runs on this machine;
a backend's command line names its database: "postgres: <user> <database> <host> …"). Shared by the benchmarks
that report the database's CPU per operation (faas_bench, bulk_bench, outbox_bench)."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def pg_backends(database: str) -> dict[int, float]:
    """pid → user + system CPU seconds of each live backend connected to ``database``."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            args = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").split()
            if not (len(args) >= 3 and args[0].startswith(b"postgres:") and database.encode() in args[1:4]):
                continue
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def backends_cpu(database: str) -> float:
    """CPU seconds used so far by the live backends connected to ``database`` (a difference of two readings, on
    connections that stay open, is what the work between them cost the database)."""
    return sum(pg_backends(database).values())
