"""The first admin is created once, even when several replicas start together on one database."""

from __future__ import annotations

import asyncio
import dataclasses

import sqlalchemy as sa

from labelgraph.auth import TOKEN, USER
from labelgraph.db import Database
from labelgraph.identity.bootstrap import ensure_admin


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
