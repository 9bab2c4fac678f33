"""The server's cycle collector policy (collector.py): what settles is frozen after one bounded collection, garbage
among it is collected before, and frozen garbage is swept once the frozen objects have grown enough.

Run in a child process: the policy freezes and unfreezes the whole interpreter's objects (the test process's own
are frozen by conftest)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import labelgraph

pytestmark = pytest.mark.database_agnostic(
    "the cycle collector policy in a child process, no database")

SCRIPT = r"""
import gc, json, weakref
from labelgraph.collector import Collector

class Node:
    pass

def pairs(n):
    out = []
    for _ in range(n):
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        out.append(a)
    return out

gc.disable()  # the steps below decide every collection
gc.collect()
gc.freeze()
collector = Collector(settle_at=5_000, sweep_growth=2.0, interval=0, oldest_threshold=None)
report = {"start_frozen": gc.get_freeze_count(), "idle": collector.step()}

live = pairs(20_000)
garbage = Node(); garbage.me = garbage
gone = weakref.ref(garbage)
gc.collect(1)  # both reach the oldest generation
del garbage  # garbage now, in the oldest generation
report["settle"] = collector.step()
report["settled_garbage_collected"] = gone() is None
report["frozen_after_settle"] = gc.get_freeze_count()
report["oldest_after_settle"] = len(gc.get_objects(generation=2))

left = weakref.ref(live[0])
live.clear()  # 40,000 frozen objects are garbage now
gc.collect()
report["frozen_garbage_kept_by_collect"] = left() is not None

more = pairs(2 * report["frozen_after_settle"] // 3)  # the frozen objects more than double
kept = weakref.ref(more[0])
gc.collect(1)
steps = [collector.step() for _ in range(3)]
report["steps"] = steps
report["frozen_garbage_swept"] = left() is None
report["live_kept"] = kept() is not None and len(more) > 0
report["sweeps"] = collector.stats.sweeps
report["after_sweep_idle"] = collector.step()
report["counted"] = [collector.frozen, gc.get_freeze_count()]

walks = []  # gc.get_freeze_count() walks every frozen object: an idle check must not call it
counting = gc.get_freeze_count
gc.get_freeze_count = lambda: walks.append(1) or counting()
report["idle_steps"] = [collector.step() for _ in range(5)]
report["idle_walks"] = len(walks)
lists = []  # gc.get_objects lists every object of a generation: an idle check (no collection since) need not
listing = gc.get_objects
gc.get_objects = lambda *a, **k: lists.append(1) or listing(*a, **k)
report["idle_lists"] = [collector.step() for _ in range(5)], len(lists)
gc.collect(1)  # a collection of the middle generation may have moved objects into the oldest: counted again
collector.step()
report["lists_after_collect"] = len(lists)
print(json.dumps(report))
"""


def test_settles_then_sweeps_frozen_garbage() -> None:
    server = str(Path(labelgraph.__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([server, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["idle"] is None  # nothing settled yet: nothing to do
    assert report["settle"] == "settle"
    assert report["settled_garbage_collected"]  # a settle collects before it freezes
    assert report["frozen_after_settle"] >= report["start_frozen"] + 40_000
    assert report["oldest_after_settle"] < 1_000  # what settled is out of the collector's sight
    assert report["frozen_garbage_kept_by_collect"]  # a full collection does not walk frozen objects
    assert report["steps"][0] in ("sweep", "settle") and "sweep" in report["steps"]
    assert report["sweeps"] == 1
    assert report["frozen_garbage_swept"]  # the sweep freed the cycles that died frozen
    assert report["live_kept"]
    assert report["after_sweep_idle"] is None
    counted, frozen = report["counted"]  # the collector's own count of frozen objects: the interpreter's, but for
    assert abs(counted - frozen) <= frozen / 100  # the few frozen objects freed by reference counting since
    assert report["idle_steps"] == [None] * 5 and report["idle_walks"] == 0
    assert report["idle_lists"] == [[None] * 5, 0]  # no collection since the last count: nothing to list
    assert report["lists_after_collect"] == 1
