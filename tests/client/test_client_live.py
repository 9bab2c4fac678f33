"""Both generated clients against a live ``labelgraph serve`` process on loopback, as a user's script would run
them: over real HTTP (and a WebSocket for graphql-transport-ws)."""

from __future__ import annotations

import contextlib

import pytest
from http_stub import free_port
from support import eventually

from labelgraph_client import (
    Client,
    GraphQLError,
    ItemCreateInput,
    ItemFilter,
    ItemOrder,
    ItemOrderField,
    JSONPathFilter,
    LimitExceededError,
    MutationError,
    SyncClient,
    TransportError,
    UnauthenticatedError,
)


async def test_async_client_over_http(live_client: Client):
    org = (await live_client.create_organization(name="Live Org")).organization
    project = (await live_client.create_project(organization_id=org.id, name="Live")).project
    ds = (await live_client.create_dataset(project_id=project.id, name="frames")).dataset
    for start in range(0, 1500, 500):  # 1500 items in three bulk calls
        await live_client.create_items(dataset_id=ds.id, items=[
            ItemCreateInput(name=f"{i:04}.jpg", dir="/cam", metadata={"odd": i % 2 == 1})
            for i in range(start, start + 500)
        ])
    odd = ItemFilter(metadata=[JSONPathFilter(path="user.odd", eq=True)])
    names = [item.name async for item in live_client.iter_nodes(
        live_client.list_items, dataset_id=ds.id, filter_=odd, page_size=200,
        order_by=[ItemOrder(field=ItemOrderField.NAME)],
    )]
    assert names == [f"{i:04}.jpg" for i in range(1, 1500, 2)]
    assert (await live_client.get_dataset(id=ds.id)).items_count == 1500
    with pytest.raises(LimitExceededError):
        await live_client.list_items(dataset_id=ds.id, first=5000)


def test_sync_client_over_http(live_sync_client: SyncClient):
    client = live_sync_client
    org = client.create_organization(name="Script Org").organization
    project = client.create_project(organization_id=org.id, name="Notebook").project
    ds = client.create_dataset(project_id=project.id, name="scans").dataset
    created = client.create_items(dataset_id=ds.id, items=[ItemCreateInput(name=f"{i}.png") for i in range(25)])
    assert len(created.items) == 25
    names = [item.name for item in client.iter_nodes(client.list_items, dataset_id=ds.id, page_size=10)]
    assert sorted(names) == sorted(f"{i}.png" for i in range(25))

    item = created.items[0]
    updated = client.update_item(id=item.id, metadata={"checked": True}).item
    assert updated.metadata["user"] == {"checked": True}
    with pytest.raises(MutationError) as caught:
        client.create_items(dataset_id=ds.id, items=[ItemCreateInput(name="0.png")])
    assert caught.value.code == "DUPLICATE"
    with pytest.raises(LimitExceededError) as limit:
        client.list_items(dataset_id=ds.id, first=5000)
    assert limit.value.code == "LIMIT_EXCEEDED"
    assert client.request("query($id: ID!) { dataset(id: $id) { itemsCount } }", {"id": ds.id}) == {
        "dataset": {"itemsCount": 25}}


async def test_graphql_transport_ws(live_client: Client):
    """The WebSocket transport subscriptions use (graphql-transport-ws, with the token in connection_init);
    a query over it, which the protocol allows (test_watch_dataset_subscription runs a subscription)."""
    org = (await live_client.create_organization(name="Socket Org")).organization
    results = [data async for data in live_client.execute_ws(
        "query GetOrg($id: ID!) { organization(id: $id) { name } }", "GetOrg", {"id": org.id},
    )]
    assert results == [{"organization": {"name": "Socket Org"}}]


async def test_graphql_transport_ws_errors_are_typed(labelgraph_server, live_client: Client):
    with pytest.raises(GraphQLError) as caught:  # refused before it runs: an "error" message
        [data async for data in live_client.execute_ws("query Nope { nope }", "Nope")]
    assert "nope" in caught.value.message
    async with Client(labelgraph_server.graphql_url, "") as anonymous:  # no token: the server closes the socket
        with pytest.raises(UnauthenticatedError):
            [data async for data in anonymous.execute_ws("query { me { id } }")]
    async with Client(f"http://127.0.0.1:{free_port()}/graphql", "lg_x") as nowhere:
        with pytest.raises(TransportError):
            [data async for data in nowhere.execute_ws("query { me { id } }")]


