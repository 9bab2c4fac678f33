"""``labelgraph datasets version create|list`` and ``labelgraph datasets split`` against a running server (the CLI's
``main`` in this process: the same code as the console script, without a Python start per command)."""

from __future__ import annotations

from labelgraph.cli import main
from labelgraph_client.input_types import ItemFilter, StringFilter


def test_cli_splits_and_versions_a_dataset(labelgraph_server, live_sync_client, monkeypatch, capsys):
    monkeypatch.setenv("LABELGRAPH_URL", labelgraph_server.graphql_url)
    monkeypatch.setenv("LABELGRAPH_TOKEN", labelgraph_server.token)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["datasets", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    c = live_sync_client
    org = c.create_organization(name="Versions Org").organization
    project = c.create_project(organization_id=org.id, name="Versions").project
    dataset = c.create_dataset(project_id=project.id, name="frames").dataset.id
    c.create_items(dataset_id=dataset, items=[{"name": f"{i}.jpg"} for i in range(10)])

    code, out, err = run("split", dataset, "--ratios", '{"train": 0.8, "test": 0.2}', "--seed", "3")
    assert code == 0 and "10 items split" in out, err
    code, out, err = run("version", "create", dataset, "v1")
    assert code == 0, err
    version_id, name, items, _ = out.strip().split("\t")
    assert version_id.startswith("dsv_") and (name, items) == ("v1", "10 items")
    code, out, err = run("version", "list", dataset)
    assert code == 0 and out.startswith(f"{version_id}\tv1\t10 items\t0 annotations\t"), err
    version = c.list_dataset_version_items(id=version_id, filter_=ItemFilter(split=StringFilter(eq="train")))
    assert version.items.total_count == 8

    code, _, err = run("version", "create", dataset, "v1")
    assert code == 1 and "has a version named 'v1' already" in err, err
    code, _, err = run("split", dataset, "--ratios", "{train")
    assert code == 2 and "--ratios is not JSON" in err
    code, _, err = run("split", dataset, "--ratios", '{"train": 0.5}')
    assert code == 1 and "sum to 1" in err
