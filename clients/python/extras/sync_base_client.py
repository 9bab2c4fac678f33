"""The base of the generated ``SyncClient`` (for scripts and notebooks): the same connection settings, retries,
timeouts, typed errors and ``iter_nodes`` as the async client, without subscriptions.

Hand-written (clients/python/extras/); ariadne-codegen copies it into labelgraph_client as the sync client's base.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
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
)
from .errors import ErrorDetail, MutationError, NotFoundError, TransportError
from .pagination import DEFAULT_PAGE_SIZE, iter_nodes

Self = TypeVar("Self", bound="SyncBaseClient")


class SyncBaseClient:
    """Connects to a labelgraph server, blocking.

    ``url`` defaults to ``$LABELGRAPH_URL`` (else ``http://127.0.0.1:8080/graphql``) and ``token`` to
    ``$LABELGRAPH_TOKEN``; explicit arguments win. ``timeout`` is in seconds (or an ``httpx.Timeout``), ``retry``
    a ``RetryPolicy`` (or a number of retries, or False). With ``raise_user_errors`` (the default) a mutation whose
    payload has ``errors`` raises ``MutationError``; without it the payload is returned as is. Use it as
    ``with SyncClient() as client: …`` or call ``client.close()``.
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
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self.url = resolve_url(url)
        self.token = resolve_token(token)
        self.headers = {**auth_headers(self.token), **(headers or {})}
        self.timeout = timeout
        self.retry = RetryPolicy.of(retry)
        self.raise_user_errors = raise_user_errors
        self._owns_http_client = http_client is None
        self.http_client = http_client or httpx.Client(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, exc_type: object, exc_val: object, exc_tb: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http_client:
            self.http_client.close()

    def execute(
        self,
        query: str,
        operation_name: str | None = None,
        variables: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """POST one operation; retried as ``self.retry`` says. ``kwargs`` go to ``httpx.Client.post``."""
        processed, files, files_map = prepare_variables(variables)
        kwargs["headers"] = {**self.headers, **(kwargs.get("headers") or {})}
        idempotent = operation_type(query, operation_name) == "query"
        attempt = 0
        while True:
            attempt += 1
            try:
                if files:
                    rewind(files)
                    response = self.http_client.post(
                        self.url, data=multipart_data(query, operation_name, processed, files_map), files=files,
                        **kwargs,
                    )
                else:
                    response = self.http_client.post(
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
                time.sleep(delay)
                continue
            delay = self.retry.delay_after_status(response.status_code, response.headers, attempt)
            if delay is None:
                response.extensions["labelgraph_attempts"] = attempt
                return response
            response.close()
            time.sleep(delay)

    def get_data(self, response: httpx.Response) -> dict[str, Any]:
        """``data`` of a response, or the typed exception for what went wrong (see ``labelgraph_client.errors``)."""
        return parse_response(
            response, raise_user_errors=self.raise_user_errors,
            attempts=response.extensions.get("labelgraph_attempts", 1),
        )

    def request(
        self, query: str, variables: dict[str, Any] | None = None, *, operation_name: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Run any GraphQL document and return its ``data`` (errors raise as for generated methods)."""
        return self.get_data(self.execute(query, operation_name, variables, **kwargs))

    def run_function(self, service_id: str, function_name: str | None = None, input: Any = None, *,
                     item_id: str | None = None, dataset_id: str | None = None, annotation_id: str | None = None,
                     timeout: int = RUN_FUNCTION_TIMEOUT) -> Any:
        """Run a function and return its output: one request that the server answers when the execution has
        ended (``executionCreate`` with ``wait: true``). ``input`` is keyed by the function's input names;
        ``item_id`` / ``dataset_id`` / ``annotation_id`` fill its entity input. Raises ``FunctionError`` when the
        function fails (``.error``: its message), ``FunctionTimeoutError`` (a ``TimeoutError``) when it has not
        ended after ``timeout`` seconds (1 to 300; it goes on), ``MutationError`` when the input is refused::

            labels = client.run_function(service.id, "predict", item_id=item.id, timeout=120)
        """
        variables = run_function_variables(service_id, function_name, input, item_id, dataset_id, annotation_id,
                                           timeout)
        # the HTTP read waits as long as the server may (a mutation is never retried after a timeout)
        read = httpx.Timeout(self.http_client.timeout.connect, read=timeout + 30.0) \
            if isinstance(self.http_client.timeout, httpx.Timeout) else timeout + 30.0
        try:
            payload = self.create_execution_and_wait(**variables, timeout=read)  # type: ignore[attr-defined]
        except MutationError as exc:
            raise timeout_error_of(exc, timeout) from None
        return run_function_result(payload, timeout)

    def wait_for_execution(self, id: str, timeout: float | None = 600.0, *, poll_interval: float = 1.0) -> Any:
        """Poll ``get_execution`` every ``poll_interval`` seconds until execution ``id`` has ended and return it
        (the async ``Client`` follows the execution over a WebSocket instead). Raises ``TimeoutError`` after
        ``timeout`` seconds (None: no limit) and ``NotFoundError`` when the execution does not exist or is out of
        your reach."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            execution = self.get_execution(id=id)  # type: ignore[attr-defined]
            if execution is None:
                raise NotFoundError([ErrorDetail(message=f"no execution with id {id!r}", code="NOT_FOUND")])
            if ended(execution):
                return execution
            if deadline is not None and time.monotonic() + poll_interval > deadline:
                raise TimeoutError(f"execution {id} had not ended after {timeout} s (status {execution.status})")
            time.sleep(poll_interval)

    def wait_for_command(self, id: str, timeout: float | None = None, progress: bool = False, *,
                         poll_interval: float = 1.0) -> Any:
        """Poll ``get_command`` every ``poll_interval`` seconds until command ``id`` has ended; return it when it
        is SUCCESS, raise ``CommandError`` (with the command's error) when it ended FAILED or ABORTED (the async
        ``Client`` follows the command over a WebSocket instead). ``progress=True`` shows a progress bar. Raises
        ``TimeoutError`` after ``timeout`` seconds (None: no limit) and ``NotFoundError`` for an unknown id."""
        from .jobs import checked, command_ended, command_progress

        deadline = None if timeout is None else time.monotonic() + timeout
        with command_progress(progress, f"command {id}") as show:
            while True:
                command = self.get_command(id=id)  # type: ignore[attr-defined]
                if command is None:
                    raise NotFoundError([ErrorDetail(message=f"no command with id {id!r}", code="NOT_FOUND")])
                show(command)
                if command_ended(command):
                    return checked(command)
                if deadline is not None and time.monotonic() + poll_interval > deadline:
                    raise TimeoutError(f"command {id} had not ended after {timeout} s (status {command.status})")
                time.sleep(poll_interval)

    def clone_dataset(self, dataset_id: str, name: str, *, project_id: str | None = None,
                      filter: dict[str, Any] | None = None, with_annotations: bool = True, with_metadata: bool = True,
                      with_item_statuses: bool = False, wait: bool = True, timeout: float | None = None,
                      progress: bool = False, poll_interval: float = 0.5) -> Any:
        """Clone a dataset into a new dataset ``name`` (see the async ``Client.clone_dataset``)."""
        from .jobs import clone_input

        payload = self.start_dataset_clone(input=clone_input(  # type: ignore[attr-defined]
            dataset_id, name, project_id, filter, with_annotations, with_metadata, with_item_statuses))
        if not wait:
            return payload.command
        return self.wait_for_command(payload.command.id, timeout, progress, poll_interval=poll_interval)

    def iter_nodes(
        self, method: Callable[..., Any], *args: Any, page_size: int = DEFAULT_PAGE_SIZE, after: str | None = None,
        **variables: Any,
    ) -> Iterator[Any]:
        """Every node of the connection a ``list_…`` method selects, ``page_size`` per request, fetched lazily::

            for item in client.iter_nodes(client.list_items, dataset_id=ds, page_size=500): ...
        """
        return iter_nodes(method, *args, page_size=page_size, after=after, **variables)

    # ------------------------------------------------------------------------------------------ files

    def export_dataset(self, dataset_id: str, format: str, dest: Any, *, filter: dict[str, Any] | None = None,
                       include_files: bool = False, splits: Any = None, version_id: str | None = None,
                       progress: bool = True, timeout: float | None = 3600.0) -> Any:
        """Export a dataset (COCO, YOLO, VOC or JSON) as a command, follow it and download its zip to ``dest`` (a
        folder or a ``.zip`` path); returns the zip's path. See ``labelgraph_client.datasets``."""
        from .datasets import export_dataset

        return export_dataset(self, dataset_id, format, dest, filter=filter, include_files=include_files,
                              splits=splits, version_id=version_id, progress=progress, timeout=timeout)

    def import_dataset(self, dataset_id: str, format: str, path: Any, *, create_missing_labels: bool = False,
                       match_by: str = "FILENAME", progress: bool = True, timeout: float | None = 3600.0) -> Any:
        """Import a zip (or a COCO JSON file) into a dataset as a command and follow it; returns the finished
        command (raises ``CommandFailedError`` naming the bad entry when it fails)."""
        from .datasets import import_dataset

        return import_dataset(self, dataset_id, format, path, create_missing_labels=create_missing_labels,
                              match_by=match_by, progress=progress, timeout=timeout)

    def upload_files(self, dataset_id: str, paths: Any, *, dir: str = "/", concurrency: int = 8,
                     progress: bool = True, retries: int = 5, http_client: httpx.Client | None = None) -> Any:
        """Upload files, or folders keeping their tree under ``dir``, as items of a dataset (``concurrency``
        requests at a time: small files up to 32 per multipart ``itemsUpload``, larger ones direct uploads in
        parts, each request retried and each part resumed; files whose sha256 is already at that path are
        skipped). Returns an ``UploadReport`` (``uploaded``, ``skipped``, ``failed``); see
        ``labelgraph_client.files``."""
        from .files import upload_files

        return upload_files(self, dataset_id, paths, dir=dir, concurrency=concurrency, progress=progress,
                            retries=retries, http_client=http_client)

    def read_item_content(self, id: str) -> bytes:
        """The bytes of item ``id`` (fetched through its signed ``url``, in memory). Raises ``NotFoundError`` when
        the item is out of reach and ``FileTransferError`` when it has no content."""
        from .files import read_item_content

        return read_item_content(self, id)

    def download_items(self, dataset_id: str, dest: Any, *, filter: dict[str, Any] | None = None,
                       concurrency: int = 8, progress: bool = True, retries: int = 5,
                       http_client: httpx.Client | None = None) -> Any:
        """Stream a dataset's items (matching ``filter``, an ``ItemFilter``) to ``dest/<dir>/<name>``; files already
        there with the same sha256 are skipped. Returns a ``DownloadReport``. See ``labelgraph_client.files``."""
        from .files import download_items

        return download_items(self, dataset_id, dest, filter=filter, concurrency=concurrency, progress=progress,
                              retries=retries, http_client=http_client)
