"""How function code is kept away from the rights of the worker that runs it (docs/security.md, "Functions").

Function code never runs in the worker's (or the server's) process: each runs in a child process
(engine/sandbox.py) that talks to the world only through its stdin/stdout pipe to the worker. What else holds
depends on what the machine offers (``LABELGRAPH_SANDBOX``):

* ``bwrap``: bubblewrap puts the child in its own namespaces: no network at all (``--unshare-net``: not even
  127.0.0.1, where databases and brokers listen), its own /proc and /tmp, and a filesystem holding only the
  system's programs and libraries, Python, the package's own code and an empty working directory: the data
  dir, other packages' code, home directories, sockets under /run … do not exist in there.
* ``user``: (server running as root, interpreter readable by everyone) the child runs as ``nobody``: it cannot
  read the data dir (0700) nor signal the worker, but it shares the network and sees world-readable files.
* ``process``: only a child process: no secrets in its environment, its own working directory, no token of the
  worker; it runs as the worker's user, so it can read what that user can read.

``auto`` takes the first of these that works here. ``import_allowed`` is the allowlist of IMPORT codebases.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("labelgraph.worker")
MODES = ("auto", "bwrap", "user", "process")
NOBODY = 65534
# what a child sees of the system under bwrap (read-only), besides Python and its code
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/localtime", "/etc/ld.so.cache",
                "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ssl", "/etc/ca-certificates", "/etc/alternatives",
                "/etc/mime.types")


def import_allowed(reference: str, globs: tuple[str, ...]) -> bool:
    """May an IMPORT codebase name ``module:Class``? Its module must match one of ``globs`` (fnmatch, case
    sensitive; ``labelgraph.samples.*``)."""
    module = reference.partition(":")[0].strip()
    return bool(module) and any(fnmatch.fnmatchcase(module, g) for g in globs)


def python_paths() -> list[str]:
    """Where this interpreter, its standard library and everything importable here live: a child needs them
    (and under bwrap, only them) to start the same Python with the same packages."""
    import importlib.util

    import labelgraph

    # where labelgraph_client lives, without importing it (the server app never does: only children use it)
    client = importlib.util.find_spec("labelgraph_client")
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable)),
             os.path.dirname(os.path.dirname(labelgraph.__file__))}
    if client is not None and client.origin:
        paths.add(os.path.dirname(os.path.dirname(client.origin)))
    # not the current directory (on the path under `python -m`): it may hold the data dir, configuration, .env
    cwd = os.getcwd()
    paths.update(p for p in sys.path if p and os.path.isabs(p) and os.path.exists(p) and p != cwd)
    return sorted(paths)


@dataclass(frozen=True)
class Isolation:
    """The isolation in force: ``mode`` (bwrap | user | process) and ``hidden``, paths the child must not see
    (the data dir, the database file's directory, the codebase cache) even where they sit under a path it needs."""

    mode: str
    hidden: tuple[str, ...] = ()
    note: str = ""
    paths: tuple[str, ...] = field(default_factory=lambda: tuple(python_paths()))

    def describe(self) -> str:
        what = {"bwrap": "bubblewrap sandbox (no network, only Python and the package's code visible)",
                "user": f"child process as the unprivileged user {NOBODY} (cannot read the data dir; shares the "
                        "network)",
                "process": "child process only (scrubbed environment, own working directory; it runs as this "
                           "user and can read what this user can)"}[self.mode]
        return what + (f"; {self.note}" if self.note else "")

    def command(self, python_args: list[str], workdir: str, code_root: str | None) -> list[str]:
        """The argv that starts ``python python_args`` isolated, in ``workdir``."""
        python = [sys.executable, *python_args]
        if self.mode != "bwrap":
            return python
        args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--uid", str(NOBODY), "--gid", str(NOBODY), "--hostname", "function",
                # the private /tmp first: what is bound below may live under /tmp (a checkout, a virtualenv)
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for d in SYSTEM_DIRS:
            if os.path.islink(d):
                args += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                args += ["--ro-bind", d, d]
        for f in SYSTEM_FILES:
            args += ["--ro-bind-try", f, f]
        for p in self.paths:
            args += ["--ro-bind-try", p, p]
        visible = [*SYSTEM_DIRS, *self.paths]
        for h in self.hidden:  # an empty tmpfs over what must stay unseen inside what is shown
            if os.path.isdir(h) and any(_under(h, v) for v in visible):
                args += ["--tmpfs", h]
        args += ["--bind", workdir, workdir]
        if code_root:
            args += ["--ro-bind", code_root, code_root]
        return [*args, "--chdir", workdir, "--", *python]

    def protect_worker(self) -> None:
        """``process`` mode with the child as this very user: make this process non-dumpable (Linux), so the child
        can neither read its /proc files (environment, memory: tokens, database URL) nor ptrace it. Root
        children keep CAP_SYS_PTRACE: as root, only bwrap or ``user`` protect the worker."""
        if self.mode == "process" and sys.platform == "linux":
            import ctypes

            ctypes.CDLL(None).prctl(4, 0)  # PR_SET_DUMPABLE

    def process_options(self) -> dict:
        """subprocess options: ``user`` mode drops to nobody (no supplementary groups)."""
        if self.mode == "user":
            return {"user": NOBODY, "group": NOBODY, "extra_groups": []}
        return {}


def _under(path: str, parent: str) -> bool:
    return os.path.commonpath([os.path.abspath(path), os.path.abspath(parent)]) == os.path.abspath(parent)


def _works(argv: list[str], **options) -> str | None:
    """None when ``argv`` runs and exits 0 here, else why not."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30, env={"PATH": os.defpath}, cwd="/", **options)
    except (OSError, subprocess.SubprocessError) as exc:
        return str(exc)
    return None if done.returncode == 0 else (done.stderr.decode(errors="replace").strip()[-300:] or
                                              f"exit status {done.returncode}")


PROBE = ["-I", "-c", "import orjson, labelgraph_client"]


def resolve(mode: str, hidden: list[Path | str]) -> Isolation:
    """The isolation for ``mode`` (auto | bwrap | user | process), checked by starting a child once. An explicit
    mode that cannot work here is an error naming what is missing; ``auto`` falls back and says why."""
    if mode not in MODES:
        raise ValueError(f"LABELGRAPH_SANDBOX must be one of {', '.join(MODES)}, got {mode!r}")
    hide = tuple(sorted({str(Path(h).resolve()) for h in hidden}))
    missing: list[str] = []
    if mode in ("auto", "bwrap"):
        if shutil.which("bwrap") is None:
            missing.append("bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)")
        else:
            candidate = Isolation("bwrap", hide)
            workdir = _probe_dir()
            try:
                why = _works(candidate.command(PROBE, workdir, None))
            finally:
                os.rmdir(workdir)
            if why is None:
                return candidate
            missing.append(f"bwrap cannot start a sandbox here: {why}")
        if mode == "bwrap":
            raise RuntimeError("LABELGRAPH_SANDBOX=bwrap: " + "; ".join(missing))
    if mode in ("auto", "user"):
        if os.geteuid() != 0:
            missing.append("not running as root, so children cannot switch to an unprivileged user")
        else:
            why = _works([sys.executable, *PROBE], **Isolation("user", hide, paths=()).process_options())
            if why is None:
                return Isolation("user", hide, note="; ".join(missing))
            missing.append(f"the user {NOBODY} cannot run this Python ({sys.executable}): {why}")
        if mode == "user":
            raise RuntimeError("LABELGRAPH_SANDBOX=user: " + "; ".join(missing))
    return Isolation("process", hide, note="; ".join(missing))


def _probe_dir() -> str:
    import tempfile

    return tempfile.mkdtemp(prefix="labelgraph-probe-")
