"""No input gives a 500 or an "internal error" (issue 12, point 5): each reproducer found by fuzzing or by hand,
sent over real HTTP, gets a clear refusal naming what is wrong and the limit, and changes nothing.

Bodies that are not what a GraphQL request must be (invalid UTF-8, JSON that is not an object) answer 400 with a
GraphQL error (``BAD_REQUEST``); values checked where JSON enters (jsonvalues.py) answer 400 when they come in
the body and ``BAD_USER_INPUT`` when they are written in the query; limits answer ``LIMIT_EXCEEDED``.
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from support import WS, Builder
from websockets.exceptions import ConnectionClosed

ORGS = "{ organizations(first: 1000) { nodes { name } } }"
ITEMS = """query($d: ID!, $f: ItemFilter) {
  node(id: $d) { ... on Dataset { items(filter: $f) { nodes { name } } } } }"""
ITEMS_CREATE = """mutation($d: ID!, $m: JSON) {
  itemsCreate(input: {datasetId: $d, items: [{name: "a.jpg", metadata: $m}]}) { items { id } errors { message } } }"""


@pytest.fixture
async def api(served: str, admin_token: str):
    async with httpx.AsyncClient(base_url=served, headers={"Authorization": f"Bearer {admin_token}"},
                                 timeout=60) as client:
        yield client


@pytest.fixture
async def dataset(build: Builder) -> str:
    project = await build.project()
    dataset = await build.dataset(project)
    await build.items(dataset, [{"name": "one.jpg", "metadata": {"split": "train", "n": 1}}])
    return dataset


async def post(api: httpx.AsyncClient, query: str, variables: dict | None = None) -> dict:
    response = await api.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    return response.json()


def only_error(body: dict) -> dict:
    assert body.get("errors"), body
    (error,) = body["errors"]
    return error


async def raw(api: httpx.AsyncClient, content: bytes) -> httpx.Response:
    return await api.post("/graphql", content=content, headers={"content-type": "application/json"})


def bad_request(response: httpx.Response) -> str:
    """The message of a 400 answered as a GraphQL error response."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["data"] is None
    error = only_error(body)
    assert error["extensions"]["code"] == "BAD_REQUEST"
    return error["message"]


async def org_names(api: httpx.AsyncClient) -> list[str]:
    return [n["name"] for n in (await post(api, ORGS))["data"]["organizations"]["nodes"]]


# --- page sizes and the node budget ----------------------------------------------------------------------------


async def test_a_page_size_beyond_64_bits_is_refused_as_no_int(api):
    """It used to reach the cost figure, whose encoding failed: a plain-text 500."""
    for size in (2**64, 2**40):
        body = await post(api, f"{{ organizations(first: {size}) {{ nodes {{ id }} }} }}")
        error = only_error(body)
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert f"Int cannot represent non 32-bit signed integer value: {size}" == error["message"]


