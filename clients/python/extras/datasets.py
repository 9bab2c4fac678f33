"""Dataset exports and imports from and to disk: ``export_dataset`` and ``import_dataset`` (sync and async).

The generated clients expose them as methods::

    with SyncClient() as client:
        path = client.export_dataset(dataset_id, "YOLO", "out/", include_files=True)   # out/<dataset>-yolo.zip
        command = client.import_dataset(dataset_id, "COCO", "instances.zip", create_missing_labels=True)

``export_dataset`` queues a ``datasetExport`` command, follows it (``command(id)`` every ``poll_interval``
seconds, a progress bar on stderr with ``progress=True``) and streams the zip from ``Command.url`` to ``dest``
(a folder, or a file path ending in ``.zip``). ``import_dataset`` sends the file with ``datasetImport`` (a
multipart upload) and follows the command; a FAILED command raises ``CommandFailedError`` with the server's
error (it names the file and the entry of a malformed input).

Hand-written (clients/python/extras/); ariadne-codegen copies it into labelgraph_client.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from .errors import LabelgraphError

__all__ = ["CommandFailedError", "export_dataset", "export_dataset_async", "import_dataset", "import_dataset_async"]

TERMINAL = {"SUCCESS", "FAILED", "ABORTED"}


class CommandFailedError(LabelgraphError):
    """A command ended FAILED or ABORTED; ``command`` is its last state."""

    def __init__(self, command: Any) -> None:
        status = _get(command, "status")
        super().__init__(f"command {_get(command, 'id')} ended {status}: {_get(command, 'error') or ''}".rstrip(": "))
        self.command = command


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    value = getattr(obj, name, None)
    return getattr(value, "value", value) if name == "status" else value


def _payload(payload: Any) -> Any:
    errors = _get(payload, "errors") or []
    if errors:
        first = errors[0]
        raise LabelgraphError(f"{_get(first, 'code')}: {_get(first, 'message')}")
    return _get(payload, "command")


class _Bar:
    def __init__(self, enabled: bool, what: str) -> None:
        self.enabled, self.what, self.last = enabled, what, None

    def show(self, command: Any) -> None:
        if not self.enabled:
            return
        line = (f"{self.what}: {_get(command, 'status')} {_get(command, 'progress') or 0}% "
                f"{_get(command, 'message') or ''}")
        if line != self.last:
            print(line, file=sys.stderr, flush=True)
            self.last = line


def _target(dest: Any, fmt: str, dataset_id: str) -> Path:
    path = Path(dest)
    if path.suffix.lower() == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{dataset_id}-{fmt.lower()}.zip"


def _export_input(dataset_id: str, fmt: str, filter: Any, include_files: bool, splits: Any,
                  version_id: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {"datasetId": dataset_id, "format": str(getattr(fmt, "value", fmt)).upper(),
                              "includeFiles": include_files}
    if filter is not None:
        values["filter"] = filter
    if splits is not None:
        values["splits"] = list(splits)
    if version_id is not None:
        values["versionId"] = version_id
    return values


# --- sync ----------------------------------------------------------------------------------------------------

def wait_command(client: Any, command: Any, *, timeout: float | None, poll_interval: float, bar: _Bar) -> Any:
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        bar.show(command)
        if _get(command, "status") in TERMINAL:
            if _get(command, "status") != "SUCCESS":
                raise CommandFailedError(command)
            return command
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"command {_get(command, 'id')} did not end within {timeout} s")
        time.sleep(poll_interval)
        command = client.get_command(id=_get(command, "id"))


def export_dataset(client: Any, dataset_id: str, format: str, dest: Any, *, filter: Any = None,
                   include_files: bool = False, splits: Any = None, version_id: str | None = None,
                   progress: bool = True, timeout: float | None = 3600.0, poll_interval: float = 0.5) -> Path:
    from .input_types import DatasetExportInput

    fmt = str(getattr(format, "value", format)).upper()
    data = _export_input(dataset_id, fmt, filter, include_files, splits, version_id)
    command = _payload(client.start_dataset_export(input=DatasetExportInput.model_validate(data)))
    command = wait_command(client, command, timeout=timeout, poll_interval=poll_interval,
                           bar=_Bar(progress, f"{fmt} export"))
    path = _target(dest, fmt, dataset_id)
    part = path.with_name(path.name + ".part")
    with httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0)) as http, \
            http.stream("GET", _get(command, "url")) as response:
        response.raise_for_status()
        with part.open("wb") as f:
            for chunk in response.iter_bytes(1024 * 1024):
                f.write(chunk)
    part.replace(path)
    return path


def import_dataset(client: Any, dataset_id: str, format: str, path: Any, *, create_missing_labels: bool = False,
                   match_by: str = "FILENAME", progress: bool = True, timeout: float | None = 3600.0,
                   poll_interval: float = 0.5) -> Any:
    """Import the zip (or COCO JSON file) at ``path``; returns the finished command (its ``result`` counts)."""
    from .base_model import Upload
    from .input_types import DatasetImportInput

    fmt = str(getattr(format, "value", format)).upper()
    with Path(path).open("rb") as f:
        data = DatasetImportInput.model_validate({
            "datasetId": dataset_id, "format": fmt, "file": Upload(Path(path).name, f, "application/zip"),
            "createMissingLabels": create_missing_labels, "matchBy": str(getattr(match_by, "value", match_by))})
        command = _payload(client.start_dataset_import(input=data))
    return wait_command(client, command, timeout=timeout, poll_interval=poll_interval,
                        bar=_Bar(progress, f"{fmt} import"))


# --- async ---------------------------------------------------------------------------------------------------

async def wait_command_async(client: Any, command: Any, *, timeout: float | None, poll_interval: float,
                             bar: _Bar) -> Any:
    loop = asyncio.get_running_loop()
    deadline = None if timeout is None else loop.time() + timeout
    while True:
        bar.show(command)
        if _get(command, "status") in TERMINAL:
            if _get(command, "status") != "SUCCESS":
                raise CommandFailedError(command)
            return command
        if deadline is not None and loop.time() > deadline:
            raise TimeoutError(f"command {_get(command, 'id')} did not end within {timeout} s")
        await asyncio.sleep(poll_interval)
        command = await client.get_command(id=_get(command, "id"))


async def export_dataset_async(client: Any, dataset_id: str, format: str, dest: Any, *, filter: Any = None,
                               include_files: bool = False, splits: Any = None, version_id: str | None = None,
                               progress: bool = True, timeout: float | None = 3600.0,
                               poll_interval: float = 0.5) -> Path:
    from .input_types import DatasetExportInput

    fmt = str(getattr(format, "value", format)).upper()
    data = _export_input(dataset_id, fmt, filter, include_files, splits, version_id)
    command = _payload(await client.start_dataset_export(input=DatasetExportInput.model_validate(data)))
    command = await wait_command_async(client, command, timeout=timeout, poll_interval=poll_interval,
                                       bar=_Bar(progress, f"{fmt} export"))
    path = _target(dest, fmt, dataset_id)
    part = path.with_name(path.name + ".part")
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0)) as http, \
            http.stream("GET", _get(command, "url")) as response:
        response.raise_for_status()
        with part.open("wb") as f:
            async for chunk in response.aiter_bytes(1024 * 1024):
                f.write(chunk)
    part.replace(path)
    return path


async def import_dataset_async(client: Any, dataset_id: str, format: str, path: Any, *,
                               create_missing_labels: bool = False, match_by: str = "FILENAME",
                               progress: bool = True, timeout: float | None = 3600.0,
                               poll_interval: float = 0.5) -> Any:
    from .base_model import Upload
    from .input_types import DatasetImportInput

    fmt = str(getattr(format, "value", format)).upper()
    with Path(path).open("rb") as f:
        data = DatasetImportInput.model_validate({
            "datasetId": dataset_id, "format": fmt, "file": Upload(Path(path).name, f, "application/zip"),
            "createMissingLabels": create_missing_labels, "matchBy": str(getattr(match_by, "value", match_by))})
        command = _payload(await client.start_dataset_import(input=data))
    return await wait_command_async(client, command, timeout=timeout, poll_interval=poll_interval,
                                    bar=_Bar(progress, f"{fmt} import"))
