"""Stopping the trigger matcher while it matches a batch: the stop lets the batch finish instead of cancelling
it inside its transaction. Cancelled there, on SQLite the write lock stayed with a connection nobody closed: the
outbox dispatcher's last marks at shutdown then waited out the 15 s busy timeout and failed (those events were
published a second time after the next start); seen as 15 s teardowns in the suite."""

from __future__ import annotations

import asyncio

from faas_support import TRIGGER, deploy, executions_of

from labelgraph.engine import matching


async def test_stopping_the_matcher_lets_the_batch_in_flight_commit(gql, build, app, monkeypatch):
    project = await build.project()
    dataset = await build.dataset(project)
    _, service = await deploy(gql, project)
    await gql(TRIGGER, {"input": {"serviceId": service, "functionName": "noop", "resource": "ITEM",
                                  "actions": ["CREATED"], "executionMode": "ALWAYS"}})
    matcher = app.state.labelgraph["engine"].matcher
    await matcher.drain()  # everything committed so far is matched: the next batch with events is the items'
    in_batch, finish = asyncio.Event(), asyncio.Event()
    real_match_batch = matching.match_batch

    async def held_in_its_transaction(uow):
        matched = await real_match_batch(uow)
        if matched:  # the items' batch (a poll may come first and find nothing)
            in_batch.set()
            await finish.wait()
        return matched

    monkeypatch.setattr(matching, "match_batch", held_in_its_transaction)
    await build.items(dataset, [{"name": f"{i}.jpg"} for i in range(3)])
    await asyncio.wait_for(in_batch.wait(), 10)

    stopping = asyncio.create_task(matcher.stop())
    await asyncio.sleep(0)
    finish.set()
    await asyncio.wait_for(stopping, 10)
    assert len(await executions_of(gql, service)) == 3  # the batch committed: one execution per item