async def test_watch_dataset_subscription(live_client: Client):
    """A real subscription through the generated async client against the live server: datasetChanged streams
    the changes committed by other requests, in commit order."""
    import asyncio

    org = (await live_client.create_organization(name="Watch Org")).organization
    project = (await live_client.create_project(organization_id=org.id, name="Watch")).project
    ds = (await live_client.create_dataset(project_id=project.id, name="frames")).dataset
    stream = live_client.watch_dataset(dataset_id=ds.id)
    received: list = []

    async def consume() -> None:
        async for change in stream:
            received.append(change)
            if change.action.value == "DELETED":
                return

    consumer = asyncio.create_task(consume())
    # the stream is in place once it carries a change committed after it opened: commit probes until one arrives
    # (the server runs in another process, so its subscriber count cannot be awaited)
    probes: set[str] = set()
    while not received:
        [probe] = (await live_client.create_items(dataset_id=ds.id, items=[
            ItemCreateInput(name=f"probe-{len(probes)}.jpg")])).items
        probes.add(probe.id)
        with contextlib.suppress(AssertionError):
            await eventually(lambda: received, timeout=0.5, what="a probe")
    [item] = (await live_client.create_items(dataset_id=ds.id, items=[ItemCreateInput(name="a.jpg")])).items
    await live_client.update_item(id=item.id, metadata={"checked": True})
    # a change carries the entity as it is when the change is sent ("null once deleted"): let the update
    # arrive before deleting, or it may already show the item gone
    await eventually(lambda: sum(c.id == item.id for c in received) == 2, timeout=15, what="the item's update")
    await live_client.delete_items(ids=[item.id])
    await asyncio.wait_for(consumer, 15)
    assert all(c.id in probes and c.action.value == "CREATED" for c in received if c.id != item.id)
    changes = [c for c in received if c.id == item.id]
    assert [(c.action.value, c.resource.value, c.id) for c in changes] == [
        ("CREATED", "ITEM", item.id), ("UPDATED", "ITEM", item.id), ("DELETED", "ITEM", item.id)]
    assert changes[1].item.metadata["user"] == {"checked": True} and changes[2].item is None


async def _sleep_service(client: Client, name: str) -> str:
    from labelgraph_client import (
        CodebaseInput,
        FunctionIOInput,
        FunctionIOType,
        PackageCreateInput,
        PackageFunctionInput,
        PackageModuleInput,
        ServiceCreateInput,
    )

    org = (await client.create_organization(name=f"{name} Org")).organization
    project = (await client.create_project(organization_id=org.id, name=name)).project
    package = (await client.create_package(PackageCreateInput(
        project_id=project.id, name=name, codebase=CodebaseInput(reference="labelgraph.samples.basic:Basic"),
        modules=[PackageModuleInput(functions=[PackageFunctionInput(name="sleep", inputs=[
            FunctionIOInput(type=FunctionIOType.FLOAT, name="seconds")])])]))).package
    return (await client.create_service(ServiceCreateInput(package_id=package.id, name=name))).service.id


async def test_watch_execution_and_wait_for_execution(live_client: Client):
    """The live server's embedded worker runs the executions; the client follows one over graphql-transport-ws
    (every version in order, ending with SUCCESS), and wait_for_execution returns the ended execution."""
    service = await _sleep_service(live_client, "Waiting")
    exe = (await live_client.create_execution(service_id=service, function_name="sleep",
                                              input={"seconds": 0.4})).execution
    states = [s async for s in live_client.watch_execution(id=exe.id)]
    assert [s.version for s in states] == list(range(states[0].version, states[-1].version + 1))
    assert states[-1].status.value == "SUCCESS" and states[-1].output == {"slept": 0.4}
    assert any(s.latest_status.message == "half way" for s in states)

    second = (await live_client.create_execution(service_id=service, function_name="sleep",
                                                 input={"seconds": 0.3})).execution
    done = await live_client.wait_for_execution(second.id, timeout=30)
    assert done.id == second.id and done.status.value == "SUCCESS" and done.status_log[-1].status.value == "SUCCESS"


async def test_wait_for_execution_polls_when_websockets_are_unavailable(labelgraph_server, live_client: Client):
    """A client whose WebSocket cannot connect (here: a port nobody listens on) still gets the ended execution,
    by polling."""
    service = await _sleep_service(live_client, "Polling")
    exe = (await live_client.create_execution(service_id=service, function_name="sleep",
                                              input={"seconds": 0.3})).execution
    async with Client(labelgraph_server.graphql_url, labelgraph_server.token,
                      ws_url=f"ws://127.0.0.1:{free_port()}/graphql") as no_ws:
        done = await no_ws.wait_for_execution(exe.id, timeout=30, poll_interval=0.2)
        assert done.status.value == "SUCCESS"
        with pytest.raises(TimeoutError):
            slow = (await live_client.create_execution(service_id=service, function_name="sleep",
                                                       input={"seconds": 5})).execution
            await no_ws.wait_for_execution(slow.id, timeout=0.5, poll_interval=0.1)


async def test_sync_client_waits_by_polling(live_sync_client: SyncClient, live_client: Client):
    service = await _sleep_service(live_client, "Sync wait")
    exe = live_sync_client.create_execution(service_id=service, function_name="sleep",
                                            input={"seconds": 0.2}).execution
    assert live_sync_client.wait_for_execution(exe.id, timeout=30, poll_interval=0.1).status.value == "SUCCESS"
