"""labelgraph-client is its own distribution: ``pip install ./clients/python`` into an empty virtualenv gives a
client that works against a live gateway and pulls in no server module (README, "Python client")."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.install, pytest.mark.database_agnostic(
    "the subject is the packaging (pip install ./clients/python, no server module imported); the live server's "
    "round trip is incidental and the client's calls are checked on both databases by tests/client")]

CLIENT_DIR = Path(__file__).resolve().parents[2] / "clients" / "python"

# run in the fresh virtualenv with -I (no PYTHONPATH, no working directory on sys.path): what a program sees there
SCRIPT = """
import importlib.metadata, json, sys

def server_modules():
    return sorted(m for m in sys.modules if m == "labelgraph" or m.startswith(
        ("labelgraph.", "sqlalchemy", "asyncpg", "uvicorn", "alembic", "strawberry")))

import labelgraph_client
after_import = server_modules()
from labelgraph_client import SyncClient

with SyncClient(sys.argv[1], sys.argv[2]) as lg:
    org = lg.create_organization(name="Standalone").organization
    found = lg.get_organization(id=org.id)
dist = importlib.metadata.distribution("labelgraph-client")
print(json.dumps({
    "after_import": after_import,
    "after_use": server_modules(),
    "organization": found.name,
    "requires": sorted(r.split(">")[0].split("=")[0].strip() for r in dist.requires or []),
    "packages": sorted({f.parts[0] for f in dist.files if not f.parts[0].endswith(".dist-info")}),
}))
"""


def test_client_installs_alone_and_talks_to_the_gateway(tmp_path: Path, labelgraph_server):
    # a copy of the source: pip builds in the source tree, and the SQLite and PostgreSQL suites run side by side
    source = shutil.copytree(CLIENT_DIR, tmp_path / "python", ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__"))
    # an empty virtualenv, filled by this pip (--python): the same install, without 20 s of bootstrapping pip
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    # --no-compile: the dependencies' bytecode is not what is tested (the script compiles what it imports); pip
    # compiling every module of pydantic, rich, httpx… was ~2 of its ~10.5 s of CPU
    install = subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile",
                              "--disable-pip-version-check", str(source)], capture_output=True, text=True)
    assert install.returncode == 0, f"pip install ./clients/python failed:\n{install.stdout}\n{install.stderr}"

    run = subprocess.run([python, "-I", "-c", SCRIPT, labelgraph_server.graphql_url, labelgraph_server.token],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found["after_import"] == [], f"import labelgraph_client pulled in server modules: {found['after_import']}"
    assert found["after_use"] == [], f"using the client pulled in server modules: {found['after_use']}"
    assert found["organization"] == "Standalone"
    assert found["requires"] == ["httpx", "pydantic", "rich", "websockets"]  # rich: upload_files progress bars
    assert found["packages"] == ["labelgraph_client"]
