"""The worker port: everything a worker (engine/runner.py) asks of the execution plane, as one Protocol.

Two adapters implement it:

* ``engine/local.py`` ``LocalWorkerPort`` — the pool embedded in ``labelgraph serve``: calls engine/queue.py in
  this process's database transactions (no GraphQL, no token, no HTTP for its own bookkeeping);
* ``engine/remote.py`` ``GraphQLWorkerPort`` — ``labelgraph worker``: the same calls as GraphQL mutations over
  HTTP through the generated client (labelgraph_client), with the worker's token.

Both keep the queue's rules (leases, attempts, exactly-once): the queue functions are the one implementation,
the GraphQL mutations of faas/mutations.py are a thin layer over them. Function code never sees a port: its
``context.client`` requests are posted by ``post_graphql`` with the token the claim issued for that attempt
(a bot of the service's project), whatever the adapter.

This module imports nothing of the server nor of the client: it is the contract only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


class PortError(Exception):
    """A call did not get through (transport, server or database trouble): the worker may try again."""


class Refused(PortError):
    """The execution plane refused the call (the lease is gone, the execution ended, bad arguments): trying the
    same call again will not help."""


@dataclass(frozen=True)
class Claim:
    """One leased attempt: what the worker needs to run it."""

    id: str
    service_id: str
    function_name: str
    attempt: int
    resolved_input: Any
    token: str | None  # the attempt's function token (the service's bot); None when the server issued none


@dataclass(frozen=True)
class ServiceRuntime:
    """What a worker loads to run a service's functions (the package's current code)."""

    service_id: str
    module_name: str
    init_params: dict
    package_id: str
    package_revision: int
    codebase_type: str  # "IMPORT" | "ARCHIVE"
    reference: str  # module:Class of the service's module (or the codebase's)
    checksum: str | None
    filename: str | None


@dataclass(frozen=True)
class HttpReply:
    status: int
    content_type: str | None
    body: bytes


@runtime_checkable
class WorkerPort(Protocol):
    async def claim(self, worker_id: str, service_ids: list[str] | None, max: int, lease_seconds: float,
                    wait_seconds: float) -> list[Claim]:
        """Lease up to ``max`` queued executions, waiting up to ``wait_seconds`` for one to be queued."""
        ...

    async def heartbeat(self, id: str, worker_id: str, lease_seconds: float) -> bool:
        """Extend the lease; True: the execution was terminated (stop it, report nothing more). Refused when
        the lease is gone."""
        ...

    async def progress(self, id: str, worker_id: str, percent: int | None, message: str | None,
                       lease_seconds: float | None) -> None: ...

    async def complete(self, id: str, worker_id: str, output: Any) -> None: ...

    async def complete_many(self, worker_id: str, outputs: dict[str, Any]) -> dict[str, PortError]:
        """``complete`` for many executions (execution id → output) at once; returns the ones that did not
        complete, with why (Refused: the lease is gone…; PortError: the call did not get through)."""
        ...

    async def fail(self, id: str, worker_id: str, error: str, details: Any = None) -> None: ...

    async def logs(self, id: str, worker_id: str, lines: list[dict], dropped: int = 0) -> None:
        """Ship lines the function printed or logged: each {"time": ISO 8601, "stream": "stdout" | "stderr" |
        "log", "level": "INFO"… or None, "text"}, oldest first; ``dropped``: bytes the worker did not ship (beyond
        its limit). The plane keeps up to its per-execution limit (LABELGRAPH_MAX_LOG_BYTES) and counts the rest
        in one marker line."""
        ...

    async def release(self, id: str, worker_id: str) -> None:
        """Give a leased execution back to the queue (the attempt does not count)."""
        ...

    async def service_runtime(self, service_id: str) -> ServiceRuntime | None: ...

    async def package_archive(self, package_id: str) -> bytes:
        """The package's uploaded archive (ARCHIVE codebases)."""
        ...

    async def post_graphql(self, body: bytes, content_type: str, token: str) -> HttpReply:
        """A function's ``context.client`` request, posted to the GraphQL endpoint as ``token``'s owner."""
        ...

    def gateway(self) -> str:
        """The origin (``scheme://host:port``) the item URLs a function receives point at."""
        ...

    async def get_content(self, url: str, limit: int) -> HttpReply:
        """GET ``url`` on the gateway (the runner lets only signed ``/files/blobs/`` URLs through; no token is
        sent: the signature is the permission), at most ``limit`` bytes (413 beyond)."""
        ...

    async def aclose(self) -> None: ...


async def get_limited(http: Any, url: str, limit: int) -> HttpReply:
    """GET ``url`` with the httpx client ``http``, reading at most ``limit`` bytes (a 413 reply beyond)."""
    async with http.stream("GET", url) as response:
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                message = f"content over {limit} bytes cannot be relayed to a function"
                return HttpReply(413, "application/json", json.dumps({"errors": [{"message": message}]}).encode())
    return HttpReply(response.status_code, response.headers.get("content-type"), bytes(body))
