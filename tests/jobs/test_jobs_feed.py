"""commandsUpdated(filter): the project-wide job feed a Jobs page follows. Every committed change of the jobs the
filter selects and the caller may see, per job in version order from version 1 (a job started by someone else
appears), nothing of other projects; an unknown or foreign project is NOT_FOUND."""

from __future__ import annotations

import lg_job_fixtures  # noqa: F401  (registers the test.gate job type in this process)
from support import WS, Builder, subscribers_reach

from labelgraph.jobs import queue

FEED = """subscription($f: CommandFilter) { commandsUpdated(filter: $f) { id type status progress version } }"""
CLONE = """mutation($i: DatasetCloneInput!) { datasetClone(input: $i) { command { id } errors { code message } } }"""
ABORT = "mutation($id: ID!) { commandAbort(input: {id: $id}) { errors { code message } } }"
GET = "query($id: ID!) { command(id: $id) { status version } }"
ENDED = ("SUCCESS", "FAILED", "ABORTED")


async def test_the_feed_follows_a_projects_jobs_in_version_order_and_nothing_else(app, gql, served, as_user,
                                                                                  admin_token, tmp_path):
    b = Builder(gql)
    project, elsewhere = await b.project(name="Jobs here"), await b.project(name="Jobs elsewhere")
    source, hidden_source = await b.dataset(project, "source"), await b.dataset(elsewhere, "hidden")
    await b.items(source, [{"name": "a.jpg"}, {"name": "b.jpg"}])
    await b.items(hidden_source, [{"name": "c.jpg"}])
    engineer = "feed-engineer@example.com"
    await gql("""mutation($p: ID!, $e: String!) { projectMemberAdd(input: {projectId: $p, email: $e,
      role: ENGINEER}) { errors { message } } }""", {"p": project, "e": engineer})
    eng = await as_user(engineer)
    broker = app.state.labelgraph["broker"]
    idle = broker.subscriber_count()
    async with (WS.open(served, eng.token) as mine, WS.open(served, admin_token) as admin):
        await mine.subscribe("project", FEED, {"f": {"projectId": project}})
        await mine.subscribe("mine", FEED, {})  # no filter: every project the engineer may read
        await mine.subscribe("gates", FEED, {"f": {"projectId": project, "types": ["test.gate"]}})
        await mine.subscribe("ended", FEED, {"f": {"projectId": project, "statuses": ["ABORTED"]}})
        await mine.subscribe("theirs", FEED, {"f": {"projectId": elsewhere}})
        refused = await mine.receive()  # a project the engineer is not in: not found, and the operation ends
        assert refused["id"] == "theirs" and refused["payload"]["data"] is None
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert "projectId" in str(refused["payload"]["errors"][0]["extensions"]["field"])
        assert await mine.receive() == {"id": "theirs", "type": "complete"}
        await admin.subscribe("everything", FEED, {})
        await subscribers_reach(broker, idle + 5)  # project, mine, gates, ended, everything

        # started by someone else (the admin), after the subscriptions: a clone here, one elsewhere, a job that waits
        hidden = (await gql(CLONE, {"i": {"datasetId": hidden_source, "name": "h"}}))["datasetClone"]["command"]["id"]
        clone = (await gql(CLONE, {"i": {"datasetId": source, "name": "copy"}}))["datasetClone"]["command"]["id"]
        async with app.state.labelgraph["db"].transaction() as uow:
            gate = await queue.create(uow, "test.gate", project, {"gate": str(tmp_path / "never"),
                                                                  "datasetId": source, "count": 1})
        seen: dict[str, list[dict]] = {"project": [], "mine": [], "gates": [], "ended": []}
        running = False
        while not (seen["project"] and seen["ended"]
                   and {c["id"] for c in seen["project"] if c["status"] in ENDED} == {clone, gate}):
            message = await mine.receive(30)
            assert message["type"] == "next" and not message["payload"].get("errors"), message
            command = message["payload"]["data"]["commandsUpdated"]
            seen[message["id"]].append(command)
            if command["id"] == gate and command["status"] == "IN_PROGRESS" and not running:
                running = True
                assert (await gql(ABORT, {"id": gate}))["commandAbort"]["errors"] == []
        everything = []
        while {c["id"] for c in everything if c["status"] in ENDED} != {hidden, clone, gate}:
            everything.append((await admin.next("everything", 30))["commandsUpdated"])

    def versions(stream: list[dict], id_: str) -> list[int]:
        return [c["version"] for c in stream if c["id"] == id_]

    for stream in ("project", "mine"):
        assert {c["id"] for c in seen[stream]} == {clone, gate}  # never the other project's job
        for id_ in (clone, gate):  # from version 1, every version once, in order
            assert versions(seen[stream], id_) == list(range(1, len(versions(seen[stream], id_)) + 1))
    final = {id_: (await gql(GET, {"id": id_}))["command"] for id_ in (clone, gate)}
    assert [c for c in seen["project"] if c["id"] == clone][-1]["status"] == "SUCCESS"
    assert [c for c in seen["project"] if c["id"] == gate][-1]["status"] == "ABORTED"
    assert versions(seen["project"], gate)[-1] == final[gate]["version"]
    assert {c["id"] for c in seen["gates"]} == {gate} and seen["gates"][0]["type"] == "test.gate"
    assert [(c["id"], c["status"]) for c in seen["ended"]] == [(gate, "ABORTED")]
    assert {c["id"] for c in everything} == {hidden, clone, gate}  # the admin sees every project


async def test_a_bad_filter_is_refused_naming_the_field(served, admin_token):
    async with WS.open(served, admin_token) as ws:
        await ws.subscribe("1", FEED, {"f": {"projectId": "prj_nosuchproject"}})
        message = await ws.receive()
        assert message["payload"]["data"] is None
        [error] = message["payload"]["errors"]
        assert error["extensions"]["code"] == "NOT_FOUND" and "prj_nosuchproject" in error["message"]
        assert await ws.receive() == {"id": "1", "type": "complete"}


async def test_the_python_client_watches_a_projects_jobs(app, served, gql):
    import asyncio

    from support import ADMIN_TOKEN

    from labelgraph_client import Client, CommandFilter

    b = Builder(gql)
    project = await b.project(name="Watched")
    source = await b.dataset(project, "source")
    await b.items(source, [{"name": "a.jpg"}])
    broker = app.state.labelgraph["broker"]
    idle = broker.subscriber_count()
    seen = []
    async with Client(f"{served}/graphql", ADMIN_TOKEN) as client:
        async def follow() -> None:
            async for command in client.watch_commands(filter_=CommandFilter(project_id=project)):
                seen.append(command)
                if command.status.value in ENDED:
                    return

        following = asyncio.create_task(follow())
        await subscribers_reach(broker, idle + 1)
        clone = (await gql(CLONE, {"i": {"datasetId": source, "name": "copy"}}))["datasetClone"]["command"]["id"]
        await asyncio.wait_for(following, 30)
    assert {c.id for c in seen} == {clone}
    assert [c.version for c in seen] == list(range(1, len(seen) + 1))
    assert seen[0].status.value == "CREATED" and seen[-1].status.value == "SUCCESS" and seen[-1].progress == 100
