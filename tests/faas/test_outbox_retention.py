"""The outbox keeps delivered events for the retention period, then the scheduler deletes them; events not yet
published or not yet matched against triggers are never deleted, however old.

The database is used without the app: a running app's own scheduler prunes on its first tick and its outbox
sweep publishes old unpublished events, which would race with what is checked here."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import Database
from labelgraph.engine.scheduler import Scheduler
from labelgraph.events.models import OutboxEvent
from labelgraph.ids import new_id

OUTBOX = OutboxEvent.__table__


async def test_delivered_events_past_retention_are_pruned_and_nothing_else(settings):
    db = Database(settings.database_url)
    try:
        await _prune_with_a_scheduler(db)
    finally:
        await db.dispose()


async def _prune_with_a_scheduler(db: Database) -> None:
    now = utcnow()
    old, recent = now - timedelta(days=8), now - timedelta(days=6)
    rows = {
        "old_done": (old, old, old),
        "old_unpublished": (old, None, old),
        "old_unmatched": (old, old, None),
        "recent_done": (recent, recent, recent),
    }
    ids = {}
    async with db.transaction() as uow:
        for name, (created, published, matched) in rows.items():
            ids[name] = new_id("evt")
            await uow.conn.execute(sa.insert(OUTBOX).values(
                id=ids[name], project_id=None, resource="item", action="created", entity_id=new_id("itm"),
                payload={}, created_at=created, published_at=published, matched_at=matched))
    await Scheduler(db, retention=timedelta(days=7)).run_once()
    async with db.read() as conn:
        left = {r.id for r in (await conn.execute(sa.select(OUTBOX.c.id))).all()}
    assert left == {ids["old_unpublished"], ids["old_unmatched"], ids["recent_done"]}
