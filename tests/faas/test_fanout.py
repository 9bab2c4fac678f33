"""Subscription fan-out (events/fanout.py): subscribers sharing a document, its variables and a visibility scope
share one execution of each change (one feed), and nobody gets a frame they could not query."""

from __future__ import annotations

import contextlib

from faas_support import deploy, execute
from support import WS, eventually

from labelgraph.app import GraphQLApp

WATCH_ALL = "subscription { executionsUpdated { id version status } }"
WATCH = "subscription($id: ID!) { executionUpdated(id: $id) { id version status } }"
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
