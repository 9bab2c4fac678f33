"""The base of the generated async ``Client``: HTTP with retries and timeouts, GraphQL errors as exceptions,
subscriptions over ``graphql-transport-ws``, and ``iter_nodes`` for connections.

Hand-written (clients/python/extras/); ariadne-codegen copies it into labelgraph_client as its base client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import httpx

from .config import (
    DEFAULT_TIMEOUT,
    JSON_HEADERS,
    RUN_FUNCTION_TIMEOUT,
    RetryPolicy,
    auth_headers,
    ended,
    multipart_data,
    operation_type,
    parse_response,
    prepare_variables,
    request_body,
    resolve_token,
    resolve_url,
    rewind,
    run_function_result,
    run_function_variables,
    timeout_error_of,
    ws_url_for,
)
from .errors import (
    ErrorDetail,
    GraphQLError,
    InvalidResponseError,
    LabelgraphError,
    MutationError,
    NotFoundError,
    TransportError,
    UnauthenticatedError,
)
from .pagination import DEFAULT_PAGE_SIZE, aiter_nodes

Self = TypeVar("Self", bound="AsyncBaseClient")

GRAPHQL_TRANSPORT_WS = "graphql-transport-ws"


class AsyncBaseClient:
    """Connects to a labelgraph server.

    ``url`` defaults to ``$LABELGRAPH_URL`` (else ``http://127.0.0.1:8080/graphql``) and ``token`` to
    ``$LABELGRAPH_TOKEN``; explicit arguments win. ``timeout`` is in seconds (or an ``httpx.Timeout``), ``retry``
    a ``RetryPolicy`` (or a number of retries, or False). With ``raise_user_errors`` (the default) a mutation whose
    payload has ``errors`` raises ``MutationError``; without it the payload is returned as is. ``transport`` (an
    ``httpx.AsyncBaseTransport``, e.g. ``httpx.ASGITransport(app)``) or a whole ``http_client`` may be given.
    Use it as ``async with Client() as client: …`` or call ``await client.aclose()``.
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int | bool | None = None,
        raise_user_errors: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        ws_url: str | None = None,
        ws_connection_init_payload: dict[str, Any] | None = None,
    ) -> None:
        self.url = resolve_url(url)
        self.token = resolve_token(token)
        self.headers = {**auth_headers(self.token), **(headers or {})}
        self.timeout = timeout
        self.retry = RetryPolicy.of(retry)
        self.raise_user_errors = raise_user_errors
        self.ws_url = ws_url or ws_url_for(self.url)
        init_payload = dict(ws_connection_init_payload or {})
        if self.token and not any(key.lower() == "authorization" for key in init_payload):
            init_payload["authorization"] = self.headers["Authorization"]  # where the server reads it on a WebSocket
        self.ws_connection_init_payload = init_payload
        self._owns_http_client = http_client is None
        self.http_client = http_client or httpx.AsyncClient(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(self, exc_type: object, exc_val: object, exc_tb: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http_client:
            await self.http_client.aclose()

    # ------------------------------------------------------------------------------------------ HTTP

    async def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """POST one operation; retried as ``self.retry`` says. ``kwargs`` go to ``httpx.AsyncClient.post``."""
        processed, files, files_map = prepare_variables(variables)
        kwargs["headers"] = {**self.headers, **(kwargs.get("headers") or {})}
        idempotent = operation_type(query, operation_name) == "query"
        attempt = 0
        while True:
            attempt += 1
            try:
                if files:
                    rewind(files)
                    response = await self.http_client.post(
                        self.url, data=multipart_data(query, operation_name, processed, files_map), files=files,
                        **kwargs,
                    )
                else:
                    response = await self.http_client.post(
                        self.url, content=request_body(query, operation_name, processed),
                        **{**kwargs, "headers": {**JSON_HEADERS, **kwargs["headers"]}}
                    )
            except httpx.TransportError as exc:
                delay = self.retry.delay_after_error(exc, attempt, idempotent)
                if delay is None:
                    raise TransportError(
                        f"{operation_name or 'request'} to {self.url} failed after {attempt} attempt(s): "
                        f"{type(exc).__name__}: {exc}", url=self.url, attempts=attempt,
                    ) from exc
                await asyncio.sleep(delay)
                continue
            delay = self.retry.delay_after_status(response.status_code, response.headers, attempt)
            if delay is None:
                response.extensions["labelgraph_attempts"] = attempt
                return response
            await response.aclose()
            await asyncio.sleep(delay)

    def get_data(self, response: httpx.Response) -> dict[str, Any]:
        """``data`` of a response, or the typed exception for what went wrong (see ``labelgraph_client.errors``)."""
        return parse_response(
            response, raise_user_errors=self.raise_user_errors,
            attempts=response.extensions.get("labelgraph_attempts", 1),
        )

    async def request(
        self, query: str, variables: dict[str, Any] | None = None, *, operation_name: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Run any GraphQL document and return its ``data`` (errors raise as for generated methods)."""
        return self.get_data(await self.execute(query, operation_name, variables, **kwargs))

    # ------------------------------------------------------------------------------------------ pagination

    def iter_nodes(
        self, method: Callable[..., Any], *args: Any, page_size: int = DEFAULT_PAGE_SIZE, after: str | None = None,
        **variables: Any,
    ) -> AsyncIterator[Any]:
        """Every node of the connection a ``list_…`` method selects, ``page_size`` per request, fetched lazily::

            async for item in client.iter_nodes(client.list_items, dataset_id=ds, page_size=500): ...
        """
        return aiter_nodes(method, *args, page_size=page_size, after=after, **variables)

    async def run_function(self, service_id: str, function_name: str | None = None, input: Any = None, *,
                     item_id: str | None = None, dataset_id: str | None = None, annotation_id: str | None = None,
                     timeout: int = RUN_FUNCTION_TIMEOUT) -> Any:
        """Run a function and return its output: one request that the server answers when the execution has
        ended (``executionCreate`` with ``wait: true``). ``input`` is keyed by the function's input names;
        ``item_id`` / ``dataset_id`` / ``annotation_id`` fill its entity input. Raises ``FunctionError`` when the
        function fails (``.error``: its message), ``FunctionTimeoutError`` (a ``TimeoutError``) when it has not
        ended after ``timeout`` seconds (1 to 300; it goes on), ``MutationError`` when the input is refused::

            labels = await client.run_function(service.id, "predict", item_id=item.id, timeout=120)
        """
        variables = run_function_variables(service_id, function_name, input, item_id, dataset_id, annotation_id,
                                           timeout)
        # the HTTP read waits as long as the server may (a mutation is never retried after a timeout)
        read = httpx.Timeout(self.http_client.timeout.connect, read=timeout + 30.0) \
            if isinstance(self.http_client.timeout, httpx.Timeout) else timeout + 30.0
        try:
            payload = await self.create_execution_and_wait(**variables, timeout=read)  # type: ignore[attr-defined]
        except MutationError as exc:
            raise timeout_error_of(exc, timeout) from None
        return run_function_result(payload, timeout)

    # ------------------------------------------------------------------------------------------ files

    async def upload_files(self, dataset_id: str, paths: Any, *, dir: str = "/", concurrency: int = 8,
                     progress: bool = True, retries: int = 5, http_client: httpx.AsyncClient | None = None) -> Any:
        """Upload files, or folders keeping their tree under ``dir``, as items of a dataset (``concurrency``
        requests at a time: small files up to 32 per multipart ``itemsUpload``, larger ones direct uploads in
        parts, each request retried and each part resumed; files whose sha256 is already at that path are
        skipped). Returns an ``UploadReport`` (``uploaded``, ``skipped``, ``failed``); see
        ``labelgraph_client.files``."""
        from .files import upload_files_async

        return await upload_files_async(self, dataset_id, paths, dir=dir, concurrency=concurrency,
                                        progress=progress, retries=retries, http_client=http_client)

    async def export_dataset(self, dataset_id: str, format: str, dest: Any, *, filter: dict[str, Any] | None = None,
                             include_files: bool = False, splits: Any = None, version_id: str | None = None,
                             progress: bool = True, timeout: float | None = 3600.0) -> Any:
        """Export a dataset (COCO, YOLO, VOC or JSON) as a command, follow it and download its zip to ``dest`` (a
        folder or a ``.zip`` path); returns the zip's path. See ``labelgraph_client.datasets``."""
        from .datasets import export_dataset_async

        return await export_dataset_async(self, dataset_id, format, dest, filter=filter, include_files=include_files,
                                          splits=splits, version_id=version_id, progress=progress, timeout=timeout)

    async def import_dataset(self, dataset_id: str, format: str, path: Any, *, create_missing_labels: bool = False,
                             match_by: str = "FILENAME", progress: bool = True,
                             timeout: float | None = 3600.0) -> Any:
        """Import a zip (or a COCO JSON file) into a dataset as a command and follow it; returns the finished
        command (raises ``CommandFailedError`` naming the bad entry when it fails)."""
        from .datasets import import_dataset_async

        return await import_dataset_async(self, dataset_id, format, path, create_missing_labels=create_missing_labels,
                                          match_by=match_by, progress=progress, timeout=timeout)

    async def read_item_content(self, id: str) -> bytes:
        """The bytes of item ``id`` (fetched through its signed ``url``; in memory, so for files that fit there —
        inside a function, ``await context.client.read_item_content(item["id"])``, up to 32 MiB). Raises
        ``NotFoundError`` when the item is out of reach and ``FileTransferError`` when it has no content."""
        from .files import read_item_content_async

        return await read_item_content_async(self, id)

    async def download_items(self, dataset_id: str, dest: Any, *, filter: dict[str, Any] | None = None,
                       concurrency: int = 8, progress: bool = True, retries: int = 5,
                       http_client: httpx.AsyncClient | None = None) -> Any:
        """Stream a dataset's items (matching ``filter``, an ``ItemFilter``) to ``dest/<dir>/<name>``; files already
        there with the same sha256 are skipped. Returns a ``DownloadReport``. See ``labelgraph_client.files``."""
        from .files import download_items_async

        return await download_items_async(self, dataset_id, dest, filter=filter, concurrency=concurrency,
                                          progress=progress, retries=retries, http_client=http_client)

    async def wait_for_execution(self, id: str, timeout: float | None = 600.0, *, poll_interval: float = 1.0,
                                 websocket: bool = True) -> Any:
        """Wait until execution ``id`` has ended (SUCCESS, FAILED, TERMINATED …) and return it, as
        ``get_execution`` does.

        Follows ``executionUpdated`` over a WebSocket, so the answer comes as soon as the execution ends, with no
        polling load on the server. When WebSockets are unavailable (refused, or a proxy that does not pass them)
        or the connection drops, it polls ``get_execution`` every ``poll_interval`` seconds instead; with
        ``websocket=False`` it only polls. Raises ``TimeoutError`` after ``timeout`` seconds (None: no limit) and
        ``NotFoundError`` when the execution does not exist or is out of your reach."""
        async with asyncio.timeout(timeout):
            if websocket:
                with contextlib.suppress(TransportError):  # no WebSocket: poll below
                    async for _ in self.watch_execution(id=id):  # type: ignore[attr-defined]
                        pass
            while True:
                execution = await self.get_execution(id=id)  # type: ignore[attr-defined]
                if execution is None:
                    raise NotFoundError([ErrorDetail(message=f"no execution with id {id!r}", code="NOT_FOUND")])
                if ended(execution):
                    return execution
                await asyncio.sleep(poll_interval)

    # ------------------------------------------------------------------------------------------ dataset jobs

    async def wait_for_command(self, id: str, timeout: float | None = None, progress: bool = False, *,
                               poll_interval: float = 1.0, websocket: bool = True) -> Any:
        """Wait until command ``id`` (a dataset job: clone, merge, export, import) has ended and return it, as
        ``get_command`` does, when it is SUCCESS; raise ``CommandError`` (with the command's error) when it ended
        FAILED or ABORTED. Follows ``commandUpdated`` over a WebSocket (a progress bar with ``progress=True``),
        polling ``get_command`` every ``poll_interval`` seconds when WebSockets are unavailable. Raises
        ``TimeoutError`` after ``timeout`` seconds (None: no limit) and ``NotFoundError`` for an unknown id."""
        from .jobs import checked, command_ended, command_progress

        with command_progress(progress, f"command {id}") as show:
            async with asyncio.timeout(timeout):
                if websocket:
                    with contextlib.suppress(TransportError):  # no WebSocket: poll below
                        async for state in self.watch_command(id=id):  # type: ignore[attr-defined]
                            show(state)
                while True:
                    command = await self.get_command(id=id)  # type: ignore[attr-defined]
                    if command is None:
                        raise NotFoundError([ErrorDetail(message=f"no command with id {id!r}", code="NOT_FOUND")])
                    show(command)
                    if command_ended(command):
                        return checked(command)
                    await asyncio.sleep(poll_interval)

    async def clone_dataset(self, dataset_id: str, name: str, *, project_id: str | None = None,
                            filter: dict[str, Any] | None = None, with_annotations: bool = True,
                            with_metadata: bool = True, with_item_statuses: bool = False, wait: bool = True,
                            timeout: float | None = None, progress: bool = False,
                            poll_interval: float = 1.0) -> Any:
        """Clone a dataset (or the items ``filter``, an ``ItemFilter``, selects) into a new dataset ``name``
        (files shared, nothing copied). Returns the command: with ``wait`` once it has ended (its ``result`` holds
        ``datasetId``, ``items``, ``annotations``), else at once. Raises ``MutationError`` when refused and
        ``CommandError`` when the job fails."""
        from .jobs import clone_input

        payload = await self.start_dataset_clone(input=clone_input(  # type: ignore[attr-defined]
            dataset_id, name, project_id, filter, with_annotations, with_metadata, with_item_statuses))
        if not wait:
            return payload.command
        return await self.wait_for_command(payload.command.id, timeout, progress, poll_interval=poll_interval)

    # ------------------------------------------------------------------------------------------ WebSocket

    async def execute_ws(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[dict[str, Any]]:
        """Run an operation over ``graphql-transport-ws`` and yield the ``data`` of every result it sends, until
        the server completes it. ``kwargs`` go to ``websockets.connect``. A refused sign-in raises
        ``UnauthenticatedError``, a lost connection ``TransportError``."""
        connect = _ws_connect()
        from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

        headers = dict(self.headers)
        headers.update(kwargs.pop("additional_headers", None) or {})
        timeout = self.timeout.connect if isinstance(self.timeout, httpx.Timeout) else self.timeout
        kwargs.setdefault("open_timeout", timeout)
        processed, _, _ = prepare_variables(variables)
        operation_id = uuid.uuid4().hex
        try:
            async with connect(self.ws_url, subprotocols=[GRAPHQL_TRANSPORT_WS], additional_headers=headers,
                               **kwargs) as websocket:
                init: dict[str, Any] = {"type": "connection_init"}
                if self.ws_connection_init_payload:
                    init["payload"] = self.ws_connection_init_payload
                await websocket.send(json.dumps(init))
                try:
                    await asyncio.wait_for(self._wait_for_ack(websocket), timeout=timeout or None)
                except TimeoutError as exc:
                    raise TransportError(f"no connection_ack from {self.ws_url} within {timeout} s",
                                         url=self.ws_url, attempts=1) from exc
                payload: dict[str, Any] = {"query": query, "operationName": operation_name}
                if processed:
                    payload["variables"] = processed
                await websocket.send(json.dumps(
                    {"id": operation_id, "type": "subscribe", "payload": payload}, default=_jsonable,
                ))
                completed = False
                try:
                    async for raw in websocket:
                        message = _ws_message(raw)
                        kind = message["type"]
                        if kind == "ping":
                            await websocket.send(json.dumps({"type": "pong"}))
                        elif kind == "next" and message.get("id") == operation_id:
                            result = message.get("payload") or {}
                            if result.get("errors"):
                                raise GraphQLError.from_errors(result["errors"], result.get("data"))
                            yield result.get("data") or {}
                        elif kind == "error" and message.get("id") == operation_id:
                            completed = True
                            errors = message.get("payload")
                            raise GraphQLError.from_errors(errors if isinstance(errors, list) else [errors])
                        elif kind == "complete" and message.get("id") == operation_id:
                            completed = True
                            return
                    what = operation_name or "the operation"
                    raise TransportError(f"{self.ws_url} closed the connection before {what} completed",
                                         url=self.ws_url, attempts=1)
                finally:
                    if not completed:
                        with contextlib.suppress(Exception):
                            await websocket.send(json.dumps({"id": operation_id, "type": "complete"}))
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd is not None else None
            reason = exc.rcvd.reason if exc.rcvd is not None else ""
            if code in (4401, 4403):
                raise UnauthenticatedError([ErrorDetail(
                    message=reason or "the server refused the connection: send a valid token",
                    code="UNAUTHENTICATED", extensions={"code": "UNAUTHENTICATED", "closeCode": code},
                )]) from exc
            raise TransportError(f"the WebSocket to {self.ws_url} closed ({code} {reason})".strip(), url=self.ws_url,
                                 attempts=1) from exc
        except InvalidStatus as exc:
            status = exc.response.status_code
            if status == 401:
                raise UnauthenticatedError([ErrorDetail(message=f"HTTP 401 from {self.ws_url}",
                                                        code="UNAUTHENTICATED")]) from exc
            raise TransportError(f"HTTP {status} from {self.ws_url} instead of a WebSocket", url=self.ws_url,
                                 attempts=1) from exc
        except (OSError, WebSocketException) as exc:
            raise TransportError(f"WebSocket to {self.ws_url} failed: {type(exc).__name__}: {exc}", url=self.ws_url,
                                 attempts=1) from exc

    async def _wait_for_ack(self, websocket: Any) -> None:
        async for raw in websocket:
            message = _ws_message(raw)
            if message["type"] == "connection_ack":
                return
            if message["type"] == "ping":
                await websocket.send(json.dumps({"type": "pong"}))
        raise TransportError(f"{self.ws_url} closed the connection before connection_ack", url=self.ws_url,
                             attempts=1)


def _ws_connect() -> Any:
    """``websockets``' asyncio ``connect`` (imported on first use: most programs never open a WebSocket)."""
    try:
        from websockets.asyncio.client import connect
    except ImportError as exc:  # pragma: no cover - websockets >= 13 is a dependency
        raise LabelgraphError("subscriptions need the 'websockets' package, version 13 or later") from exc
    return connect


def _jsonable(value: Any) -> Any:
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value)


def _ws_message(raw: str | bytes) -> dict[str, Any]:
    try:
        message = json.loads(raw)
    except ValueError as exc:
        raise InvalidResponseError(f"not a graphql-transport-ws message: {raw[:200]!r}") from exc
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise InvalidResponseError(f"not a graphql-transport-ws message: {raw[:200]!r}")
    return message
