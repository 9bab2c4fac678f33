"""``labelgraph serve`` and ``labelgraph worker`` processes for tests, forked from a process that has already imported
the server, instead of a fresh ``python -m labelgraph.cli`` that imports it again.

Every started server first imports labelgraph (the GraphQL schema built, SQLAlchemy, strawberry, uvicorn): ~1.7 s
of CPU on this machine, most of a start's CPU, and the suite starts a few dozen. Here one helper process per test
process (the *zygote*, this file run as a script) imports all that once; each ``spawn`` forks it, and the child runs
``labelgraph.cli.main(argv)`` — the very function ``python -m labelgraph.cli ARGV`` runs — with the environment,
working directory and log file of the request. The child is a process of its own as before (its own pid, event
loop, database connections, signals, exit status); what it skips is the interpreter's start and the imports.

The handle ``spawn`` returns answers like ``subprocess.Popen`` (pid, poll, wait, returncode, terminate, kill,
send_signal). The child is the zygote's, not the test process's: the zygote reaps it and reports its exit status
over its stdout, which a thread of the test process reads.

Tests whose subject is the command's start itself (tests/test_cli.py, the first round of
tests/scale/test_one_data_dir.py) still start ``python -m labelgraph.cli``.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

# what `labelgraph serve` and `labelgraph worker` import (cli.cmd_serve, cli.cmd_worker), then what a server imports
# later, while it starts (the migrations and alembic, the first-start admin, the job runner, the database drivers):
# ~170 modules more
PRELOAD = ("labelgraph.cli", "uvicorn", "labelgraph.app", "labelgraph.edge", "labelgraph.engine.isolation",
           "labelgraph.engine.remote", "labelgraph.engine.runner",
           "labelgraph.migrations", "alembic.command", "alembic.runtime.migration", "alembic.operations",
           "alembic.ddl", "labelgraph.models", "labelgraph.identity.bootstrap", "labelgraph.jobs.handlers",
           "labelgraph.jobs.runner", "labelgraph.engine.local", "labelgraph.data.content_routes",
           "sqlalchemy.dialects.sqlite.aiosqlite", "aiosqlite", "sqlalchemy.dialects.postgresql.asyncpg", "asyncpg")


# ---------------------------------------------------------------------------------------------- the zygote (a script)


def _child(request: dict) -> None:
    """In the forked child: become ``python -m labelgraph.cli ARGV`` run with the request's env, cwd and log."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if request["append"] else os.O_TRUNC)
        log = os.open(request["log"], flags, 0o644)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.close(null)
        sys.stdin = open(0, closefd=False)  # noqa: SIM115 (the process's own stdin, for its whole life)
        sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
        # `python -m` puts the working directory first on the path, then PYTHONPATH's entries
        extra = [p for p in request["env"].get("PYTHONPATH", "").split(os.pathsep) if p and p not in sys.path]
        sys.path[0:1] = [request["cwd"], *extra]
        sys.argv = [str(Path(sys.modules["labelgraph.cli"].__file__)), *request["argv"]]
        from labelgraph.cli import main

        code = main(request["argv"])
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code if isinstance(code, int) else 1)


def zygote() -> None:
    import gc

    gc.disable()
    for name in PRELOAD:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()  # as cmd_serve does: the imports stay out of the collector's sight (and shared with the children)
    gc.enable()
    if threading.active_count() != 1:  # a fork copies one thread only: the imports must not have started any
        raise SystemExit(f"prespawn: the imports started threads: {threading.enumerate()}")
    out = os.fdopen(os.dup(1), "w", buffering=1)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C goes to the test process; it stops its children

    children: set[int] = set()

    def reap(flags: int = os.WNOHANG) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, flags)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)
            with contextlib.suppress(BrokenPipeError):  # the test process may be gone
                out.write(f"exited {pid} {os.waitstatus_to_exitcode(status)}\n")

    def stop_children() -> None:
        """At the end (the test process closed our stdin): a child still running is stopped, as the tests' own
        teardowns would, and waited for (its CPU then counts in the test process's, through ours)."""
        def send(sig: int) -> None:
            for pid in list(children):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)

        send(signal.SIGTERM)
        signal.signal(signal.SIGALRM, lambda *_: send(signal.SIGKILL))
        signal.alarm(20)
        reap(0)

    out.write("ready\n")
    pending = b""
    while True:
        readable, _, _ = select.select([0, wake_r], [], [])
        if wake_r in readable:
            while True:
                try:
                    if not os.read(wake_r, 512):
                        break
                except BlockingIOError:
                    break
        reap()
        if 0 in readable:
            data = os.read(0, 1 << 16)
            if not data:  # the test process is done with us (or gone)
                stop_children()
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    os.close(wake_r)
                    os.close(wake_w)
                    out.close()
                    _child(request)
                children.add(pid)
                out.write(f"started {request['id']} {pid}\n")


