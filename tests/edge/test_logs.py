"""Logs for people (issue 12, point 7): a client's refusal (validation, limits, authentication, a mutation's
UserErrors) is one INFO/WARNING line without a traceback, naming the request id, the caller's token and the code;
a server fault is logged at ERROR with its traceback and the request id the client got."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

import pytest
from support import GQL, pg_admin

PG_URL = os.environ.get("LABELGRAPH_TEST_DATABASE_URL")


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO)
    return caplog


async def request(gql: GQL, query: str, variables: dict | None = None) -> tuple[dict, str]:
    """The response body and the request id the client got (header X-Request-Id)."""
    body = await gql.raw(query, variables)
    return body, gql.last_response.headers["x-request-id"]


def lines_of(logs, request_id: str) -> list[logging.LogRecord]:
    return [r for r in logs.records if request_id in r.getMessage()]


def assert_one_refusal_line(logs, request_id: str, code: str, token_id: str | None, level: int) -> None:
    records = lines_of(logs, request_id)
    assert len(records) == 1, [r.getMessage() for r in records]
    record = records[0]
    assert record.levelno == level and record.exc_info is None
    assert code in record.getMessage() and (token_id or "anonymous") in record.getMessage()
    assert not [r for r in logs.records if r.exc_info or r.levelno >= logging.ERROR], "no traceback, no ERROR"


async def admin_token_id(gql: GQL) -> str:
    return (await gql("{ me { tokens { nodes { id } } } }"))["me"]["tokens"]["nodes"][0]["id"]


async def test_a_validation_error_is_one_info_line(gql, logs):
    token_id = await admin_token_id(gql)
    logs.clear()
    body, request_id = await request(gql, "{ nope }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert_one_refusal_line(logs, request_id, "GRAPHQL_VALIDATION_FAILED", token_id, logging.INFO)


async def test_a_limit_refusal_is_one_info_line(gql, logs):
    token_id = await admin_token_id(gql)
    logs.clear()
    aliases = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(60)) + " }"  # 50 at most
    body, request_id = await request(gql, aliases)
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert_one_refusal_line(logs, request_id, "LIMIT_EXCEEDED", token_id, logging.INFO)


async def test_an_unknown_token_is_one_warning_line(http, logs):
    body, request_id = await request(GQL(http, "lg_not-a-token"), "{ me { id } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert_one_refusal_line(logs, request_id, "UNAUTHENTICATED", None, logging.WARNING)


async def test_a_mutations_user_errors_are_one_info_line(gql, logs):
    token_id = await admin_token_id(gql)
    logs.clear()
    body, request_id = await request(gql, 'mutation { organizationCreate(input: {name: ""}) { errors { code } } }')
    assert body["data"]["organizationCreate"]["errors"] == [{"code": "INVALID"}]
    assert_one_refusal_line(logs, request_id, "INVALID", token_id, logging.INFO)


@contextlib.asynccontextmanager
async def table_gone(settings, table: str):
    """The table renamed away under the running app (a real fault: every query on it fails), then back."""
    if PG_URL:
        url = settings.database_url.replace("+asyncpg", "")
        await pg_admin(url, f'ALTER TABLE "{table}" RENAME TO "{table}_gone"')
        try:
            yield
        finally:
            await pg_admin(url, f'ALTER TABLE "{table}_gone" RENAME TO "{table}"')
    else:
        import sqlite3

        path = settings.database_url.split("///", 1)[1]
        # in a thread: blocking the event loop while waiting for SQLite's write lock would also stop the app's
        # background writer that holds it from finishing (a deadlock until the timeout)
        with contextlib.closing(sqlite3.connect(path, isolation_level=None, timeout=30,
                                                check_same_thread=False)) as conn:
            await asyncio.to_thread(conn.execute, f'ALTER TABLE "{table}" RENAME TO "{table}_gone"')
            try:
                yield
            finally:
                await asyncio.to_thread(conn.execute, f'ALTER TABLE "{table}_gone" RENAME TO "{table}"')


async def test_a_server_fault_logs_its_traceback_with_the_request_id_the_client_got(gql, settings, logs):
    await gql('mutation { organizationCreate(input: {name: "Acme"}) { errors { message } } }')
    logs.clear()
    async with table_gone(settings, "organization"):
        body, request_id = await request(gql, "{ organizations { nodes { id name } } }")
    error = body["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": request_id}
    assert request_id in error["message"] and "organization" not in error["message"]  # masked for the client
    errors = [r for r in logs.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]  # once, not again by strawberry
    assert errors[0].exc_info and request_id in errors[0].getMessage()
    # (the query compiler's fallback warns about the same fault first, with the same id)
    assert all(request_id in r.getMessage() for r in logs.records if r.exc_info)