async def test_a_page_size_variable_beyond_64_bits_is_bad_user_input(api):
    query = "query($n: Int) { organizations(first: $n) { nodes { id } } }"
    error = only_error(await post(api, query, {"n": 2**64}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == ("Variable '$n' has invalid value: Int cannot represent non 32-bit signed integer "
                                "value: 1.8446744073709552e+19")  # JSON numbers beyond 64 bits decode as floats


async def test_nested_page_sizes_whose_product_passes_64_bits_exceed_the_node_budget(api):
    top = 2**31 - 1  # the largest Int: 2^31-1 cubed passes 2^64
    query = (f"{{ organizations(first: {top}) {{ nodes {{ projects(first: {top}) {{ nodes {{ "
             f"datasets(first: {top}) {{ nodes {{ id }} }} }} }} }} }} }}")
    error = only_error(await post(api, query))
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert error["message"] == ("the query may return 2,147,483,647 nodes or more; the limit is 500,000: "
                                "ask for smaller pages")
    assert error["extensions"]["cost"] == top and error["extensions"]["maximum"] == 500_000


# --- integers, nesting and text in JSON values -----------------------------------------------------------------


async def test_a_metadata_integer_beyond_64_bits_is_refused(api, dataset):
    literal = ITEMS.replace("$f: ItemFilter", "").replace(
        "filter: $f", 'filter: {metadata: [{path: "user.n", eq: 9223372036854775808}]}')
    error = only_error(await post(api, literal, {"d": dataset}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == ("the JSON value holds the integer 9223372036854775808, outside 64 bits; integers "
                                "must be between -9223372036854775808 and 9223372036854775807")
    assert error["locations"]  # where in the query

    as_variable = await api.post("/graphql", content=json.dumps({"query": ITEMS, "variables": {
        "d": dataset, "f": {"metadata": [{"path": "user.n", "eq": 9223372036854775808}]}}}),
        headers={"content-type": "application/json"})
    assert bad_request(as_variable) == (
        "the request holds the integer 9223372036854775808 at variables.f.metadata[0]…, outside 64 bits; "
        "integers must be between -9223372036854775808 and 9223372036854775807")

    largest = {"metadata": [{"path": "user.n", "eq": 2**63 - 1}]}  # the limit itself is fine
    assert (await post(api, ITEMS, {"d": dataset, "f": largest}))["data"]["node"]["items"]["nodes"] == []


async def test_variables_nested_1000_levels_are_refused(api):
    def nested(levels: int) -> bytes:
        return ('{"query": "query($v: JSON) { __typename }", "variables": {"v": ' + "[" * levels + "]" * levels
                + "}}").encode()

    assert bad_request(await raw(api, nested(1000))) == ("the request nests 1,002 levels deep at variables.v…; "
                                                         "the limit is 64")
    # deeper than the decoder goes (it stops at 1,024 levels): the depth is no longer measured
    assert bad_request(await raw(api, nested(5000))) == "the request nests more than 64 levels deep; the limit is 64"


async def test_metadata_nested_500_levels_is_refused_and_nothing_is_written(api, dataset):
    deep = 0
    for _ in range(500):
        deep = {"a": deep}
    body = json.dumps({"query": ITEMS_CREATE, "variables": {"d": dataset, "m": deep}})
    assert bad_request(await raw(api, body.encode())) == ("the request nests 502 levels deep at variables.m…; "
                                                          "the limit is 64")

    literal = "{" + "a: {" * 100 + "b: 1" + "}" * 100 + "}"
    error = only_error(await post(api, ITEMS_CREATE.replace("$m: JSON", "").replace("$m", literal),
                                  {"d": dataset}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "the JSON value nests 101 levels deep at a.a…; the limit is 64"

    names = await post(api, ITEMS, {"d": dataset})
    assert [n["name"] for n in names["data"]["node"]["items"]["nodes"]] == ["one.jpg"]


async def test_metadata_nested_up_to_the_limit_is_stored(api, dataset):
    deep: object = 1
    for _ in range(64):
        deep = {"a": deep}
    literal = json.dumps(deep).replace('"a"', "a")  # a GraphQL object literal, 64 levels
    body = await post(api, ITEMS_CREATE.replace("$m: JSON", "").replace("$m", literal), {"d": dataset})
    assert body["data"]["itemsCreate"]["errors"] == []


async def test_a_lone_surrogate_in_a_name_is_refused_naming_the_variable(api):
    before = await org_names(api)
    body = b'{"query": "mutation($n: String!) { organizationCreate(input: {name: $n}) { organization { id } } }", ' \
           b'"variables": {"n": "ab\\ud800"}}'
    assert bad_request(await raw(api, body)) == ("the request holds a lone surrogate ('\\ud800') as character 2 of "
                                                 "a text at variables.n; text must be valid Unicode, without NUL "
                                                 "characters")
    in_query = b'{"query": "mutation { organizationCreate(input: {name: \\"\\\\ud800\\"}) { organization { id } } }"}'
    error = only_error((await raw(api, in_query)).json())  # the GraphQL parser refuses it itself
    assert error["message"].startswith("Syntax Error: Invalid Unicode escape sequence: '\\ud800'.")
    assert await org_names(api) == before


async def test_a_nul_character_is_refused_in_text_and_metadata(api, dataset):
    """PostgreSQL stores no NUL in text or JSON: it used to fail the write there ("internal error")."""
    before = await org_names(api)
    create = "mutation($n: String!) { organizationCreate(input: {name: $n}) { organization { id } } }"
    assert bad_request(await raw(api, json.dumps({"query": create, "variables": {"n": "a\u0000b"}}).encode())) == (
        "the request holds a NUL character (\\u0000) as character 1 of a text at variables.n; text must be valid "
        "Unicode, without NUL characters")
    error = only_error(await post(api, create.replace("($n: String!)", "").replace("$n", '"a\\u0000b"')))
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["message"] == ("the string holds a NUL character (\\u0000) as character 1 of a text; text must "
                                "be valid Unicode, without NUL characters")
    assert await org_names(api) == before

    error = only_error(await post(api, ITEMS_CREATE.replace("$m: JSON", "").replace("$m", '{note: "x\\u0000"}'),
                                  {"d": dataset}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("the JSON value holds a NUL character (\\u0000) as character 1 of a text "
                                       "at note;")


async def test_an_infinite_number_is_refused(api, dataset):
    """``1e400`` parses as infinity: metadata silently stored null for it."""
    error = only_error(await post(api, ITEMS_CREATE.replace("$m: JSON", "").replace("$m", "{size: 1e400}"),
                                  {"d": dataset}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == ("the JSON value holds the number inf at size, which JSON cannot hold; numbers "
                                "must be finite (within ±1.8e308)")
    names = await post(api, ITEMS, {"d": dataset})
    assert [n["name"] for n in names["data"]["node"]["items"]["nodes"]] == ["one.jpg"]


async def test_a_date_beyond_year_9999_is_refused(api, build):
    org = await build.org()
    projects = """query($o: ID!, $t: DateTime) { node(id: $o) { ... on Organization {
      projects(filter: {createdAt: {gt: $t}}) { nodes { id } } } } }"""
    error = only_error(await post(api, projects.replace(", $t: DateTime", "").replace("$t", "99999999999999999"),
                                  {"o": org}))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "DateTime must be an ISO-8601 string or epoch milliseconds within years 1–9999, got 99999999999999999" \
        in error["message"]
    error = only_error(await post(api, projects, {"o": org, "t": 1e300}))
    assert "within years 1–9999, got 1e+300" in error["message"]


# --- cursors ---------------------------------------------------------------------------------------------------


def forged(cursor: str, values: list) -> str:
    """``cursor`` with its ordering values replaced: cursors are base64 JSON, anyone can write one."""
    signature, _ = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return base64.urlsafe_b64encode(json.dumps([signature, values]).encode()).decode().rstrip("=")


async def test_a_forged_cursor_is_refused(api, build):
    await build.org("Second")
    orgs = "query($a: String) { organizations(first: 1, after: $a) { nodes { name } pageInfo { endCursor } } }"
    page = (await post(api, orgs))["data"]["organizations"]
    cursor = page["pageInfo"]["endCursor"]
    created, _ = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))[1]
    for values in ([{"a": 1}, "org_1"], [created, {"a": 1}], [created, 2**63], [created, [1]], [1e300, "org_1"],
                   [True, False], [None, None], ["not a date", "org_1"], [created, "a\u0000"]):
        error = only_error(await post(api, orgs, {"a": forged(cursor, values)}))
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (values, error)
        assert error["message"].startswith("after is not a cursor of this list: "), (values, error)
    again = await post(api, orgs, {"a": cursor})  # a cursor the server wrote still works
    assert again["data"]["organizations"]["nodes"] != page["nodes"]


# --- filters ---------------------------------------------------------------------------------------------------


async def test_a_filter_of_1000_conditions_is_refused_before_the_query_runs(api, dataset):
    """10,000 branches took 8 s to fail: converting them into input objects alone takes seconds."""
    for size in (1000, 10_000):
        branches = {"or": [{"name": {"eq": f"{i}.jpg"}} for i in range(size)]}
        body = await post(api, ITEMS, {"d": dataset, "f": branches})
        error = only_error(body)
        assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert error["message"] == f"filter has {size:,} conditions; the limit is 200"
        assert error["extensions"]["maximum"] == 200
        assert body["data"] is None and "path" not in error  # refused with the other limits, before execution


async def test_a_filter_inside_an_input_is_bounded_too(api, dataset):
    """Filters that are not a ``filter`` argument (a task's items) are counted where they are compiled."""
    create = """mutation($d: ID!, $f: ItemFilter) { taskCreate(input: {datasetId: $d, name: "t", assignees: [],
      filter: $f}) { task { id } errors { message } } }"""
    branches = {"or": [{"name": {"eq": f"{i}.jpg"}} for i in range(201)]}
    error = only_error(await post(api, create, {"d": dataset, "f": branches}))
    assert error["message"] == "filter has 201 conditions; the limit is 200"


async def test_conditions_are_counted_over_the_whole_filter(api, dataset):
    values = [f"{i}.jpg" for i in range(120)]
    nested = {"and": [{"name": {"in": values}}, {"not": {"or": [{"filename": {"nin": values}}]}}]}
    error = only_error(await post(api, ITEMS, {"d": dataset, "f": nested}))
    assert error["message"] == "filter has 240 conditions; the limit is 200"

    metadata = {"metadata": [{"path": "user.n", "in": list(range(300))}]}
    assert only_error(await post(api, ITEMS, {"d": dataset, "f": metadata}))["message"] == (
        "filter has 300 conditions; the limit is 200")


async def test_a_filter_of_200_conditions_runs(api, dataset):
    branches = {"or": [{"name": {"eq": f"{i}.jpg"}} for i in range(199)] + [{"name": {"eq": "one.jpg"}}]}
    body = await post(api, ITEMS, {"d": dataset, "f": branches})
    assert [n["name"] for n in body["data"]["node"]["items"]["nodes"]] == ["one.jpg"]


# --- the request body ------------------------------------------------------------------------------------------


async def test_invalid_utf8_is_a_400_naming_the_byte(api):
    assert bad_request(await raw(api, b'{"query": "{ __typename \xff }"}')) == (
        "the request is not valid UTF-8: byte 0xff at position 24")


@pytest.mark.parametrize(("body", "kind"), [(b'"{ __typename }"', "a string"), (b"null", "null"),
                                            (b" 12", "a number"), (b"true", "a boolean")])
async def test_a_body_that_is_not_an_object_is_a_400(api, body, kind):
    assert bad_request(await raw(api, body)) == (
        f'the request body must be a JSON object ({{"query": "…", "variables": {{…}}}}), got {kind}')


async def test_malformed_requests_are_graphql_errors(api):
    assert bad_request(await raw(api, b'[{"query": "{ __typename }"}]')) == "Batching is not enabled"
    assert bad_request(await raw(api, b'{"query": ')).startswith("the request is not valid JSON: ")
    assert bad_request(await api.get("/graphql", params={"query": "{ __typename }", "variables": "{bad"})) \
        .startswith("the request is not valid JSON: ")
    assert bad_request(await api.post("/graphql", content=b"query=1")) == "Unsupported content type"


# --- WebSocket messages: decoded and checked as bodies are --------------------------------------------------------


@pytest.mark.parametrize("message", [
    '{"id": "1", "type": "subscribe", "payload": {"query": "subscription { x }", "variables": {"v": "\\ud800"}}}',
    '{"id": "1", "type": "subscribe", "payload": {"query": "subscription { x }", "variables": {"v": '
    + "[" * 2000 + "]" * 2000 + "}}}",
])
async def test_a_websocket_message_the_check_refuses_closes_the_connection_with_4400(served, admin_token, api,
                                                                                      message):
    async with WS.open(served, admin_token) as ws:
        await ws.conn.send(message)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await ws.receive(10)
        assert closed.value.rcvd.code == 4400
    assert (await post(api, "{ __typename }"))["data"] == {"__typename": "Query"}  # the server goes on
