"""The first admin: ``LABELGRAPH_ADMIN_TOKEN`` makes sure an admin holding that token exists (automation);
without it, the first start creates an admin, prints its token once and writes it to
``<data dir>/admin-token`` (mode 0600, in the data dir of mode 0700) so a ``make run`` user can connect at once."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from labelgraph.auth import TOKEN, USER, hash_token, new_token
from labelgraph.columns import utcnow
from labelgraph.db import Database, serialize_on_postgres
from labelgraph.ids import new_id
from labelgraph.settings import Settings

log = logging.getLogger("labelgraph.identity")
ADMIN_EMAIL = "admin@labelgraph.local"
BOOTSTRAP_LOCK = 0x6C6761  # PostgreSQL advisory lock held while making sure the admin exists ("lga")


def secure_data_dir(path: Path) -> None:
    """Create the data dir readable by the server's user only (0700), and tighten one made before: it holds the
    admin token, the SQLite database and files, none of which function code or other users may read."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    token = path / "admin-token"
    if token.exists():
        os.chmod(token, 0o600)


async def ensure_admin(db: Database, settings: Settings) -> str | None:
    """Returns a newly created token (printed and written to the data dir), or None."""
    async with db.write_engine.begin() as conn:
        # replicas starting together: one creates the admin, the others then find it
        await serialize_on_postgres(conn, BOOTSTRAP_LOCK)
        if settings.admin_token:
            hashed = hash_token(settings.admin_token)
            if (await conn.execute(sa.select(TOKEN.c.id).where(TOKEN.c.token_hash == hashed))).first():
                return None
            user_id = await _admin_user(conn)
            await _insert_token(conn, user_id, "LABELGRAPH_ADMIN_TOKEN", hashed, settings.admin_token)
            log.info("admin token from LABELGRAPH_ADMIN_TOKEN registered")
            return None
        if (await conn.execute(sa.select(USER.c.id).where(USER.c.is_admin.is_(True)).limit(1))).first():
            return None
        user_id = await _admin_user(conn)
        token = new_token()
        await _insert_token(conn, user_id, "bootstrap", hash_token(token), token)
    path = settings.data_dir / "admin-token"
    secure_data_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    print(f"labelgraph: created the admin {ADMIN_EMAIL}; its API token (shown once, also saved to {path}):\n"
          f"  {token}\n  use it as the header  Authorization: Bearer {token}", file=sys.stderr, flush=True)
    return token


async def _admin_user(conn) -> str:
    row = (await conn.execute(sa.select(USER.c.id).where(USER.c.email == ADMIN_EMAIL))).first()
    if row:
        await conn.execute(sa.update(USER).where(USER.c.id == row.id).values(is_admin=True))
        return row.id
    now, user_id = utcnow(), new_id("usr")
    await conn.execute(sa.insert(USER).values(id=user_id, email=ADMIN_EMAIL, name="Administrator", is_admin=True,
                                              created_at=now, updated_at=now))
    return user_id


async def _insert_token(conn, user_id: str, name: str, hashed: str, token: str) -> None:
    await conn.execute(sa.insert(TOKEN).values(id=new_id("tok"), user_id=user_id, name=name, token_hash=hashed,
                                               hint=token[:10], created_at=utcnow()))
