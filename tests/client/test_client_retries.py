"""Retries, backoff, Retry-After and timeouts, against real HTTP servers on 127.0.0.1: a stub that answers from a
script (503 with Retry-After, 429, 502, 504, slow answers) and then forwards to a live ``labelgraph serve``."""

from __future__ import annotations

import email.utils
import threading
import time

import pytest
from http_stub import Scripted, StubServer, free_port

from labelgraph_client import Client, HTTPError, RetryPolicy, SyncClient, TransportError
from labelgraph_client.config import retry_after_seconds

FAST = RetryPolicy(max_attempts=5, backoff=0.05, max_backoff=0.2)
ORGS = "query ListOrgs { organizations(first: 1) { totalCount } }"
CREATE = 'mutation CreateOrg { organizationCreate(input: {name: "Retried"}) { organization { id } errors { code } } }'


async def test_503_with_retry_after_is_retried_after_the_delay_it_asks_for(labelgraph_server):
    script = [Scripted(503, {"Retry-After": "0.4"}), Scripted(503, {"Retry-After": "0.4"})]
    with StubServer(labelgraph_server.graphql_url, script) as stub:
        async with Client(stub.url, labelgraph_server.token, retry=FAST) as client:
            org = (await client.create_organization(name="After 503s")).organization
    assert org.name == "After 503s"
    assert len(stub.received) == 3
    assert all(gap >= 0.38 for gap in stub.gaps()), stub.gaps()  # Retry-After: 0.4 honoured, not FAST's ≤ 0.2 s backoff
    assert [r.body["operationName"] for r in stub.received] == ["CreateOrganization"] * 3


def test_retry_after_is_read_as_delay_seconds_or_an_http_date():
    # the live tests above ask for 0.4 s to keep the suite short; servers send whole seconds or a date
    assert retry_after_seconds("1") == 1.0 and retry_after_seconds(" 120 ") == 120.0
    assert retry_after_seconds("0.4") == 0.4 and retry_after_seconds("-5") == 0.0
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= retry_after_seconds(in_a_minute) <= 61
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None and retry_after_seconds("") is None


async def test_429_502_504_are_retried_with_backoff(labelgraph_server):
    script = [Scripted(429), Scripted(502), Scripted(504)]
    with StubServer(labelgraph_server.graphql_url, script) as stub:
        async with Client(stub.url, labelgraph_server.token, retry=FAST) as client:
            data = await client.request(ORGS)
    assert data["organizations"]["totalCount"] >= 0
    assert len(stub.received) == 4
    gaps = stub.gaps()
    # exponential with jitter: half of each wait is fixed (0.025, 0.05, 0.1 s), half random
    assert gaps[0] >= 0.02 and gaps[1] >= 0.045 and gaps[2] >= 0.095, gaps


async def test_gives_up_after_max_attempts_with_the_last_status():
    with StubServer(always=Scripted(503, body={"message": "maintenance"})) as stub:
        async with Client(stub.url, retry=RetryPolicy(max_attempts=3, backoff=0.01)) as client:
            with pytest.raises(HTTPError) as caught:
                await client.request(ORGS)
    assert caught.value.status_code == 503 and caught.value.attempts == 3
    assert "maintenance" in str(caught.value)
    assert len(stub.received) == 3


async def test_a_retry_after_longer_than_allowed_is_not_waited_for():
    with StubServer(always=Scripted(429, {"Retry-After": "3600"})) as stub:
        async with Client(stub.url, retry=RetryPolicy(max_retry_after=60)) as client:
            started = time.monotonic()
            with pytest.raises(HTTPError) as caught:
                await client.request(ORGS)
    assert caught.value.status_code == 429 and len(stub.received) == 1
    assert time.monotonic() - started < 5


async def test_no_retries_when_turned_off():
    with StubServer(always=Scripted(503)) as stub:
        async with Client(stub.url, retry=False) as client:
            with pytest.raises(HTTPError):
                await client.request(ORGS)
    assert len(stub.received) == 1


async def test_connection_errors_are_retried_until_the_server_is_up(labelgraph_server):
    port = free_port()  # nothing listens there yet
    stub = StubServer(labelgraph_server.graphql_url, port=port)
    starter = threading.Timer(0.6, stub.start)
    started = time.monotonic()  # the stub listens 0.6 s from here at the earliest: an answer before that is impossible
    starter.start()
    try:
        policy = RetryPolicy(max_attempts=10, backoff=0.1, max_backoff=0.4)
        async with Client(f"http://127.0.0.1:{port}/graphql", labelgraph_server.token, retry=policy) as client:
            data = await client.request(ORGS)
            waited = time.monotonic() - started
    finally:
        starter.join()
        stub.stop()
    assert "organizations" in data and waited >= 0.6
    assert len(stub.received) == 1


async def test_connection_refused_becomes_transport_error_after_retries():
    port = free_port()
    async with Client(f"http://127.0.0.1:{port}/graphql", retry=RetryPolicy(max_attempts=3, backoff=0.01)) as client:
        with pytest.raises(TransportError) as caught:
            await client.request(ORGS)
    assert caught.value.attempts == 3 and "ConnectError" in str(caught.value)


async def test_timeouts_retry_queries_but_not_mutations(labelgraph_server):
    policy = RetryPolicy(max_attempts=3, backoff=0.01)
    with StubServer(always=Scripted(200, body={"data": {}}, delay=0.6)) as stub:
        async with Client(stub.url, timeout=0.2, retry=policy) as client:
            with pytest.raises(TransportError) as caught:
                await client.request(ORGS)
            assert caught.value.attempts == 3 and "ReadTimeout" in str(caught.value)
            queries = len(stub.received)
            with pytest.raises(TransportError) as caught:  # a mutation may have been applied: never resent
                await client.request(CREATE)
            assert caught.value.attempts == 1
    assert queries == 3 and len(stub.received) == 4


def test_sync_client_retries_too(labelgraph_server):
    script = [Scripted(503, {"Retry-After": "0.4"}), Scripted(502)]
    with StubServer(labelgraph_server.graphql_url, script) as stub:
        with SyncClient(stub.url, labelgraph_server.token, retry=FAST) as client:
            org = client.create_organization(name="Sync retried").organization
        assert org.name == "Sync retried"
    assert len(stub.received) == 3 and stub.gaps()[0] >= 0.38  # Retry-After: 0.4, not the backoff
    with StubServer(always=Scripted(504)) as stub, SyncClient(stub.url, retry=FAST) as client:
        with pytest.raises(HTTPError) as caught:
            client.request(ORGS)
        assert caught.value.status_code == 504 and len(stub.received) == FAST.max_attempts
