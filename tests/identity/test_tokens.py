"""API tokens: shown once, stored hashed, listed, revoked (effective at once), expiring; bots; the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import sqlalchemy as sa
from support import GQL

from labelgraph.auth import hash_token

ME = "{ me { email } }"


async def test_token_lifecycle(http, as_user):
    ann = await as_user("ann@example.test")
    data = await ann("""mutation { tokenCreate(input: {name: "laptop"}) {
        token apiToken { id name hint active } errors { message } } }""")
    token = data["tokenCreate"]["token"]
    api_token = data["tokenCreate"]["apiToken"]
    assert token.startswith("lg_") and len(token) > 40
    assert api_token["name"] == "laptop" and api_token["active"] and token.startswith(api_token["hint"])
    laptop = GQL(http, token)
    assert (await laptop(ME))["me"]["email"] == "ann@example.test"
    listed = await laptop("{ me { tokens { nodes { id name } } } }")
    assert {t["name"] for t in listed["me"]["tokens"]["nodes"]} == {"test", "laptop"}

    revoked = await ann("mutation($id: ID!) { tokenRevoke(input: {id: $id}) { apiToken { active revokedAt } } }",
                        {"id": api_token["id"]})
    assert revoked["tokenRevoke"]["apiToken"]["active"] is False
    body = await laptop.raw(ME)
    assert laptop.last_response.status_code == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await ann(ME))["me"]["email"] == "ann@example.test"  # other tokens keep working


async def test_tokens_are_stored_hashed(app, as_user, settings):
    ann = await as_user("ann@example.test")
    token = (await ann('mutation { tokenCreate(input: {name: "ci"}) { token } }'))["tokenCreate"]["token"]
    db = app.state.labelgraph["db"]
    async with db.read() as conn:
        stored = (await conn.execute(sa.text("SELECT token_hash FROM api_token"))).scalars().all()
    assert hash_token(token) in stored and token not in stored


async def test_expired_and_unknown_tokens_are_refused(http, as_user, clock):
    ann = await as_user("ann@example.test")
    in_an_hour = (clock() + timedelta(hours=1)).isoformat()
    data = await ann("mutation($t: DateTime) { tokenCreate(input: {name: \"short\", expiresAt: $t}) { token } }",
                     {"t": in_an_hour})
    short = GQL(http, data["tokenCreate"]["token"])
    clock.advance(3600 - 60)
    assert (await short(ME))["me"]["email"] == "ann@example.test"
    clock.advance(120)
    await short.raw(ME)
    assert short.last_response.status_code == 401
    stranger = GQL(http, "lg_not-a-real-token")
    body = await stranger.raw(ME)
    assert stranger.last_response.status_code == 401 and "unknown, revoked or expired" in body["errors"][0]["message"]
    past = await ann('mutation { tokenCreate(input: {name: "x", expiresAt: "2020-01-01T00:00:00Z"}) '
                     '{ token errors { field code } } }')
    assert past["tokenCreate"] == {"token": None, "errors": [{"field": ["expiresAt"], "code": "INVALID"}]}


async def test_anonymous_callers_get_introspection_only(http):
    anonymous = GQL(http)
    body = await anonymous.raw("{ organizations { nodes { id } } }")
    assert anonymous.last_response.status_code == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    data = await anonymous("{ __schema { queryType { name } } }")
    assert data["__schema"]["queryType"]["name"] == "Query"


async def test_only_admins_create_tokens_for_others(as_user, gql, http):
    ann = await as_user("ann@example.test")
    body = await ann.raw('mutation { tokenCreate(input: {name: "x", email: "bob@example.test"}) { token } }')
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    data = await gql('mutation { tokenCreate(input: {name: "x", email: "Bob@Example.test"}) { token } }')
    bob = GQL(http, data["tokenCreate"]["token"])
    assert (await bob(ME))["me"]["email"] == "bob@example.test"


async def test_bots_act_in_their_project(http, as_user):
    owner = await as_user("owner@acme.test")
    from support import Builder

    project = await Builder(owner).project(name="Cars")
    data = await owner("mutation($p: ID!) { botCreate(input: {projectId: $p, name: \"ingest\"}) { token "
                       "bot { email } errors { message } } }", {"p": project})
    bot = GQL(http, data["botCreate"]["token"])
    assert data["botCreate"]["bot"]["email"].startswith("ingest@")
    created = await bot("mutation($p: ID!) { datasetCreate(input: {projectId: $p, name: \"from-bot\"}) "
                        "{ dataset { name } errors { message } } }", {"p": project})
    assert created["datasetCreate"]["dataset"]["name"] == "from-bot"


def test_cli_token_create_gives_a_working_token(settings, tmp_path):
    env = {**os.environ, "LABELGRAPH_DATABASE_URL": settings.database_url}
    result = subprocess.run([sys.executable, "-m", "labelgraph.cli", "token", "create", "--email", "cli@example.test",
                             "--name", "script"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.startswith("lg_")
    listed = subprocess.run([sys.executable, "-m", "labelgraph.cli", "token", "list", "--email", "cli@example.test"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert "script" in listed.stdout and token[:10] in listed.stdout
