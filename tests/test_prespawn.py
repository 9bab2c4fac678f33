"""tests/prespawn.py forks `labelgraph …` processes from a zygote instead of starting `python -m labelgraph.cli …`:
what such a process prints, where, and its exit status are those of the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prespawn import spawn_labelgraph

pytestmark = pytest.mark.database_agnostic("argument parsing and process plumbing of the test helper, no database")


def _both(tmp_path: Path, *argv: str) -> tuple[tuple[int, str], tuple[int, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    real = subprocess.run([sys.executable, "-m", "labelgraph.cli", *argv], env=env, capture_output=True, text=True,
                          timeout=120)
    log = tmp_path / "forked.log"
    forked = spawn_labelgraph(list(argv), env, log)
    code = forked.wait(timeout=120)
    return (real.returncode, real.stdout + real.stderr), (code, log.read_text())


def test_a_forked_command_prints_and_exits_as_the_real_one(tmp_path: Path):
    real, forked = _both(tmp_path, "serve", "--help")
    assert real[0] == 0 and "--embedded-workers" in real[1]
    assert forked == real
    real, forked = _both(tmp_path, "serve", "--port", "eighty")  # argparse's error: exit status 2, on stderr
    assert real[0] == 2 and "argument --port: invalid int value: 'eighty'" in real[1]
    assert forked == real


def test_a_forked_process_answers_like_popen(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    log = tmp_path / "worker.log"
    log.write_text("before\n")
    # the request's environment is the child's: an unknown sandbox there stops `labelgraph worker` at once with a
    # clear error (as faas/test_isolation.py checks of the real command)
    process = spawn_labelgraph(["worker", "--url", "http://127.0.0.1:9/graphql", "--token", "lg_x"],
                               {**env, "LABELGRAPH_SANDBOX": "chroot"}, log, append=True)
    assert process.pid != os.getpid() and process.args[1:3] == ["-m", "labelgraph.cli"]
    assert process.wait(timeout=120) == 2
    assert process.poll() == process.returncode == 2
    text = log.read_text()
    assert text.startswith("before\n")  # appended to
    assert "LABELGRAPH_SANDBOX must be one of auto, bwrap, user, process, got 'chroot'" in text
    process.terminate()  # reaped: nothing is sent (its pid may be another process's by now)
