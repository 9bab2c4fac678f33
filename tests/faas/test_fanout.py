"""Subscription fan-out (events/fanout.py): subscribers sharing a document, its variables and a visibility scope
share one execution of each change (one feed), and nobody gets a frame they could not query."""

from __future__ import annotations

import contextlib

import pytest
from faas_support import CLAIM, deploy, execute
from support import WS, eventually, serving

from labelgraph.app import GraphQLApp

WATCH_ALL = "subscription { executionsUpdated { id version status } }"
WATCH = "subscription($id: ID!) { executionUpdated(id: $id) { id version status } }"
PROGRESS = """mutation($id: ID!, $w: String!, $p: Int!) { executionProgress(input: {id: $id, workerId: $w,
  percentComplete: $p}) { execution { version } errors { message } } }"""
TERMINATE = "mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { message } } }"


def _feeds(app) -> dict:
    view = next(r.endpoint for r in app.routes if isinstance(getattr(r, "endpoint", None), GraphQLApp))
    return view.feeds.feeds if "feeds" in view.__dict__ else {}


async def test_subscribers_share_a_feed_per_scope_and_see_only_what_they_may_query(gql, build, faas, app, served,
                                                                                     as_user, admin_token):
    project_a, service_a = faas.project, faas.service
    project_b = await build.project(name="Elsewhere")
    _, service_b = await deploy(gql, project_b, name="other")
    roles = {"eng-a@example.com": [(project_a, "ENGINEER")], "eng-b@example.com": [(project_b, "ENGINEER")],
             "both@example.com": [(project_a, "ENGINEER"), (project_b, "ANNOTATOR")],
             "annotator-a@example.com": [(project_a, "ANNOTATOR")]}
    callers = {}
    for email, grants in roles.items():
        for project, role in grants:
            await gql("""mutation($p: ID!, $e: String!, $r: ProjectRole!) { projectMemberAdd(input: {projectId: $p,
              email: $e, role: $r}) { errors { message } } }""", {"p": project, "e": email, "r": role})
        callers[email] = await as_user(email)
    tokens = {email: c.token for email, c in callers.items()} | {"admin": admin_token}
    watched = await execute(gql, service_a, "noop")  # executionUpdated(id) of a project-A execution

    async with contextlib.AsyncExitStack() as stack:
        sockets = {}  # (user, n) → WS: two connections per user
        for user, token in tokens.items():
            for n in range(2):
                ws = sockets[user, n] = await stack.enter_async_context(WS.open(served, token))
                await ws.subscribe("all", WATCH_ALL)
                await ws.subscribe("one", WATCH, {"id": watched["id"]})
        # one executionsUpdated feed per scope (5), not per subscriber (10), every one subscribed to the broker
        await eventually(lambda: sorted(len(f.members) for f in _feeds(app).values() if "executionsUpdated"
                                        in f.key[0]) == [2] * 5, what="five shared feeds of two members")
        first = {key: await ws.receive() for key, ws in sockets.items()}  # executionUpdated's current state
        for (user, _), message in first.items():
            assert message["id"] == "one", message
            if user in ("eng-b@example.com",):
                assert message["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
                assert await sockets[user, _].receive() == {"id": "one", "type": "complete"}
            else:
                assert message["payload"]["data"]["executionUpdated"]["id"] == watched["id"]
        broker = app.state.labelgraph["broker"]
        await eventually(lambda: broker.subscriber_count() >= 5 + 1, what="the feeds' broker subscriptions")

        created = {"a": await execute(gql, service_a, "noop"), "b": await execute(gql, service_b, "noop")}
        await gql(TERMINATE, {"id": watched["id"]})
        sentinels = {"a": await execute(gql, service_a, "noop"), "b": await execute(gql, service_b, "noop")}

        queryable = {}  # what each caller can query, asked the way a user would
        for user in tokens:
            caller = callers.get(user, gql)
            found = set()
            for e in [watched, *created.values(), *sentinels.values()]:
                if (await caller("query($id: ID!) { execution(id: $id) { id } }", {"id": e["id"]}))["execution"]:
                    found.add(e["id"])
            queryable[user] = found
        assert queryable["eng-b@example.com"] == {created["b"]["id"], sentinels["b"]["id"]}
        assert queryable["admin"] == {e["id"] for e in [watched, *created.values(), *sentinels.values()]}

        frames = {}
        for (user, n), ws in sockets.items():
            sees_a = watched["id"] in queryable[user]
            wanted = queryable[user]  # (the sentinels, committed last in each project, come last)
            every: list[tuple[str, int]] = []  # executionsUpdated: (id, version)
            one: list[int] = [first[user, n]["payload"]["data"]["executionUpdated"]["version"]] if sees_a else []
            one_done = not sees_a
            while not (wanted <= {id_ for id_, _ in every} and one_done):
                message = await ws.receive()
                if message == {"id": "one", "type": "complete"}:
                    one_done = True
                    continue
                assert message["type"] == "next", message
                if message["id"] == "all":
                    e = message["payload"]["data"]["executionsUpdated"]
                    assert e["id"] in queryable[user], (user, e)  # never a frame the caller could not query
                    every.append((e["id"], e["version"]))
                else:
                    one.append(message["payload"]["data"]["executionUpdated"]["version"])
            frames[user, n] = (every, one)
            # nobody gets a frame they could not query, and nobody misses one they could
            assert {id_ for id_, _ in every} == queryable[user], (user, every)
            assert one == ([1, 2] if sees_a else []), (user, one)
        for user in tokens:  # the two connections of a caller got the same frames
            assert frames[user, 0] == frames[user, 1], user


@pytest.mark.parametrize("compression", [False, True], ids=["frames-written-once", "permessage-deflate"])
async def test_every_subscriber_of_a_feed_gets_every_change_in_order(gql, faas, app, admin_token, compression):
    """A feed's frame is made once and written straight to each idle subscriber's socket; with permessage-deflate
    negotiated (LABELGRAPH_WS_COMPRESSION=on) each frame goes the usual, per-connection way. Either way every
    subscriber gets every change, in order, as the same message."""
    watched = await execute(gql, faas.service, "noop")
    [claim] = (await gql(CLAIM, {"w": "w-1", "s": [faas.service], "m": 1}))["executionsClaim"]["claims"]
    assert claim["execution"]["id"] == watched["id"]
    async with serving(app, compression=compression) as url, contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(WS.open(url, admin_token)) for _ in range(4)]
        for n, ws in enumerate(sockets):
            await ws.subscribe(f"op-{n % 2}", WATCH, {"id": watched["id"]})  # two operation ids: two frames made
        first = [await ws.receive() for ws in sockets]
        start = first[0]["payload"]["data"]["executionUpdated"]["version"]
        versions = []
        for p in range(1, 21):  # as fast as the worker can report: frames may queue behind each other
            result = (await gql(PROGRESS, {"id": watched["id"], "w": "w-1", "p": p}))["executionProgress"]
            assert not result["errors"], result
            versions.append(result["execution"]["version"])
        for n, ws in enumerate(sockets):
            got = [first[n]["payload"]["data"]["executionUpdated"]["version"]]
            while got[-1] != versions[-1]:
                message = await ws.receive()
                assert message["type"] == "next" and message["id"] == f"op-{n % 2}", message
                assert message["payload"]["data"]["executionUpdated"]["id"] == watched["id"]
                got.append(message["payload"]["data"]["executionUpdated"]["version"])
            assert got == [start, *versions], (n, got)
