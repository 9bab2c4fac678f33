"""The compiled path: one SQL statement per root field (plus one for authentication), the fallbacks, the same
errors as the resolver path, authorization pushed into the SQL, and the switch that turns it off."""

from __future__ import annotations

import httpx
import orjson
from compiler_support import both
from support import GQL, Builder

from labelgraph.app import create_app
from labelgraph.graph.compiler import COMPILED_HEADER, COMPILER_HEADER
from labelgraph.graph.compiler import execute as compiled_execute
from labelgraph.settings import Settings

REFERENCE = """query($p: ID!) { project(id: $p) { id name datasets { nodes { id name
  items(first: 50) { nodes { id name filename mimetype metadata createdAt annotations { nodes { id label type
  coordinates } } } } } } } }"""


async def _reference_world(build: Builder) -> str:
    project = await build.project()
    for n in range(3):
        ds = await build.dataset(project, f"ds-{n}")
        items = await build.items(ds, [{"name": f"{i}.jpg", "metadata": {"n": i}} for i in range(60)])
        await build.boxes([i["id"] for i in items], per_item=2)
    return project


async def test_reference_screen_is_one_statement(gql: GQL, build: Builder):
    project = await _reference_world(build)
    on, off, compiled = await both(gql, REFERENCE, {"p": project})
    assert compiled and on == off
    await gql(REFERENCE, {"p": project})
    assert gql.last_response.headers[COMPILED_HEADER] == "1"
    assert gql.last_statements == 2  # authentication + the project's statement
    data = orjson.loads(on)["data"]["project"]
    assert sum(len(d["items"]["nodes"]) for d in data["datasets"]["nodes"]) == 150
    await gql(REFERENCE, {"p": project}, headers={COMPILER_HEADER: "off"})
    assert gql.last_statements > 2


async def test_one_statement_per_root_field(gql: GQL, build: Builder):
    project = await _reference_world(build)
    query = """query($p: ID!) { a: project(id: $p) { name } b: project(id: $p) { datasets { totalCount } }
      organizations(first: 2) { totalCount nodes { name projects { nodes { name } } } } __typename }"""
    on, off, compiled = await both(gql, query, {"p": project})
    assert compiled and on == off
    await gql(query, {"p": project})
    assert gql.last_statements == 4
    # an id of another type answers null without a statement, like the resolver path
    ds = (await gql("query($p: ID!) { project(id: $p) { datasets(first: 1) { nodes { id } } } }",
                    {"p": project}))["project"]["datasets"]["nodes"][0]["id"]
    data = await gql("query($d: ID!) { project(id: $d) { name } dataset(id: $d) { name } }", {"d": ds})
    assert data == {"project": None, "dataset": {"name": "ds-0"}}
    assert gql.last_statements == 2


async def test_computed_fields_and_directives_fall_back(gql: GQL, build: Builder):
    project = await _reference_world(build)
    for query in (
        "query($p: ID!) { project(id: $p) { name viewerRole datasets { nodes { name } } } }",
        "query($p: ID!) { project(id: $p) { datasets { nodes { labels { tag } } } } }",
        "query($p: ID!, $s: Boolean!) { project(id: $p) { name @skip(if: $s) } }",
        "query($p: ID!) { project(id: $p) { datasets(last: 2) { nodes { name } } } }",
    ):
        on, off, compiled = await both(gql, query, {"p": project, "s": True})
        assert not compiled, query
        assert on == off, query
        assert b'"errors"' not in on, on


async def test_root_fields_the_compiler_cannot_express_run_on_resolvers_beside_compiled_ones(gql: GQL,
                                                                                           build: Builder):
    project = await _reference_world(build)
    query = """query($p: ID!) { me { email } a: project(id: $p) { name datasets { totalCount } }
      b: project(id: $p) { viewerRole } c: project(id: $p) { datasets(first: 0) { totalCount } } }"""
    on, off, compiled = await both(gql, query, {"p": project})
    assert compiled and on == off
    body = orjson.loads(on)
    assert list(body["data"]) == ["me", "a", "b", "c"]
    assert body["data"]["a"]["datasets"]["totalCount"] == 3
    assert [e["path"] for e in body["errors"]] == [["c", "datasets"]]
    # a non-null root field that fails on the resolver path nulls the whole data, as on the resolver path
    on, off, compiled = await both(gql, "query($p: ID!) { a: project(id: $p) { name } organizations(first: 0) "
                                        "{ totalCount } me { email } }", {"p": project})
    assert on == off and orjson.loads(on)["data"] is None


async def test_arguments_the_resolver_path_refuses_answer_its_errors(gql: GQL, build: Builder):
    project = await _reference_world(build)
    for args in ('first: 1001', 'first: 0', 'after: "bm90IGEgY3Vyc29y"',
                 'filter: {name: {glob: ""}}', 'orderBy: [{field: NAME}], after: "WyJjcmVhdGVkX2F0KyxpZCsiLFtdXQ"'):
        query = f"query($p: ID!) {{ project(id: $p) {{ datasets({args}) {{ nodes {{ name }} }} }} }}"
        on, off, compiled = await both(gql, query, {"p": project})
        assert not compiled
        assert on == off
        assert orjson.loads(on)["errors"], args


