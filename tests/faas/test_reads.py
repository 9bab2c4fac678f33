"""Reads of the execution plane: lists with filters and keyset pages, bounded SQL statements, scoping."""

from __future__ import annotations

from faas_support import TRIGGER, deploy, execute

LIST = """query($p: ID!, $first: Int) { executions(first: $first, filter: {projectId: $p}, orderBy: [{field: CREATED_AT,
  direction: DESC}]) { totalCount nodes { id status version latestStatus { status } service { id name package { id
  name } } trigger { id name } } } }"""


async def test_listing_executions_with_service_and_trigger_is_bounded(gql, faas):
    await gql(TRIGGER, {"input": {"serviceId": faas.service, "functionName": "noop", "cron": "0 0 1 1 *"}})
    services = [faas.service] + [(await deploy(gql, faas.project, name=f"s{i}"))[1] for i in range(3)]
    counts = []
    for n in (4, 40):
        for i in range(n - (4 if n == 40 else 0)):
            await execute(gql, services[i % len(services)], "noop")
        data = await gql(LIST, {"p": faas.project, "first": 100})
        assert data["executions"]["totalCount"] == n
        assert {e["service"]["package"]["id"] is not None for e in data["executions"]["nodes"]} == {True}
        counts.append(gql.last_statements)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8, counts


async def test_filters_and_nested_lists(gql, faas):
    a = await execute(gql, faas.service, "noop")
    await execute(gql, faas.service, "echo")
    await gql("mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { code } } }", {"id": a["id"]})
    data = await gql("""query($p: ID!, $s: ID!) {
      terminated: executions(filter: {projectId: $p, statuses: [TERMINATED]}) { totalCount nodes { id } }
      echo: executions(filter: {serviceId: $s, functionName: {eq: "echo"}}) { totalCount }
      service(id: $s) { executions(first: 1) { totalCount pageInfo { hasNextPage } }
                        triggers { totalCount } package { services { nodes { id } } } } }""",
                     {"p": faas.project, "s": faas.service})
    assert data["terminated"] == {"totalCount": 1, "nodes": [{"id": a["id"]}]}
    assert data["echo"]["totalCount"] == 1
    assert data["service"]["executions"] == {"totalCount": 2, "pageInfo": {"hasNextPage": True}}
    assert data["service"]["package"]["services"]["nodes"] == [{"id": faas.service}]


async def test_reads_are_scoped_to_the_callers_projects(gql, faas, as_user):
    exe = await execute(gql, faas.service, "noop")
    stranger = await as_user("stranger@else.test")
    data = await stranger("""query($e: ID!, $p: ID!) { execution(id: $e) { id } node(id: $e) { id }
      executions(filter: {projectId: $p}) { totalCount } }""", {"e": exe["id"], "p": faas.project})
    assert data == {"execution": None, "node": None, "executions": {"totalCount": 0}}
