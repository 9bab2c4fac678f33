"""The first admin is created once, even when several replicas start together on one database."""

from __future__ import annotations

import asyncio
import dataclasses

import sqlalchemy as sa

from labelgraph.auth import TOKEN, USER
from labelgraph.db import Database
from labelgraph.identity.bootstrap import ensure_admin
from labelgraph.identity.service import ensure_user


async def _start_together(settings, replicas: int = 4) -> list[str | None]:
    databases = [Database(settings.database_url) for _ in range(replicas)]
    try:
        return await asyncio.gather(*(ensure_admin(db, settings) for db in databases))
    finally:
        for db in databases:
            await db.dispose()


async def _admins_and_tokens(settings) -> tuple[list, list]:
    db = Database(settings.database_url)
    try:
        async with db.engine.connect() as conn:
            admins = (await conn.execute(sa.select(USER.c.id).where(USER.c.is_admin.is_(True)))).all()
            tokens = (await conn.execute(sa.select(TOKEN.c.name, TOKEN.c.user_id))).all()
    finally:
        await db.dispose()
    return admins, tokens


async def test_replicas_starting_together_with_an_admin_token_register_it_once(settings):
    assert await _start_together(settings) == [None] * 4
    admins, tokens = await _admins_and_tokens(settings)
    assert len(admins) == 1
    assert [(t.name, t.user_id) for t in tokens] == [("LABELGRAPH_ADMIN_TOKEN", admins[0].id)]


async def test_replicas_starting_together_create_one_admin_and_one_token(settings):
    settings = dataclasses.replace(settings, admin_token=None)
    created = await _start_together(settings)
    assert sum(token is not None for token in created) == 1  # one replica printed it; the others found the admin
    admins, tokens = await _admins_and_tokens(settings)
    assert len(admins) == 1
    assert [(t.name, t.user_id) for t in tokens] == [("bootstrap", admins[0].id)]
    token = next(t for t in created if t)
    assert (settings.data_dir / "admin-token").read_text().strip() == token


async def test_a_user_created_by_two_transactions_at_once_is_one_user(settings):
    """Two processes making sure one user exists (the embedded worker pool of replicas starting together): the
    second waits for the first and finds its user instead of failing on the unique email."""
    first_db, second_db = Database(settings.database_url), Database(settings.database_url)
    try:
        async with first_db.transaction() as first:
            first_id = await ensure_user(first, "pool@example.test")
            second = asyncio.create_task(_ensure_user_in(second_db, "pool@example.test"))
            if not settings.is_sqlite:  # the second insert waits on the first's uncommitted row
                await _until_a_session_waits_on_a_lock(first_db)
        assert await second == first_id
    finally:
        await first_db.dispose()
        await second_db.dispose()


async def _ensure_user_in(db: Database, email: str) -> str:
    async with db.transaction() as uow:
        return await ensure_user(uow, email)


async def _until_a_session_waits_on_a_lock(db: Database) -> None:
    async with asyncio.timeout(30), db.read() as conn:
        while not (await conn.execute(sa.text(
                "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ))).first():
            await asyncio.sleep(0.02)  # polling the server's view of its sessions: nothing to await there