async def test_pages_and_cursors_match(gql: GQL, build: Builder):
    project = await _reference_world(build)
    query = """query($p: ID!, $after: String) { project(id: $p) { datasets(first: 2, after: $after,
      orderBy: [{field: NAME, direction: DESC}]) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor
      endCursor } edges { cursor node { name items(first: 7, filter: {name: {glob: "1*"}}, orderBy: [{field: NAME}])
      { totalCount pageInfo { hasNextPage endCursor } edges { node { name } cursor } } } } } } }"""
    on, off, compiled = await both(gql, query, {"p": project})
    assert compiled and on == off
    end = orjson.loads(on)["data"]["project"]["datasets"]["pageInfo"]["endCursor"]
    on, off, compiled = await both(gql, query, {"p": project, "after": end})
    assert compiled and on == off
    page = orjson.loads(on)["data"]["project"]["datasets"]
    assert [e["node"]["name"] for e in page["edges"]] == ["ds-0"]
    assert page["pageInfo"]["hasPreviousPage"] is True and page["pageInfo"]["hasNextPage"] is False


async def test_authorization_is_in_the_sql(gql: GQL, build: Builder, as_user):
    owner = await as_user("owner@acme.test")
    ob = Builder(owner)
    org = await ob.org("Acme")
    mine = await ob.project(org, "Mine")
    await ob.dataset(mine, "visible")
    stranger = await as_user("stranger@other.test")
    sb = Builder(stranger)
    theirs = await sb.project(await sb.org("Other"), "Theirs")
    their_ds = await sb.dataset(theirs, "hidden")
    query = """query($p: ID!, $d: ID!) { project(id: $p) { name datasets { totalCount nodes { name } } }
      dataset(id: $d) { name } organizations { totalCount nodes { name projects { nodes { name } } } } }"""
    on, off, compiled = await both(owner, query, {"p": theirs, "d": their_ds})
    assert compiled and on == off
    data = orjson.loads(on)["data"]
    assert data["project"] is None and data["dataset"] is None
    assert [o["name"] for o in data["organizations"]["nodes"]] == ["Acme"]
    on, off, compiled = await both(owner, query, {"p": mine, "d": their_ds})
    assert compiled and on == off
    # a non-null relation to a row of another scope (project → organization) runs on the resolver path for
    # callers who are not platform admins; admins compile it
    query = "query($p: ID!) { project(id: $p) { organization { name } } }"
    on, off, compiled = await both(owner, query, {"p": mine})
    assert not compiled and on == off
    on, off, compiled = await both(gql, query, {"p": mine})
    assert compiled and on == off


async def test_plans_are_cached_per_document(gql: GQL, build: Builder, monkeypatch):
    """Counted where the work happens (plans planned, statement sets built), not by cache sizes, which stay
    the same once the caches are full whether or not they hit."""
    compiled: list[str] = []

    class CountingPlanner(compiled_execute.Planner):
        def operation(self, op):
            compiled.append("plan")
            return super().operation(op)

    class CountingBuilder(compiled_execute.SQLBuilder):
        def __init__(self, *args, **kw):
            compiled.append("statements")
            super().__init__(*args, **kw)

    monkeypatch.setattr(compiled_execute, "Planner", CountingPlanner)
    monkeypatch.setattr(compiled_execute, "SQLBuilder", CountingBuilder)
    project = await _reference_world(build)
    document = REFERENCE + "  # test_plans_are_cached_per_document"  # a document no other test has run
    await gql(document, {"p": project})
    assert gql.last_response.headers[COMPILED_HEADER] == "1"
    assert compiled == ["plan", "statements"]
    await gql(document, {"p": project})
    await gql(document, {"p": project})
    assert gql.last_response.headers[COMPILED_HEADER] == "1"
    assert compiled == ["plan", "statements"]  # nothing planned or built again


async def test_the_compiler_can_be_turned_off(settings: Settings, admin_token: str):
    assert Settings.from_env({"LABELGRAPH_COMPILER": "off"}).compiler is False
    assert Settings.from_env({}).compiler is True
    app = create_app(settings.with_(compiler=False), migrate=False)
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http):
        gql = GQL(http, admin_token)
        await gql("{ organizations { totalCount } }")
        assert COMPILED_HEADER not in gql.last_response.headers


async def test_node_compiles_by_the_ids_type(gql: GQL, build: Builder):
    project = await _reference_world(build)
    query = """query($id: ID!) { node(id: $id) { id __typename ... on Project { name datasets(first: 2) {
      nodes { name } } } ... on Dataset { itemsCount } } }"""
    on, off, compiled = await both(gql, query, {"id": project})
    assert compiled and on == off
    assert orjson.loads(on)["data"]["node"]["__typename"] == "Project"
    await gql(query, {"id": project})
    assert gql.last_statements == 2
    for id_ in ("nope_123", "zzz"):  # no type of that prefix: null without a statement
        on, off, compiled = await both(gql, query, {"id": id_})
        assert compiled and on == off == b'{"data":{"node":null}}'
    recipe = (await gql("query($p: ID!) { project(id: $p) { datasets(first: 1) { nodes { recipe { id } } } } }",
                        {"p": project}))["project"]["datasets"]["nodes"][0]["recipe"]["id"]
    on, off, compiled = await both(gql, "query($id: ID!) { node(id: $id) { id } }", {"id": recipe})
    assert not compiled and on == off  # recipes are not compiled: the resolver path answers
