"""The worker port over GraphQL (``labelgraph worker``): each call is one operation of the generated client
(labelgraph_client), sent over HTTP with the worker's token. Only the ``labelgraph worker`` command (and tests
driving a Runner with a client) load this module: the server app never imports labelgraph_client.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from labelgraph.engine.port import Claim, HttpReply, PortError, Refused, ServiceRuntime, get_limited
from labelgraph_client import Client, LabelgraphError, MutationError
from labelgraph_client.enums import LogLevel, LogStream
from labelgraph_client.input_types import ExecutionCompletionInput, ExecutionLogLineInput

BATCH_COMPLETIONS = 100  # executionsComplete takes at most this many


def _refusals(exc: MutationError, ids: list[str]) -> tuple[dict[str, PortError], list[str]]:
    """An ``executionsComplete`` batch's refusals: the executions refused (errors naming ``completions.<i>.id``;
    any other error refuses them all) and the others that were not completed (the whole call was refused
    because of a bad id): those may be sent again without the refused ones."""
    payload = (exc.data or {}).get("executionsComplete") or {}
    completed = set(payload.get("completedIds") or [])
    refused: dict[str, PortError] = {}
    for error in exc.errors:
        field = error.field or []
        if len(field) >= 2 and field[0] == "completions" and field[1].isdigit() and int(field[1]) < len(ids):
            refused[ids[int(field[1])]] = Refused(error.message)
        else:
            return {id_: Refused(error.message) for id_ in ids if id_ not in completed}, []
    return refused, [id_ for id_ in ids if id_ not in refused and id_ not in completed]


@contextlib.asynccontextmanager
async def _translated() -> AsyncIterator[None]:
    try:
        yield
    except MutationError as exc:  # the server refused: a payload error (lease gone, execution ended, …)
        raise Refused(str(exc)) from exc
    except LabelgraphError as exc:
        raise PortError(str(exc)) from exc


class GraphQLWorkerPort:
    """WorkerPort through ``client`` (a labelgraph_client.Client); ``aclose`` closes the client only when
    ``owns_client``."""

    def __init__(self, client: Client, owns_client: bool = False) -> None:
        self.client = client
        self.owns_client = owns_client
        self._batch_completions = True  # False once the server turned out not to have executionsComplete

    async def claim(self, worker_id: str, service_ids: list[str] | None, max: int, lease_seconds: float,
                    wait_seconds: float) -> list[Claim]:
        async with _translated():
            payload = await self.client.claim_executions(worker_id=worker_id, service_ids=service_ids, max=max,
                                                         lease_seconds=lease_seconds, wait_seconds=wait_seconds)
        return [Claim(c.execution.id, c.execution.service.id, c.execution.function_name, c.execution.attempts,
                      c.resolved_input, c.token) for c in payload.claims]

    async def heartbeat(self, id: str, worker_id: str, lease_seconds: float) -> bool:
        async with _translated():
            beat = await self.client.heartbeat_execution(id=id, worker_id=worker_id, lease_seconds=lease_seconds)
        return bool(beat.to_terminate)

    async def progress(self, id: str, worker_id: str, percent: int | None, message: str | None,
                       lease_seconds: float | None) -> None:
        async with _translated():
            await self.client.report_execution_progress(id=id, worker_id=worker_id, percent_complete=percent,
                                                        message=message, lease_seconds=lease_seconds)

    async def logs(self, id: str, worker_id: str, lines: list[dict], dropped: int = 0) -> None:
        batch = [ExecutionLogLineInput(time=line.get("time"), stream=LogStream(line["stream"].upper()),
                                       level=LogLevel(line["level"]) if line.get("level") else None,
                                       text=line["text"]) for line in lines]
        async with _translated():
            await self.client.append_execution_logs(id=id, worker_id=worker_id, lines=batch, dropped_bytes=dropped)

    async def complete(self, id: str, worker_id: str, output: Any) -> None:
        async with _translated():
            await self.client.complete_execution(id=id, worker_id=worker_id, output=output)

    async def complete_many(self, worker_id: str, outputs: dict[str, Any]) -> dict[str, PortError]:
        """``executionsComplete``: one request (one transaction on the server) per 100 executions. A server
        without that mutation gets one ``executionComplete`` each, sent together."""
        items = list(outputs.items())
        if not self._batch_completions:
            return await self._complete_each(worker_id, items)
        failed: dict[str, PortError] = {}
        for start in range(0, len(items), BATCH_COMPLETIONS):
            chunk = items[start:start + BATCH_COMPLETIONS]
            try:
                while chunk:
                    try:
                        await self.client.complete_executions(worker_id=worker_id, completions=[
                            ExecutionCompletionInput(id=id_, output=output) for id_, output in chunk])
                        break
                    except MutationError as exc:  # some were refused; a bad id refuses the call: send the rest again
                        refused, again = _refusals(exc, [id_ for id_, _ in chunk])
                        failed.update(refused)
                        chunk = [(id_, output) for id_, output in chunk if id_ in again] if refused else []
            except LabelgraphError as exc:
                if "executionsComplete" in str(exc):  # an older server: no batch mutation
                    self._batch_completions = False
                    failed.update(await self._complete_each(worker_id, items[start:]))
                    break
                failed.update({id_: PortError(str(exc)) for id_, _ in chunk})
        return failed

    async def _complete_each(self, worker_id: str, items: list[tuple[str, Any]]) -> dict[str, PortError]:
        async def one(id_: str, output: Any) -> PortError | None:
            try:
                await self.complete(id_, worker_id, output)
            except PortError as exc:
                return exc
            return None

        results = await asyncio.gather(*(one(i, o) for i, o in items))
        return {i: r for (i, _), r in zip(items, results, strict=True) if r is not None}

    async def fail(self, id: str, worker_id: str, error: str, details: Any = None) -> None:
        async with _translated():
            if details is None:
                await self.client.fail_execution(id=id, worker_id=worker_id, error=error)
            else:
                await self.client.fail_execution(id=id, worker_id=worker_id, error=error, details=details)

    async def release(self, id: str, worker_id: str) -> None:
        async with _translated():
            await self.client.release_execution(id=id, worker_id=worker_id)

    async def service_runtime(self, service_id: str) -> ServiceRuntime | None:
        async with _translated():
            svc = await self.client.get_service_runtime(id=service_id)
        if svc is None:
            return None
        pkg = svc.package
        module = next((m for m in pkg.modules if m.name == svc.module_name), None)
        return ServiceRuntime(
            service_id=svc.id, module_name=svc.module_name, init_params=svc.init_params or {},
            package_id=pkg.id, package_revision=pkg.revision,
            codebase_type=pkg.codebase.type_.value, reference=(module.reference if module else None)
            or pkg.codebase.reference, checksum=pkg.codebase.checksum, filename=pkg.codebase.filename)

    async def package_archive(self, package_id: str) -> bytes:
        async with _translated():
            pkg = await self.client.get_package_archive(id=package_id)
        if pkg is None:
            raise Refused(f"package {package_id} is not visible to this worker")
        return base64.b64decode(pkg.codebase.archive or "")

    async def post_graphql(self, body: bytes, content_type: str, token: str) -> HttpReply:
        response = await self.client.http_client.post(
            self.client.url, content=body, headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"})
        return HttpReply(response.status_code, response.headers.get("content-type"), response.content)

    def gateway(self) -> str:
        url = httpx.URL(self.client.url)
        return f"{url.scheme}://{url.netloc.decode()}"

    async def get_content(self, url: str, limit: int) -> HttpReply:
        return await get_limited(self.client.http_client, url, limit)

    async def aclose(self) -> None:
        if self.owns_client:
            await self.client.aclose()
