"""``run_function``: one request that returns a function's output when its execution has ended (``executionCreate``
with ``wait: true``), against a live ``labelgraph serve`` whose embedded worker runs the function."""

from __future__ import annotations

import pytest

from labelgraph_client import (
    Client,
    CodebaseInput,
    FunctionError,
    FunctionIOInput,
    FunctionIOType,
    FunctionTimeoutError,
    ItemCreateInput,
    MutationError,
    PackageCreateInput,
    PackageFunctionInput,
    PackageModuleInput,
    ServiceCreateInput,
    SyncClient,
)


async def _service(client: Client, name: str) -> tuple[str, str]:
    """A project with a dataset and a service of the sample functions: (service id, dataset id)."""
    org = (await client.create_organization(name=f"{name} Org")).organization
    project = (await client.create_project(organization_id=org.id, name=name)).project
    dataset = (await client.create_dataset(project_id=project.id, name="frames")).dataset
    package = (await client.create_package(PackageCreateInput(
        project_id=project.id, name=name, codebase=CodebaseInput(reference="labelgraph.samples.basic:Basic"),
        modules=[PackageModuleInput(functions=[
            PackageFunctionInput(name="echo", inputs=[FunctionIOInput(type=FunctionIOType.JSON, name="config")]),
            PackageFunctionInput(name="sleep", inputs=[FunctionIOInput(type=FunctionIOType.FLOAT, name="seconds")]),
            PackageFunctionInput(name="fail", inputs=[FunctionIOInput(type=FunctionIOType.STRING, name="message")]),
            PackageFunctionInput(name="describe", inputs=[FunctionIOInput(type=FunctionIOType.ITEM, name="item")]),
        ])]))).package
    service = (await client.create_service(ServiceCreateInput(package_id=package.id, name=name, max_attempts=1)))
    return service.service.id, dataset.id


async def test_run_function_returns_the_output_or_raises_the_functions_error(live_client: Client):
    service, dataset = await _service(live_client, "Sync calls")
    assert await live_client.run_function(service, "echo", {"config": {"k": [1, 2]}}, timeout=60) == {
        "greeting": "hello", "config": {"k": [1, 2]}}
    with pytest.raises(FunctionError) as failed:
        await live_client.run_function(service, "fail", {"message": "kaput"}, timeout=60)
    assert failed.value.status == "FAILED" and "kaput" in failed.value.error
    with pytest.raises(FunctionTimeoutError) as late:
        await live_client.run_function(service, "sleep", {"seconds": 5}, timeout=1)
    assert late.value.execution is not None and "had not ended after 1 s" in str(late.value)
    assert isinstance(late.value, TimeoutError)
    with pytest.raises(MutationError) as refused:
        await live_client.run_function(service, "sleep", {"seconds": 1}, timeout=301)
    assert refused.value.errors[0].field == ["timeoutSec"]
    # the item shortcut
    [item] = (await live_client.create_items(dataset_id=dataset, items=[ItemCreateInput(name="cat.jpg")])).items
    described = await live_client.run_function(service, "describe", item_id=item.id, timeout=60)
    assert described["id"] == item.id and described["filename"] == item.filename


async def test_sync_client_run_function(live_sync_client: SyncClient, live_client: Client):
    service, _ = await _service(live_client, "Sync script")
    assert live_sync_client.run_function(service, "echo", {"config": "x"}, timeout=60)["config"] == "x"
    with pytest.raises(FunctionError, match="boom"):
        live_sync_client.run_function(service, "fail", {"message": "boom"}, timeout=60)
