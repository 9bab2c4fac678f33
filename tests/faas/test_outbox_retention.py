"""The outbox keeps delivered events for the retention period, then the scheduler deletes them; events not yet
published or not yet matched against triggers are never deleted, however old."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.engine.scheduler import prune_outbox
from labelgraph.events.models import OutboxEvent
from labelgraph.ids import new_id

OUTBOX = OutboxEvent.__table__


async def test_delivered_events_past_retention_are_pruned_and_nothing_else(app):
    db = app.state.labelgraph["db"]
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
        await uow.conn.execute(sa.delete(OUTBOX))  # what the app wrote at start (the admin's bootstrap)
        for name, (created, published, matched) in rows.items():
            ids[name] = new_id("evt")
            await uow.conn.execute(sa.insert(OUTBOX).values(
                id=ids[name], project_id=None, resource="item", action="created", entity_id=new_id("itm"),
                payload={}, created_at=created, published_at=published, matched_at=matched))
    async with db.transaction() as uow:
        assert await prune_outbox(uow, timedelta(days=7)) == 1
    async with db.read() as conn:
        left = {r.id for r in (await conn.execute(sa.select(OUTBOX.c.id))).all()}
    assert left == {ids["old_unpublished"], ids["old_unmatched"], ids["recent_done"]}
