"""Where the client connects and with which token: LABELGRAPH_URL / LABELGRAPH_TOKEN, explicit arguments winning,
checked on what a real HTTP server on 127.0.0.1 receives; and the package's cheap import."""

from __future__ import annotations

import subprocess
import sys

import pytest
from http_stub import StubServer, free_port

from labelgraph_client import Client, RetryPolicy, SyncClient, TransportError, UnauthenticatedError

ORGS = "query ListOrgs { organizations(first: 1) { totalCount } }"


@pytest.fixture
def no_labelgraph_env(monkeypatch):
    monkeypatch.delenv("LABELGRAPH_URL", raising=False)
    monkeypatch.delenv("LABELGRAPH_TOKEN", raising=False)
    return monkeypatch


async def test_url_and_token_come_from_the_environment(labelgraph_server, no_labelgraph_env):
    with StubServer(labelgraph_server.graphql_url) as stub:
        no_labelgraph_env.setenv("LABELGRAPH_URL", stub.url)
        no_labelgraph_env.setenv("LABELGRAPH_TOKEN", labelgraph_server.token)
        async with Client() as client:
            assert client.url == stub.url and client.ws_url == stub.url.replace("http://", "ws://")
            data = await client.request(ORGS)
        with SyncClient() as sync_client:
            sync_client.request(ORGS)
    assert "organizations" in data
    assert [r.headers["authorization"] for r in stub.received] == [f"Bearer {labelgraph_server.token}"] * 2


async def test_explicit_arguments_win_over_the_environment(labelgraph_server, no_labelgraph_env):
    dead = f"http://127.0.0.1:{free_port()}/graphql"
    no_labelgraph_env.setenv("LABELGRAPH_URL", dead)
    no_labelgraph_env.setenv("LABELGRAPH_TOKEN", "lg_from_the_environment")
    with StubServer(labelgraph_server.graphql_url) as stub:
        async with Client(stub.url, labelgraph_server.token) as client:
            await client.request(ORGS)
        async with Client(stub.url, "") as anonymous:  # an explicit empty token: send none
            assert anonymous.token is None and "Authorization" not in anonymous.headers
            with pytest.raises(UnauthenticatedError) as refused:
                await anonymous.request(ORGS)
            assert refused.value.code == "UNAUTHENTICATED"
    assert stub.received[0].headers["authorization"] == f"Bearer {labelgraph_server.token}"
    assert "authorization" not in stub.received[1].headers
    # only the environment's URL: nothing listens there
    async with Client(retry=RetryPolicy(max_attempts=2, backoff=0.01)) as client:
        assert client.url == dead and client.token == "lg_from_the_environment"
        with pytest.raises(TransportError):
            await client.request(ORGS)


def test_urls_are_completed(no_labelgraph_env):
    assert Client().url == "http://127.0.0.1:8080/graphql"
    assert Client("http://gateway:9000").url == "http://gateway:9000/graphql"
    assert Client("https://lg.example.com/").ws_url == "wss://lg.example.com/graphql"
    assert Client("https://lg.example.com/api/graphql").url == "https://lg.example.com/api/graphql"
    no_labelgraph_env.setenv("LABELGRAPH_URL", "127.0.0.1:8081")
    assert SyncClient().url == "http://127.0.0.1:8081/graphql"
    assert Client(token="Bearer abc").headers == {"Authorization": "Bearer abc"}


def test_retry_settings():
    assert RetryPolicy.of(None) == RetryPolicy() and RetryPolicy.of(False).max_attempts == 1
    assert RetryPolicy.of(2).max_attempts == 3
    policy = RetryPolicy(backoff=1, max_backoff=4)
    for retry, (low, high) in enumerate([(0.5, 1), (1, 2), (2, 4), (2, 4)], start=1):
        assert low <= policy.backoff_delay(retry) <= high
    assert policy.delay_after_status(503, {"retry-after": "7"}, attempt=1) == 7
    assert policy.delay_after_status(500, {}, attempt=1) is None
    assert policy.delay_after_status(503, {}, attempt=policy.max_attempts) is None


def test_import_is_cheap_and_lazy():
    code = ("import sys, labelgraph_client; "
            "print(sorted(m for m in ('httpx', 'pydantic', 'websockets', 'labelgraph_client.client') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
    code = "import sys; from labelgraph_client import Client; print('websockets' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


def test_uploads_are_found_anywhere_in_the_variables():
    """``prepare_variables`` sends the variables as JSON unless an ``Upload`` is somewhere in them (in a list, a
    dict, a model, a tuple, a dict or list subclass, deep down): then it is a file of a multipart request, its
    place nulled and named in the map."""
    import io
    from collections import OrderedDict, UserList

    from labelgraph_client.base_model import Upload
    from labelgraph_client.config import prepare_variables
    from labelgraph_client.input_types import AnnotationCreateInput

    upload = Upload("a.txt", io.BytesIO(b"a"), "text/plain")
    plain = {"a": [AnnotationCreateInput(item_id="i", type="BOX", label="l", coordinates=[{"x": 1}])] * 3,
             "b": {"c": [1, 2.5, None, True, "s", ("t", 1)]}, "d": OrderedDict(e=[UserList([1])])}
    assert prepare_variables(plain)[1:] == ({}, {})
    for where, variables, path in (
            ("top", {"f": upload}, "variables.f"),
            ("list", {"f": [1, [2, upload]]}, "variables.f.1.1"),
            ("dict subclass", {"f": OrderedDict(g={"h": upload})}, "variables.f.g.h"),
            ("JSON in a model", {"a": [AnnotationCreateInput(item_id="i", type="BOX", label="l",
                                                             coordinates={"file": upload})]},
             "variables.a.0.coordinates.file")):
        converted, files, files_map = prepare_variables(variables)
        assert files == {"0": ("a.txt", upload.content, "text/plain")}, where
        assert files_map == {"0": [path]}, where