# ---------------------------------------------------------------------------------------------- the test side


class _Zygote:
    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
        self.process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        env=env)
        ready = self.process.stdout.readline()
        if ready != b"ready\n":
            raise RuntimeError(f"prespawn: the zygote did not start (exit status {self.process.wait()})")
        self.lock = threading.Lock()  # one request at a time
        self.changed = threading.Condition()
        self.started: dict[int, int] = {}  # request id → pid
        self.exited: dict[int, int] = {}  # pid → exit status (Popen's returncode: -N for a signal)
        self.gone = False
        self.next_id = 0
        threading.Thread(target=self._read, name="prespawn-reader", daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            kind, a, b = line.decode().split()
            with self.changed:
                if kind == "started":
                    self.started[int(a)] = int(b)
                else:
                    self.exited[int(a)] = int(b)
                self.changed.notify_all()
        with self.changed:
            self.gone = True
            self.changed.notify_all()

    def spawn(self, argv: list[str], env: dict[str, str], log: Path, append: bool) -> Spawned:
        with self.lock:
            self.next_id += 1
            request = {"id": self.next_id, "argv": list(argv), "env": dict(env), "cwd": os.getcwd(),
                       "log": str(log), "append": append}
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
            with self.changed:
                if not self.changed.wait_for(lambda: request["id"] in self.started or self.gone, timeout=60):
                    raise RuntimeError("prespawn: the zygote did not fork within 60 s")
                if self.gone:
                    raise RuntimeError(f"prespawn: the zygote exited ({self.process.wait()})")
                return Spawned(self, self.started.pop(request["id"]), [sys.executable, "-m", "labelgraph.cli", *argv])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


class Spawned:
    """A process the zygote forked: answers as ``subprocess.Popen`` does."""

    def __init__(self, zygote: _Zygote, pid: int, args: list[str]) -> None:
        self.zygote = zygote
        self.pid = pid
        self.args = args  # as Popen's: the command line this process stands for

    @property
    def returncode(self) -> int | None:
        with self.zygote.changed:
            return self.zygote.exited.get(self.pid)

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        with self.zygote.changed:
            if not self.zygote.changed.wait_for(lambda: self.pid in self.zygote.exited or self.zygote.gone,
                                                timeout=timeout):
                raise subprocess.TimeoutExpired(f"process {self.pid}", timeout)
            if self.pid not in self.zygote.exited:
                raise RuntimeError(f"prespawn: the zygote exited before process {self.pid}")
            return self.zygote.exited[self.pid]

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:  # not reaped yet: the pid is still this process's
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


_zygote: _Zygote | None = None
_zygote_lock = threading.Lock()


def close_zygote() -> None:
    """Ends the zygote (its stdin closed) and waits for it: its children's CPU then counts in this process's
    (``time``, getrusage of children), as a subprocess's would. Started again by the next ``spawn_labelgraph``."""
    global _zygote
    with _zygote_lock:
        if _zygote is not None:
            _zygote.close()
            _zygote = None


def spawn_labelgraph(argv: list[str], env: dict[str, str], log: Path, append: bool = False) -> Spawned:
    """Like ``subprocess.Popen([sys.executable, "-m", "labelgraph.cli", *argv], env=env, stdout=<log>,
    stderr=subprocess.STDOUT)`` (the log truncated first, or appended to), forked from the zygote."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or _zygote.gone:
            _zygote = _Zygote()
    return _zygote.spawn(argv, env, log, append)


atexit.register(close_zygote)

if __name__ == "__main__":
    zygote()
