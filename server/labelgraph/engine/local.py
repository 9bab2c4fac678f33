"""The worker port in-process (the pool embedded in ``labelgraph serve``): each call is one database transaction
over engine/queue.py, acting as the platform itself (db.SYSTEM). No GraphQL, no token, no HTTP for the pool's
own bookkeeping; the rules (leases, attempts, exactly-once, events) are the queue's, as for the GraphQL
mutations ``labelgraph worker`` uses.

Function code is another matter: its ``context.client`` requests are posted to this app's GraphQL endpoint
in-process (httpx over ASGI) with the attempt's own token (its service's bot), never with the platform's rights.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import sqlalchemy as sa

from labelgraph.db import Database, UnitOfWork
from labelgraph.engine import logs, queue
from labelgraph.engine.port import Claim, HttpReply, PortError, Refused, ServiceRuntime, get_limited
from labelgraph.errors import Problems
from labelgraph.faas.models import PackageCodebase

MAX_WAIT = 30.0  # as executionsClaim's waitSeconds
CODEBASE = PackageCodebase.__table__


@contextlib.asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    try:
        yield
    except Problems as exc:
        raise Refused("; ".join(p.message for p in exc.problems)) from exc
    except (sa.exc.SQLAlchemyError, OSError) as exc:  # the database is away or busy: the worker tries again
        raise PortError(f"{type(exc).__name__}: {exc}") from exc


class LocalWorkerPort:
    """WorkerPort over ``db`` in this process. ``signal`` (engine/pool.py WorkSignal) wakes waiting claims when
    an execution is queued; ``app`` is the ASGI app functions' context.client requests go to."""

    def __init__(self, db: Database, signal: Any, app: Any, max_log_bytes: int = 10 * 1024 * 1024) -> None:
        self.db = db
        self.max_log_bytes = max_log_bytes
        self.signal = signal
        self.app = app
        self._http: Any = None
        # executions whose current attempt got a function token from this port (the pool's claims issue none):
        # the only ones whose completion has a token to revoke
        self._tokens: set[str] = set()

    async def _write(self, work: Callable[[UnitOfWork], Awaitable[Any]]) -> Any:
        async with _translated(), self.db.transaction() as uow:
            return await work(uow)

    async def claim(self, worker_id: str, service_ids: list[str] | None, max: int, lease_seconds: float,
                    wait_seconds: float, running: dict[str, int] | None = None) -> list[Claim]:
        """As the port's; ``running`` (service id → executions the worker runs of it) spares the queue counting
        them. The claims carry no token: ``function_token`` issues an attempt's when its function needs one."""
        deadline = time.monotonic() + max_wait(wait_seconds)
        while True:
            seq = self.signal.seq if self.signal else 0
            claims = await self._write(lambda uow: _claim(uow, worker_id, service_ids, max, lease_seconds, running))
            remaining = deadline - time.monotonic()
            if claims or remaining <= 0:
                return claims
            if self.signal:
                await self.signal.wait(seq, min(remaining, 1.0))
            else:
                await asyncio.sleep(min(remaining, 0.5))

    async def function_token(self, id: str, worker_id: str, attempt: int) -> str:
        """The token of this attempt (its service's bot) for its function's context.client; Refused when the
        worker no longer holds the attempt."""
        self._tokens.add(id)  # before it may exist: a completion racing the issue revokes it
        return await self._write(lambda uow: queue.issue_token(uow, id, worker_id, attempt))

    async def heartbeat(self, id: str, worker_id: str, lease_seconds: float) -> bool:
        _, terminated = await self._write(lambda uow: queue.heartbeat(uow, id, worker_id, lease_seconds))
        if terminated:
            self._tokens.discard(id)
        return terminated

    async def progress(self, id: str, worker_id: str, percent: int | None, message: str | None,
                       lease_seconds: float | None) -> None:
        await self._write(lambda uow: queue.progress(uow, id, worker_id, percent, message, lease_seconds))

    async def complete(self, id: str, worker_id: str, output: Any) -> None:
        await self._write(lambda uow: queue.complete(uow, id, worker_id, output))

    async def complete_many(self, worker_id: str, outputs: dict[str, Any]) -> dict[str, PortError]:
        tokens = self._tokens.intersection(outputs)
        refused = await self._write(lambda uow: queue.complete_many(uow, worker_id, outputs, tokens))
        self._tokens.difference_update(tokens)  # revoked, or ended by someone else (who revokes every token)
        return {id_: Refused(why.message) for id_, why in refused.items()}

    async def fail(self, id: str, worker_id: str, error: str, details: Any = None) -> None:
        await self._write(lambda uow: queue.fail(uow, id, worker_id, error, details))
        self._tokens.discard(id)

    async def logs(self, id: str, worker_id: str, lines: list[dict], dropped: int = 0) -> None:
        await self._write(lambda uow: logs.append(uow, id, worker_id, lines, self.max_log_bytes, dropped))

    async def release(self, id: str, worker_id: str) -> None:
        await self._write(lambda uow: queue.release(uow, id, worker_id))
        self._tokens.discard(id)

    async def service_runtime(self, service_id: str) -> ServiceRuntime | None:
        svc, pkg = queue.SERVICE, queue.PACKAGE
        async with _translated(), self.db.read() as conn:
            row = (await conn.execute(
                sa.select(svc.c.id, svc.c.module_name, svc.c.init_params, pkg.c.id.label("pkg_id"),
                          pkg.c.revision, pkg.c.codebase, pkg.c.modules)
                .join(pkg, pkg.c.id == svc.c.package_id).where(svc.c.id == service_id))).first()
        if row is None:
            return None
        codebase = row.codebase or {}
        module = next((m for m in row.modules or [] if m.get("name") == row.module_name), None)
        return ServiceRuntime(
            service_id=row.id, module_name=row.module_name, init_params=row.init_params or {},
            package_id=row.pkg_id, package_revision=row.revision,
            codebase_type=str(codebase.get("type", "import")).upper(),
            reference=(module or {}).get("reference") or codebase.get("reference", ""),
            checksum=codebase.get("checksum"), filename=codebase.get("filename"))

    async def package_archive(self, package_id: str) -> bytes:
        pkg = queue.PACKAGE
        async with _translated(), self.db.read() as conn:
            codebase = (await conn.execute(sa.select(pkg.c.codebase).where(pkg.c.id == package_id))).scalar()
            checksum = (codebase or {}).get("checksum")
            data = None if not checksum else (await conn.execute(
                sa.select(CODEBASE.c.data).where(CODEBASE.c.checksum == checksum))).scalar()
        if data is None:
            raise Refused(f"package {package_id} has no archive")
        return bytes(data)

    def _client(self) -> Any:
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app),
                                           base_url=self.gateway(), timeout=60)
        return self._http

    def gateway(self) -> str:
        return "http://embedded"  # functions' requests reach this app in-process: their item URLs say so

    async def get_content(self, url: str, limit: int) -> HttpReply:
        return await get_limited(self._client(), url, limit)

    async def post_graphql(self, body: bytes, content_type: str, token: str) -> HttpReply:
        response = await self._client().post("/graphql", content=body,
                                         headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"})
        return HttpReply(response.status_code, response.headers.get("content-type"), response.content)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None


async def _claim(uow: UnitOfWork, worker_id: str, service_ids: list[str] | None, max: int,
                 lease_seconds: float, running: dict[str, int] | None) -> list[Claim]:
    """The claim and its executions' resolved inputs, in the claim's transaction (one connection, one commit).
    No token is issued here (``function_token``, when a function first needs one)."""
    return [Claim(r.id, r.service_id, r.function_name, attempt, inputs, None) for r, attempt, inputs, _ in
            await queue.claim_resolved(uow, worker_id, service_ids, max, lease_seconds, running, tokens=False)]


def max_wait(wait_seconds: float) -> float:
    return max(0.0, min(wait_seconds, MAX_WAIT))
