"""``labelgraph datasets version create|list`` and ``labelgraph datasets split`` against a running server."""

from __future__ import annotations

import os
import subprocess
import sys

from labelgraph_client.input_types import ItemFilter, StringFilter


def run_cli(server, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELGRAPH_")}
    env.update(LABELGRAPH_URL=server.graphql_url, LABELGRAPH_TOKEN=server.token)
    return subprocess.run([sys.executable, "-m", "labelgraph.cli", "datasets", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_cli_splits_and_versions_a_dataset(labelgraph_server, live_sync_client):
    c = live_sync_client
    org = c.create_organization(name="Versions Org").organization
    project = c.create_project(organization_id=org.id, name="Versions").project
    dataset = c.create_dataset(project_id=project.id, name="frames").dataset.id
    c.create_items(dataset_id=dataset, items=[{"name": f"{i}.jpg"} for i in range(10)])

    split = run_cli(labelgraph_server, "split", dataset, "--ratios", '{"train": 0.8, "test": 0.2}', "--seed", "3")
    assert split.returncode == 0, split.stderr
    assert "10 items split" in split.stdout
    created = run_cli(labelgraph_server, "version", "create", dataset, "v1")
    assert created.returncode == 0, created.stderr
    version_id, name, items, _ = created.stdout.strip().split("\t")
    assert version_id.startswith("dsv_") and (name, items) == ("v1", "10 items")
    listed = run_cli(labelgraph_server, "version", "list", dataset)
    assert listed.returncode == 0 and listed.stdout.startswith(f"{version_id}\tv1\t10 items\t0 annotations\t")
    version = c.list_dataset_version_items(id=version_id, filter_=ItemFilter(split=StringFilter(eq="train")))
    assert version.items.total_count == 8

    again = run_cli(labelgraph_server, "version", "create", dataset, "v1")
    assert again.returncode == 1 and "has a version named 'v1' already" in again.stderr, again.stderr
    wrong = run_cli(labelgraph_server, "split", dataset, "--ratios", '{"train": 0.5}')
    assert wrong.returncode == 1 and "sum to 1" in wrong.stderr
