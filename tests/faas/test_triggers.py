"""Events → executions (once/always, filters, paused services, inactive triggers) and cron schedules."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from faas_support import TRIGGER, executions_of
from support import Clock

from labelgraph.engine.cron import CronError, CronSpec
from labelgraph.engine.matching import OUTBOX, matches
from labelgraph.engine.scheduler import Scheduler


async def _trigger(gql, service_id: str, **spec) -> str:
    data = await gql(TRIGGER, {"input": {"serviceId": service_id, **spec}})
    assert data["triggerCreate"]["errors"] == [], data
    return data["triggerCreate"]["trigger"]["id"]


async def _settled(gql, app, service_id: str, count: int, timeout: float = 10.0) -> list[dict]:
    """Wait until the service has ``count`` executions, then until no more can arrive: every event in the outbox
    has been through trigger matching (the matcher creates an event's executions in the transaction that marks it
    matched, and events made by that transaction are in the outbox with it). Then the executions."""
    deadline = time.monotonic() + timeout
    while True:
        found = await executions_of(gql, service_id)
        if len(found) >= count or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.05)
    db = app.state.labelgraph["db"]
    unmatched = sa.select(sa.func.count()).select_from(OUTBOX).where(OUTBOX.c.matched_at.is_(None))
    while True:
        async with db.read() as conn:
            left = (await conn.execute(unmatched)).scalar_one()
        if left == 0:
            break
        assert time.monotonic() < deadline, f"{left} outbox events still unmatched after {timeout} s"
        await asyncio.sleep(0.02)
    return await executions_of(gql, service_id)


async def test_item_events_fire_matching_triggers_once_or_always(gql, faas, build, app):
    once = await _trigger(gql, faas.service, name="once", functionName="describe", actions=["CREATED", "UPDATED"],
                          filter={"dir": {"glob": "/train/**"}, "metadata": [{"path": "user.split", "eq": "train"}]})
    always = await _trigger(gql, faas.service, name="always", functionName="describe", actions=["UPDATED"],
                            executionMode="ALWAYS")
    items = await build.items(faas.dataset, [
        {"name": "a.jpg", "dir": "/train/cats", "metadata": {"split": "train"}},
        {"name": "b.jpg", "dir": "/val", "metadata": {"split": "train"}},
        {"name": "c.jpg", "dir": "/train", "metadata": {"split": 5}},
    ])
    update = "mutation($id: ID!, $m: JSON) { itemUpdate(input: {id: $id, metadata: $m}) { errors { code } } }"
    for n in range(2):
        await gql(update, {"id": items[0]["id"], "m": {"n": n}})
    found = await _settled(gql, app, faas.service, 3)
    by_trigger: dict[str, list[dict]] = {}
    for e in found:
        by_trigger.setdefault(e["trigger"]["id"], []).append(e)
    # once: item a matched on creation (and never again); b is outside /train, c's split is a number
    assert [e["input"]["item"]["item_id"] for e in by_trigger[once]] == [items[0]["id"]]
    assert [e["input"]["item"]["item_id"] for e in by_trigger[always]] == [items[0]["id"]] * 2
    assert by_trigger[once][0]["input"]["item"]["dataset_id"] == faas.dataset


async def test_nothing_fires_for_paused_services_or_inactive_triggers(gql, faas, build, app):
    trigger = await _trigger(gql, faas.service, functionName="describe")
    await gql("mutation($s: ID!) { servicePause(input: {id: $s}) { errors { code } } }", {"s": faas.service})
    await build.items(faas.dataset, [{"name": "paused.jpg"}])
    await gql("mutation($s: ID!) { serviceResume(input: {id: $s}) { errors { code } } }", {"s": faas.service})
    await gql("mutation($t: ID!) { triggerUpdate(input: {id: $t, active: false}) { errors { code } } }",
              {"t": trigger})
    await build.items(faas.dataset, [{"name": "inactive.jpg"}])
    await gql("mutation($t: ID!) { triggerUpdate(input: {id: $t, active: true}) { errors { code } } }",
              {"t": trigger})
    [item] = await build.items(faas.dataset, [{"name": "active.jpg"}])
    found = await _settled(gql, app, faas.service, 1)
    assert [e["input"]["item"]["item_id"] for e in found] == [item["id"]]


async def test_dataset_and_annotation_triggers_with_static_input(gql, faas, build, app):
    await _trigger(gql, faas.service, name="ann", functionName="echo", resource="ANNOTATION",
                   filter={"label": {"in": ["car", "truck"]}}, input={"config": {"from": "trigger"}})
    [item] = await build.items(faas.dataset, [{"name": "x.jpg"}])
    await build.boxes([item["id"]], 1, label="car")
    await build.boxes([item["id"]], 1, label="person")
    [found] = await _settled(gql, app, faas.service, 1)
    assert found["input"]["config"] == {"from": "trigger"}
    assert found["input"]["annotation"]["item_id"] == item["id"]


async def test_cron_trigger_fires_every_second_within_its_window(gql, faas, app):
    clock = Clock()
    # a day ahead: the app's own scheduler, on real time, never reaches the window during the test
    start = (clock() + timedelta(days=1)).replace(microsecond=0)
    end = start + timedelta(seconds=2.5)
    trigger = await _trigger(gql, faas.service, functionName="echo", cron="* * * * * *", input={"config": 7},
                             startAt=start.isoformat(), endAt=end.isoformat())
    scheduler = Scheduler(app.state.labelgraph["db"], now=clock)
    for tick in range(-1, 5):  # a scheduler tick every second, from before the window to after it
        clock.set(start + timedelta(seconds=tick + 0.5))
        await scheduler.run_once()
    found = await executions_of(gql, faas.service)
    assert len(found) == 3, found  # start, start + 1 s, start + 2 s; start + 3 s is past endAt
    assert all(e["trigger"]["id"] == trigger and e["input"] == {"config": 7} for e in found)
    data = await gql("query($t: ID!) { trigger(id: $t) { nextFireAt lastFiredAt } }", {"t": trigger})
    assert data["trigger"]["nextFireAt"] is None and data["trigger"]["lastFiredAt"] is not None


def test_cron_specs():
    t = datetime(2026, 11, 23, 10, 15, 30, tzinfo=UTC)
    assert CronSpec.parse("0 3 * * *").next_after(t) == datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert CronSpec.parse("*/20 * * * *").next_after(t) == datetime(2026, 11, 23, 10, 20, tzinfo=UTC)
    assert CronSpec.parse("0 9 * * 1").next_after(t) == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # next Monday
    assert CronSpec.parse("*/10 * * * * *").next_after(t) == datetime(2026, 11, 23, 10, 15, 40, tzinfo=UTC)


@pytest.mark.parametrize(("spec", "says"), [
    ("61 * * * *", "minute 0-59"), ("* * *", "5 fields"), ("* * * * * * *", "5 fields"),
    ("*/0 * * * *", "minute 0-59"), ("0 0 31 2 *", "never matches")])
def test_bad_cron_specs_say_what_is_allowed(spec, says):
    with pytest.raises(CronError, match=says):
        CronSpec.parse(spec)


def test_filter_language_on_payloads():
    payload = {"name": "a.jpg", "dir": "/train/cats", "filename": "/train/cats/a.jpg", "mimetype": "image/jpeg",
               "metadata": {"user": {"split": "train", "score": 0.8}}}
    assert matches({"filename": {"glob": "/train/**/*.jpg"}}, payload)
    assert not matches({"dir": {"glob": "/train/*/x"}}, payload)
    assert matches({"metadata": [{"path": "user.score", "gte": 0.5}]}, payload)
    assert not matches({"metadata": [{"path": "user.split", "eq": 5}]}, payload)
    assert matches({"or": [{"name": "b.jpg"}, {"mimetype": {"in": ["image/jpeg"]}}]}, payload)
    assert not matches({"not": {"name": {"eq": "a.jpg"}}}, payload)
    assert matches({"metadata": [{"path": "user.missing", "exists": False}]}, payload)
