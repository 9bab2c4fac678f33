"""Alembic migrations. ``upgrade(url)`` applies them; ``labelgraph migrate`` and ``serve`` call it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from filelock import AsyncFileLock

from labelgraph.db import MAINTENANCE_BUSY_TIMEOUT, null_pool_engine, serialize_on_postgres, sqlite_file
from labelgraph.settings import normalize_database_url

HERE = Path(__file__).parent
MIGRATION_LOCK = 0x6C6762  # PostgreSQL advisory lock held while migrating ("lgb")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("sqlalchemy.url", normalize_database_url(url).replace("%", "%%"))
    return cfg


async def upgrade(url: str, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` on the database at ``url`` (runs inside an event loop)."""
    url = normalize_database_url(url)
    cfg = alembic_config(url)
    async with _one_sqlite_process_at_a_time(url):
        engine = null_pool_engine(url)
        try:
            async with engine.begin() as conn:
                # replicas starting together migrate one at a time; the others then find the database at head
                await serialize_on_postgres(conn, MIGRATION_LOCK)

                def _run(sync_conn) -> None:
                    cfg.attributes["connection"] = sync_conn
                    command.upgrade(cfg, revision)

                await conn.run_sync(_run)
        finally:
            await engine.dispose()


@contextlib.asynccontextmanager
async def _one_sqlite_process_at_a_time(url: str) -> AsyncIterator[None]:
    """SQLite's counterpart of the advisory lock: processes starting on one file hold ``<file>.lock`` in turn
    from their first connection on (the first one switches the file to WAL, which cannot wait for a lock)."""
    path = sqlite_file(url)
    if path is None:
        yield
        return
    async with AsyncFileLock(f"{path}.lock", timeout=MAINTENANCE_BUSY_TIMEOUT):
        yield
