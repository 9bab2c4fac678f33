"""Item content from and to disk: ``upload_files`` and ``download_items`` (sync and async).

The generated clients expose them as methods (``client.upload_files(…)``, ``await client.upload_files(…)``)::

    with SyncClient() as client:
        report = client.upload_files(dataset_id, ["photos/"], dir="/2024", concurrency=8)
        client.download_items(dataset_id, "out/", filter={"dir": {"eq": "/2024"}})

Small files (up to 8 MiB) go up 32 per ``itemsUpload`` request (the GraphQL multipart request spec: the bytes and
the commit in ONE round trip, one transaction per request; a file the server refuses fails alone and the others are
sent again; a dropped request is retried with backoff after asking which of its files the server committed after
all). Larger files are direct uploads (``itemUploadsCreate`` → PUT each part to its signed URL → ``itemsCreate``):
the file is read from disk in chunks while it is sent, never whole in memory. A failed part is retried with
backoff; before a retry the client asks ``itemUpload(uploadId)`` which parts the server already holds
(``parts[].received``) and sends only the others, so a dropped connection costs one part, not the file. A file
whose sha256 already sits at the same ``dir``/``name`` of the dataset is skipped; one whose name is taken by other
bytes is reported as failed (``DUPLICATE``), never overwritten.

Downloads stream each item's ``url`` to ``dest/<dir>/<name>`` (the dataset's folder tree); a file already there
with the item's sha256 is skipped, so running the same download again resumes it. Bytes land in a ``.part`` file
renamed into place once complete and checked.

Hand-written (clients/python/extras/); ariadne-codegen copies it into labelgraph_client.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .errors import LabelgraphError, MutationError

__all__ = [
    "DownloadReport",
    "FileTransferError",
    "UploadReport",
    "download_items",
    "download_items_async",
    "read_item_content",
    "read_item_content_async",
    "upload_files",
    "upload_files_async",
]

CHUNK = 1024 * 1024
COMMIT_BATCH = 50  # files per itemUploadsCreate / itemsCreate call
COMMITS_AT_ONCE = 2  # itemsCreate calls (the server probes the files) running while the next files go up
BATCHES_AHEAD = 2  # batches whose bytes are going up at once (the next one's uploads are created meanwhile)
PAGE_SIZE = 100
SMALL_FILE = 8 * 1024 * 1024  # files up to this size go up several per request (multipart itemsUpload)
SMALL_BATCH_FILES = 32  # files per itemsUpload request (fewer when there are few files for the concurrency)
SMALL_BATCH_BYTES = 16 * 1024 * 1024  # bytes per itemsUpload request
RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


class FileTransferError(LabelgraphError):
    """A part PUT or a download GET failed for good (after the retries)."""


@dataclass
class UploadReport:
    """What ``upload_files`` did: ``uploaded`` items, ``skipped`` paths (same sha256 already there), ``failed``
    paths with the reason. ``ok`` is true when nothing failed."""

    uploaded: list[Any] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)
    bytes_sent: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class DownloadReport:
    """What ``download_items`` did: ``downloaded`` and ``skipped`` (same sha256 already on disk) paths,
    ``failed`` paths with the reason."""

    downloaded: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)
    bytes_received: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class _Local:
    path: Path
    dir: str
    name: str
    size: int
    sha256: str = ""


# --- shared helpers ------------------------------------------------------------------------------------------

def normalize_dir(value: str | None) -> str:
    """``"a/b/"`` → ``"/a/b"`` (the server's form)."""
    parts = [p for p in (value or "").replace(os.sep, "/").split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise ValueError(f"dir must not contain '.' or '..' segments, got {value!r}")
    return "/" + "/".join(parts)


def _join(dir_: str, sub: str) -> str:
    return normalize_dir(dir_.rstrip("/") + "/" + sub)


def collect_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], dir: str = "/") -> list[_Local]:
    """The files to upload: a file goes to ``dir``; a folder's files keep their folder tree under ``dir``."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    base = normalize_dir(dir)
    found: list[_Local] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, names in os.walk(p):
                dirs.sort()
                rel = Path(root).relative_to(p).as_posix()
                target = base if rel == "." else _join(base, rel)
                for name in sorted(names):
                    f = Path(root) / name
                    if f.is_file():
                        found.append(_Local(f, target, name, f.stat().st_size))
        elif p.is_file():
            found.append(_Local(p, base, p.name, p.stat().st_size))
        else:
            raise FileNotFoundError(f"no such file or folder: {p}")
    return found


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _read_range(path: Path, offset: int, size: int) -> Iterator[bytes]:
    with open(path, "rb") as f:
        f.seek(offset)
        left = size
        while left > 0:
            chunk = f.read(min(CHUNK, left))
            if not chunk:
                raise FileTransferError(f"{path} is shorter than announced (changed while uploading?)")
            left -= len(chunk)
            yield chunk


async def _aread_range(path: Path, offset: int, size: int) -> AsyncIterator[bytes]:
    # small blocking reads from a local file; the event loop is not held longer than one chunk
    for chunk in _read_range(path, offset, size):
        yield chunk


def _backoff(attempt: int) -> float:
    return min(8.0, 0.25 * 2 ** attempt) * (0.5 + random.random() / 2)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code in RETRYABLE_STATUS
    return isinstance(exc, (httpx.TransportError, FileTransferError))


def _get(obj: Any, name: str) -> Any:
    """A field of a generated model (snake_case attribute) or of a plain dict (camelCase key)."""
    if isinstance(obj, dict):
        return obj.get(name, obj.get({"sha256": "sha256", "upload_id": "uploadId", "upload_url": "uploadUrl"}
                                     .get(name, name)))
    return getattr(obj, {"sha256": "sha_256"}.get(name, name))


def _error_index(err: Any) -> int | None:
    """The file index a payload error names (field ``["items", "3", …]`` or ``["files", "3", …]``)."""
    fld = list(err.field or [])
    if len(fld) >= 2 and fld[0] in ("items", "files") and str(fld[1]).isdigit():
        return int(fld[1])
    return None


def _batches(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


class _NoProgress:
    """``advance(files=0, bytes=0)`` and ``more(files, bytes)`` (the totals grow: a download learns them page by
    page) that do nothing."""

    def __call__(self, files: int = 0, bytes: int = 0) -> None:
        return None

    def more(self, files: int, bytes: int) -> None:
        return None


@contextmanager
def _progress(enabled: bool, description: str, total_files: int, total_bytes: int) -> Iterator[Any]:
    """A rich progress bar (files and bytes); yields ``advance(files=0, bytes=0)`` (with ``advance.more(files,
    bytes)`` to raise the totals), safe from threads."""
    if not enabled:
        yield _NoProgress()
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(),
               TextColumn("{task.fields[done]}/{task.fields[files]} files"), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())
    lock = threading.Lock()
    done = [0]
    totals = [total_files, total_bytes]
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task(description, total=total_bytes, done=0, files=total_files)

        class Advance(_NoProgress):
            def __call__(self, files: int = 0, bytes: int = 0) -> None:
                with lock:
                    done[0] += files
                    bar.update(task, advance=bytes, done=done[0])

            def more(self, files: int, bytes: int) -> None:
                with lock:
                    totals[0] += files
                    totals[1] += bytes
                    bar.update(task, total=totals[1], files=totals[0])

        yield Advance()


def _existing_key(item: Any) -> tuple[str, str]:
    return (_get(item, "dir"), _get(item, "name"))


def _plan(local: list[_Local], existing: dict[tuple[str, str], str | None], report: UploadReport,
          advance: Callable[..., None]) -> list[_Local]:
    todo = []
    for f in local:
        known = existing.get((f.dir, f.name), "")
        if known == "":
            todo.append(f)
        elif known == f.sha256:
            report.skipped.append(f.path)
            advance(files=1, bytes=f.size)
        else:
            report.failed[f.path] = (f"DUPLICATE: {f.dir.rstrip('/')}/{f.name} already holds other content "
                                     f"in this dataset")
            advance(files=1, bytes=f.size)
    return todo


def _split_small(todo: list[_Local], concurrency: int) -> tuple[list[list[_Local]], list[_Local]]:
    """Files up to SMALL_FILE in batches for ``itemsUpload`` (one ``dir`` per batch; at most SMALL_BATCH_FILES
    and SMALL_BATCH_BYTES, and small enough that every worker gets about four: no long tail), and the larger
    files (direct uploads, in parts)."""
    small = [f for f in todo if f.size <= SMALL_FILE]
    large = [f for f in todo if f.size > SMALL_FILE]
    per = max(1, min(SMALL_BATCH_FILES, -(-len(small) // (4 * max(1, concurrency)))))
    by_dir: dict[str, list[_Local]] = {}
    for f in small:
        by_dir.setdefault(f.dir, []).append(f)
    batches: list[list[_Local]] = []
    for files in by_dir.values():
        batch: list[_Local] = []
        size = 0
        for f in files:
            if batch and (len(batch) >= per or size + f.size > SMALL_BATCH_BYTES):
                batches.append(batch)
                batch, size = [], 0
            batch.append(f)
            size += f.size
        if batch:
            batches.append(batch)
    return batches, large


def _hash_first(local: list[_Local], existing: dict[tuple[str, str], Any]) -> list[_Local]:
    """The files to hash before anything goes up: those whose path is taken in the dataset, and the large ones."""
    return [f for f in local if f.size > SMALL_FILE or (f.dir, f.name) in existing]


def _check_stored(batch: list[_Local], items: list[Any], report: UploadReport,
                  advance: Callable[..., None]) -> None:
    """Each file's sha256 (hashed by this worker) against the one the server computed from the bytes it stored:
    a file changed while it was sent is reported as failed, the others as uploaded."""
    by_name = {_get(i, "filename"): i for i in items}
    for f in batch:
        item = by_name.get(_filename(f))
        if item is not None and _get(item, "sha256") == f.sha256:
            report.uploaded.append(item)
            report.bytes_sent += f.size
        else:
            report.failed[f.path] = (f"the server stored sha256 {item and _get(item, 'sha256')}, the file's is "
                                     f"{f.sha256} (changed while uploading?)")
    advance(files=len(batch), bytes=sum(f.size for f in batch))


def _filename(f: _Local) -> str:
    return f.dir.rstrip("/") + "/" + f.name


def _retryable_call(exc: BaseException) -> bool:
    """A GraphQL request that may not have reached the server, or that the server could not answer."""
    from .errors import HTTPError, TransportError

    if isinstance(exc, HTTPError):
        return exc.status_code in RETRYABLE_STATUS
    return isinstance(exc, (TransportError, httpx.TransportError))


def _settle(found: dict[str, Any], batch: list[_Local], report: UploadReport,
            advance: Callable[..., None]) -> list[_Local]:
    """After a call whose outcome is unknown (the connection dropped): the files now in the dataset with the
    same sha256 went up (that call committed); other bytes under the name are a DUPLICATE; returns the rest."""
    left = []
    for f in batch:
        item = found.get(_filename(f))
        if item is None:
            left.append(f)
        elif _get(item, "sha256") == f.sha256:
            report.uploaded.append(item)
            report.bytes_sent += f.size
            advance(files=1, bytes=f.size)
        else:
            report.failed[f.path] = f"DUPLICATE: {_filename(f)} already holds other content in this dataset"
            advance(files=1, bytes=f.size)
    return left


def _names_filter(batch: list[_Local]) -> dict[str, Any]:
    return {"filename": {"in": [_filename(f) for f in batch]}}


def _small_batch_steps(batch: list[_Local], report: UploadReport, advance: Callable[..., None],
                       retries: int) -> Iterator[tuple[Any, ...]]:
    """One ``itemsUpload`` request for a batch of small files (one transaction: all or none). Files the server
    names as wrong fail and the rest are sent again; a dropped connection or a retryable status is retried with
    backoff, after checking which files that call committed after all. Both halves run it (``_drive``/``_adrive``)
    with their own I/O: ("hash", path) → sha256, ("list", filter) → the items it matches, ("upload", batch) → the
    payload, ("sleep", seconds)."""
    for f in batch:
        if not f.sha256:
            f.sha256 = yield ("hash", f.path)  # GIL released while hashing: other workers' batches go on
    attempt, unsure = 0, False
    while batch:
        if unsure:
            try:
                found = {_get(i, "filename"): i for i in (yield ("list", _names_filter(batch)))}
            except Exception:  # noqa: BLE001 - the server is still unreachable: the next attempt says so
                found = {}
            batch = _settle(found, batch, report, advance)
            if not batch:
                return
        try:
            payload = yield ("upload", batch)
            errors = _get(payload, "errors")
        except MutationError as exc:
            errors = exc.errors
        except Exception as exc:
            attempt += 1
            if attempt > retries or not _retryable_call(exc):
                for f in batch:
                    report.failed[f.path] = f"{type(exc).__name__}: {exc}"
                advance(files=len(batch))
                return
            yield ("sleep", _backoff(attempt))
            unsure = True
            continue
        if errors:
            batch = _fail_batch(batch, errors, report, advance)
            unsure = False
            continue
        _check_stored(batch, list(_get(payload, "items")), report, advance)
        return


def _upload_small_batch(client: Any, dataset_id: str, batch: list[_Local], report: UploadReport,
                        advance: Callable[..., None], retries: int) -> None:
    """``_small_batch_steps`` on this thread."""
    from contextlib import ExitStack

    from .base_model import Upload

    def io(op: str, arg: Any) -> Any:
        if op == "hash":
            return sha256_file(arg)
        if op == "list":
            return list(_list_existing(client, dataset_id, arg))
        if op == "sleep":
            return time.sleep(arg)
        with ExitStack() as stack:
            files = [Upload(f.name, stack.enter_context(open(f.path, "rb")), "application/octet-stream") for f in arg]
            return client.upload_items(dataset_id=dataset_id, files=files, dir=arg[0].dir)

    _drive(_small_batch_steps(batch, report, advance, retries), io)


def _upload_inputs(batch: Sequence[_Local]) -> list[dict[str, Any]]:
    return [{"name": f.name, "dir": f.dir, "size": f.size, "sha256": f.sha256} for f in batch]


def _parts(upload: Any) -> list[tuple[int, int, int, str, bool]]:
    """(number, offset, size, url, received) of each part of a direct upload."""
    out, offset = [], 0
    for part in _get(upload, "parts"):
        size = int(_get(part, "size"))
        out.append((int(_get(part, "number")), offset, size, _get(part, "upload_url"), bool(_get(part, "received"))))
        offset += size
    return out


# --- sync ----------------------------------------------------------------------------------------------------

def _list_existing(client: Any, dataset_id: str, filter: dict[str, Any] | None = None) -> Iterator[Any]:
    from .pagination import iter_nodes

    kwargs: dict[str, Any] = {"dataset_id": dataset_id}
    if filter is not None:
        kwargs["filter_"] = filter
    return iter_nodes(client.list_item_contents, page_size=PAGE_SIZE, **kwargs)


def upload_files(client: Any, dataset_id: str, paths: Any, *, dir: str = "/", concurrency: int = 8,
                 progress: bool = True, retries: int = 5, http_client: httpx.Client | None = None) -> UploadReport:
    """Upload files (or folders, keeping their tree under ``dir``) as items of a dataset; see the module doc."""
    local = collect_files(paths, dir)
    report = UploadReport()
    put_client = http_client or httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0))
    pool = ThreadPoolExecutor(max_workers=max(1, concurrency))
    committer = ThreadPoolExecutor(max_workers=COMMITS_AT_ONCE)
    try:
        existing = {_existing_key(i): _get(i, "sha256") for i in _list_existing(client, dataset_id)}
        # hashed up front: files whose path is taken (skip or DUPLICATE) and direct uploads (their sha256 is
        # announced); a new small file is hashed by its batch's worker while other batches are on the wire
        wanted = _hash_first(local, existing)
        for f, digest in zip(wanted, pool.map(lambda f: sha256_file(f.path), wanted), strict=True):
            f.sha256 = digest
        with _progress(progress, "upload", len(local), sum(f.size for f in local)) as advance:
            todo = _plan(local, existing, report, advance)
            # small files: several per itemsUpload request (one round trip, the commit in the same request)
            small, todo = _split_small(todo, concurrency)
            small_sent = [pool.submit(_upload_small_batch, client, dataset_id, batch, report, advance, retries)
                          for batch in small]
            # larger files: direct uploads; batches overlap: the next batch's uploads are created while this
            # one's bytes go up, and each batch is committed (on ``committer``) as soon as its own files are sent;
            # at most BATCHES_AHEAD in flight
            sending: list[list[Future[str | None]]] = []
            commits: list[Future[None]] = []
            for batch in _batches(todo, COMMIT_BATCH):
                if len(sending) >= BATCHES_AHEAD:
                    _wait_all(sending[-BATCHES_AHEAD])
                started = _upload_batch(client, put_client, pool, committer, dataset_id, batch, report, advance,
                                        retries)
                if started is not None:
                    sending.append(started[0])
                    commits.append(started[1])
            for commit in commits:
                commit.result()
            _wait_all(small_sent)
    finally:
        committer.shutdown(wait=True)
        pool.shutdown(wait=True)
        if http_client is None:
            put_client.close()
    return report


def _wait_all(futures: Sequence[Future[Any]]) -> None:
    for f in futures:
        f.result()


def _upload_batch(client: Any, put_client: httpx.Client, pool: ThreadPoolExecutor, committer: ThreadPoolExecutor,
                  dataset_id: str, batch: Sequence[_Local], report: UploadReport, advance: Callable[..., None],
                  retries: int) -> tuple[list[Future[str | None]], Future[None]] | None:
    """Create the batch's uploads and start sending their bytes on ``pool``; returns the sends and the commit
    (on ``committer``: it waits for the sends, then commits the files that went up)."""
    batch = list(batch)
    while True:  # all or none per call: drop the files it names as wrong, ask again for the rest
        try:
            created = client.create_item_uploads(dataset_id=dataset_id, files=_upload_inputs(batch))
            errors = _get(created, "errors")
        except MutationError as exc:
            errors = exc.errors
        if not errors:
            break
        batch = _fail_batch(batch, errors, report, advance)
        if not batch:
            return None
    uploads = list(_get(created, "uploads"))

    def send(pair: tuple[_Local, Any]) -> str | None:
        f, upload = pair
        try:
            _send_file(client, put_client, f, upload, advance, retries)
            report.bytes_sent += f.size
            return None
        except Exception as exc:  # noqa: BLE001 - reported per file
            return f"{type(exc).__name__}: {exc}"

    pairs = list(zip(batch, uploads, strict=True))
    sends = [pool.submit(send, pair) for pair in pairs]

    def commit() -> None:
        ready = []
        for (f, upload), sent in zip(pairs, sends, strict=True):
            problem = sent.result()
            if problem:
                report.failed[f.path] = problem
                advance(files=1)
            else:
                ready.append((f, upload))
        _commit(lambda items: client.commit_item_uploads(dataset_id=dataset_id, items=items), ready, report,
                advance)

    return sends, committer.submit(commit)


def _send_file(client: Any, put_client: httpx.Client, f: _Local, upload: Any, advance: Callable[..., None],
               retries: int) -> None:
    headers = dict(_get(upload, "headers") or {})
    parts = _parts(upload)
    attempt = 0
    while True:
        try:
            for _number, offset, size, url, received in parts:
                if received:
                    continue
                sent = [0]

                def body(offset: int = offset, size: int = size, sent: list[int] = sent) -> Iterator[bytes]:
                    for chunk in _read_range(f.path, offset, size):
                        sent[0] += len(chunk)
                        advance(bytes=len(chunk))
                        yield chunk

                try:
                    r = put_client.put(url, content=body(), headers={**headers, "Content-Length": str(size)})
                    r.raise_for_status()
                except BaseException:
                    advance(bytes=-sent[0])
                    raise
            return
        except Exception as exc:
            attempt += 1
            if attempt > retries or not _retryable(exc):
                raise
            time.sleep(_backoff(attempt))
            fresh = client.get_item_upload(upload_id=_get(upload, "upload_id"))
            if fresh is None:
                raise FileTransferError(f"upload {_get(upload, 'upload_id')} is gone (expired?)") from exc
            parts = _parts(fresh)


def _commit_steps(ready: list[tuple[_Local, Any]], report: UploadReport,
                  advance: Callable[..., None]) -> Iterator[tuple[Any, ...]]:
    """``itemsCreate`` for the uploaded files: all or none per call, so files it names as wrong are dropped and
    the rest committed again. Yields ("commit", items) → the payload (run by ``_drive`` / ``_adrive``)."""
    while ready:
        items = [{"name": f.name, "dir": f.dir, "uploadId": _get(u, "upload_id")} for f, u in ready]
        try:
            payload = yield ("commit", items)
        except MutationError as exc:
            ready = _drop_failed(ready, exc.errors, report, advance)
            continue
        if _get(payload, "errors"):  # a client made with raise_user_errors=False
            ready = _drop_failed(ready, _get(payload, "errors"), report, advance)
            continue
        report.uploaded.extend(_get(payload, "items"))
        advance(files=len(ready))
        return


def _commit(call: Callable[[list[dict[str, Any]]], Any], ready: list[tuple[_Local, Any]], report: UploadReport,
            advance: Callable[..., None]) -> None:
    _drive(_commit_steps(ready, report, advance), lambda _op, items: call(items))


def _drop_failed(ready: list[tuple[_Local, Any]], errors: Sequence[Any], report: UploadReport,
                 advance: Callable[..., None]) -> list[tuple[_Local, Any]]:
    """Mark the files a refused ``itemsCreate`` names as failed and return the others (all fail when it names
    none of them: an error about the whole call)."""
    bad = {i: f"{e.code}: {e.message}" for e in errors if (i := _error_index(e)) is not None and i < len(ready)}
    if not bad:
        reason = "; ".join(f"{e.code}: {e.message}" for e in errors) or "itemsCreate refused the files"
        bad = dict.fromkeys(range(len(ready)), reason)
    for i, reason in bad.items():
        report.failed[ready[i][0].path] = reason
    advance(files=len(bad))
    return [pair for i, pair in enumerate(ready) if i not in bad]


def _fail_batch(batch: list[_Local], errors: Sequence[Any], report: UploadReport,
                advance: Callable[..., None]) -> list[_Local]:
    """``itemUploadsCreate`` refused the batch: the files its errors name fail (all of them when it names none);
    returns the others."""
    bad = {i: f"{e.code}: {e.message}" for e in errors if (i := _error_index(e)) is not None and i < len(batch)}
    if not bad:
        reason = "; ".join(f"{e.code}: {e.message}" for e in errors)
        bad = dict.fromkeys(range(len(batch)), reason)
    for i, reason in bad.items():
        report.failed[batch[i].path] = reason
    advance(files=len(bad))
    return [f for i, f in enumerate(batch) if i not in bad]


# --- async ---------------------------------------------------------------------------------------------------

async def _alist_existing(client: Any, dataset_id: str, filter: dict[str, Any] | None = None) -> list[Any]:
    from .pagination import aiter_nodes

    kwargs: dict[str, Any] = {"dataset_id": dataset_id}
    if filter is not None:
        kwargs["filter_"] = filter
    return [i async for i in aiter_nodes(client.list_item_contents, page_size=PAGE_SIZE, **kwargs)]


async def upload_files_async(client: Any, dataset_id: str, paths: Any, *, dir: str = "/", concurrency: int = 8,
                             progress: bool = True, retries: int = 5,
                             http_client: httpx.AsyncClient | None = None) -> UploadReport:
    """The async ``upload_files``."""
    local = collect_files(paths, dir)
    report = UploadReport()
    put_client = http_client or httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0))
    limit = asyncio.Semaphore(max(1, concurrency))
    try:
        existing = {_existing_key(i): _get(i, "sha256") for i in await _alist_existing(client, dataset_id)}
        wanted = _hash_first(local, existing)  # as in upload_files
        digests = await asyncio.gather(*(asyncio.to_thread(sha256_file, f.path) for f in wanted))
        for f, digest in zip(wanted, digests, strict=True):
            f.sha256 = digest
        with _progress(progress, "upload", len(local), sum(f.size for f in local)) as advance:
            todo = _plan(local, existing, report, advance)
            small, todo = _split_small(todo, concurrency)  # as in upload_files

            async def send_small(batch: list[_Local]) -> None:
                async with limit:
                    await _aupload_small_batch(client, dataset_id, batch, report, advance, retries)

            small_sent = asyncio.gather(*(send_small(b) for b in small))
            commit_limit = asyncio.Semaphore(COMMITS_AT_ONCE)
            sending: list[asyncio.Future[Any]] = []
            commits: list[asyncio.Task[None]] = []
            for batch in _batches(todo, COMMIT_BATCH):  # batches overlap as in upload_files
                if len(sending) >= BATCHES_AHEAD:
                    await sending[-BATCHES_AHEAD]
                started = await _aupload_batch(client, put_client, limit, commit_limit, dataset_id, batch, report,
                                               advance, retries)
                if started is not None:
                    sending.append(started[0])
                    commits.append(started[1])
            await asyncio.gather(*commits)
            await small_sent
    finally:
        if http_client is None:
            await put_client.aclose()
    return report


async def _aupload_small_batch(client: Any, dataset_id: str, batch: list[_Local], report: UploadReport,
                               advance: Callable[..., None], retries: int) -> None:
    """``_small_batch_steps`` on the event loop."""
    from contextlib import ExitStack

    from .base_model import Upload

    async def io(op: str, arg: Any) -> Any:
        if op == "hash":
            return await asyncio.to_thread(sha256_file, arg)
        if op == "list":
            return await _alist_existing(client, dataset_id, arg)
        if op == "sleep":
            return await asyncio.sleep(arg)
        with ExitStack() as stack:
            files = [Upload(f.name, stack.enter_context(open(f.path, "rb")), "application/octet-stream") for f in arg]
            return await client.upload_items(dataset_id=dataset_id, files=files, dir=arg[0].dir)

    await _adrive(_small_batch_steps(batch, report, advance, retries), io)


async def _aupload_batch(client: Any, put_client: httpx.AsyncClient, limit: asyncio.Semaphore,
                         commit_limit: asyncio.Semaphore, dataset_id: str, batch: Sequence[_Local],
                         report: UploadReport, advance: Callable[..., None],
                         retries: int) -> tuple[asyncio.Future[Any], asyncio.Task[None]] | None:
    """Create the batch's uploads and start sending their bytes; returns the sends and the task that commits
    them once sent."""
    batch = list(batch)
    while True:  # all or none per call: drop the files it names as wrong, ask again for the rest
        try:
            created = await client.create_item_uploads(dataset_id=dataset_id, files=_upload_inputs(batch))
            errors = _get(created, "errors")
        except MutationError as exc:
            errors = exc.errors
        if not errors:
            break
        batch = _fail_batch(batch, errors, report, advance)
        if not batch:
            return None
    uploads = list(_get(created, "uploads"))

    async def send(f: _Local, upload: Any) -> str | None:
        async with limit:
            try:
                await _asend_file(client, put_client, f, upload, advance, retries)
                report.bytes_sent += f.size
                return None
            except Exception as exc:  # noqa: BLE001 - reported per file
                return f"{type(exc).__name__}: {exc}"

    sends = asyncio.gather(*(send(f, u) for f, u in zip(batch, uploads, strict=True)))

    async def commit() -> None:
        problems = await sends
        ready = []
        for f, upload, problem in zip(batch, uploads, problems, strict=True):
            if problem:
                report.failed[f.path] = problem
                advance(files=1)
            else:
                ready.append((f, upload))
        await _acommit(client, commit_limit, dataset_id, ready, report, advance)

    return sends, asyncio.create_task(commit())


async def _acommit(client: Any, commit_limit: asyncio.Semaphore, dataset_id: str, ready: list[tuple[_Local, Any]],
                   report: UploadReport, advance: Callable[..., None]) -> None:
    async with commit_limit:
        await _acommit_now(client, dataset_id, ready, report, advance)


async def _acommit_now(client: Any, dataset_id: str, ready: list[tuple[_Local, Any]], report: UploadReport,
                       advance: Callable[..., None]) -> None:
    async def io(_op: str, items: list[dict[str, Any]]) -> Any:
        return await client.commit_item_uploads(dataset_id=dataset_id, items=items)

    await _adrive(_commit_steps(ready, report, advance), io)


async def _asend_file(client: Any, put_client: httpx.AsyncClient, f: _Local, upload: Any,
                      advance: Callable[..., None], retries: int) -> None:
    headers = dict(_get(upload, "headers") or {})
    parts = _parts(upload)
    attempt = 0
    while True:
        try:
            for _number, offset, size, url, received in parts:
                if received:
                    continue
                sent = [0]

                async def body(offset: int = offset, size: int = size, sent: list[int] = sent) -> AsyncIterator[bytes]:
                    async for chunk in _aread_range(f.path, offset, size):
                        sent[0] += len(chunk)
                        advance(bytes=len(chunk))
                        yield chunk

                try:
                    r = await put_client.put(url, content=body(), headers={**headers, "Content-Length": str(size)})
                    r.raise_for_status()
                except BaseException:
                    advance(bytes=-sent[0])
                    raise
            return
        except Exception as exc:
            attempt += 1
            if attempt > retries or not _retryable(exc):
                raise
            await asyncio.sleep(_backoff(attempt))
            fresh = await client.get_item_upload(upload_id=_get(upload, "upload_id"))
            if fresh is None:
                raise FileTransferError(f"upload {_get(upload, 'upload_id')} is gone (expired?)") from exc
            parts = _parts(fresh)


# --- download: one core, two drivers ------------------------------------------------------------------------
#
# What happens to each item (where it goes, whether the file on disk already holds it, the retries, the check and
# the rename into place) is written once, as a generator that yields the I/O it needs — ("fetch", url, partial,
# size) → (bytes, sha256), ("sleep", seconds), ("url", item id) → a fresh URL, ("hash", path) → sha256 — and the
# sync half (threads) and the async half (tasks) each run it with their own I/O. The listing is paged while the
# first files already come down (the first page is small so the downloads start at once).

DOWNLOAD_FIRST_PAGE = 50
DOWNLOAD_PAGE_SIZE = 500
DOWNLOAD_AHEAD = 1000  # items listed but not yet downloaded, at most (the listing waits for the downloads)
# what a download needs of each item, and no more: a page of 500 such nodes costs the server and the client far
# less than the full ItemContentFields (metadata, probe fields) with pydantic models; plain dicts come back
DOWNLOAD_LISTING = """
query DownloadListing($datasetId: ID!, $first: Int, $after: String, $filter: ItemFilter, $expiresIn: Int) {
  dataset(id: $datasetId) {
    items(first: $first, after: $after, filter: $filter) {
      pageInfo { hasNextPage endCursor }
      nodes { id name dir filename size sha256 url(expiresIn: $expiresIn) }
    }
  }
}"""


def _listing_variables(dataset_id: str, filter: dict[str, Any] | None, after: str | None) -> dict[str, Any]:
    return {"datasetId": dataset_id, "first": DOWNLOAD_PAGE_SIZE if after else DOWNLOAD_FIRST_PAGE, "after": after,
            "filter": filter, "expiresIn": 3600}


def _listing_page(data: dict[str, Any], dataset_id: str) -> tuple[list[dict[str, Any]], str | None]:
    from .errors import ErrorDetail, NotFoundError

    dataset = data.get("dataset")
    if dataset is None:
        raise NotFoundError([ErrorDetail(message=f"dataset {dataset_id} does not exist or is out of your reach",
                                         code="NOT_FOUND")])
    page = dataset["items"]
    more = page["pageInfo"]["hasNextPage"]
    return [n for n in page["nodes"] if n.get("url")], page["pageInfo"]["endCursor"] if more else None


def _download_pages(client: Any, dataset_id: str, filter: dict[str, Any] | None) -> Iterator[list[dict[str, Any]]]:
    after = None
    while True:
        nodes, after = _listing_page(client.request(DOWNLOAD_LISTING, _listing_variables(dataset_id, filter, after)),
                                     dataset_id)
        yield nodes
        if after is None:
            return


def _download_listing(client: Any, dataset_id: str, filter: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    """The items a download fetches (those with content), as plain dicts."""
    for nodes in _download_pages(client, dataset_id, filter):
        yield from nodes


async def _adownload_pages(client: Any, dataset_id: str,
                           filter: dict[str, Any] | None) -> AsyncIterator[list[dict[str, Any]]]:
    after = None
    while True:
        nodes, after = _listing_page(
            await client.request(DOWNLOAD_LISTING, _listing_variables(dataset_id, filter, after)), dataset_id)
        yield nodes
        if after is None:
            return


def _local_target(dest: Path, item: Any) -> Path:
    rel = [p for p in str(_get(item, "dir") or "/").split("/") if p]
    if any(p in (".", "..") for p in rel) or _get(item, "name") in ("", ".", ".."):
        raise FileTransferError(f"refusing an item path outside {dest}: {_get(item, 'filename')!r}")
    return dest.joinpath(*rel, _get(item, "name"))


class _Downloads:
    """What both halves share: the report, the progress, and the files already under ``dest`` — each folder is
    scanned once (one ``scandir``, not a ``stat`` per file) and made once when missing. Safe from threads (a
    folder scanned twice by two threads at once gives the same answer)."""

    def __init__(self, dest: Path, report: DownloadReport, advance: Any, retries: int) -> None:
        self.dest, self.report, self.advance, self.retries = dest, report, advance, retries
        self.folders: dict[Path, dict[str, int]] = {}

    def on_disk(self, folder: Path) -> dict[str, int]:
        """The files in ``folder`` before this download wrote there (name → size); makes a missing folder."""
        found = self.folders.get(folder)
        if found is None:
            found = {}
            try:
                with os.scandir(folder) as entries:
                    for e in entries:
                        if e.is_file():
                            found[e.name] = e.stat().st_size
            except FileNotFoundError:
                folder.mkdir(parents=True, exist_ok=True)
            self.folders[folder] = found
        return found

    def steps(self, item: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        """One item, from its listing entry to its file (or its failure) in the report; yields the I/O."""
        report, advance = self.report, self.advance
        size = int(item.get("size") or 0)
        try:
            target = _local_target(self.dest, item)
        except FileTransferError as exc:
            report.failed[self.dest / str(item.get("name"))] = str(exc)
            advance(files=1)
            return
        if self.on_disk(target.parent).get(target.name) == size and (yield ("hash", target)) == item["sha256"]:
            report.skipped.append(target)
            advance(files=1, bytes=size)
            return
        partial = target.with_name(target.name + ".part")
        url = item["url"]
        attempt = 0
        while True:
            try:
                got, digest = yield ("fetch", url, partial, size)
                if digest != item["sha256"]:
                    raise FileTransferError(f"{target}: sha256 {digest} differs from the item's")
                os.replace(partial, target)  # complete and checked: only now under its name
                report.downloaded.append(target)
                report.bytes_received += got
                advance(files=1)
                return
            except Exception as exc:
                attempt += 1
                expired = isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code == 403
                if attempt > self.retries or not (_retryable(exc) or expired):
                    with suppress(OSError):
                        os.unlink(partial)
                    report.failed[target] = f"{type(exc).__name__}: {exc}"
                    advance(files=1)
                    return
                yield ("sleep", _backoff(attempt))
                if expired:
                    url = yield ("url", item["id"])


def _drive(steps: Iterator[tuple[Any, ...]], io: Callable[..., Any]) -> None:
    """Run ``steps`` with a blocking ``io``: each yielded request's answer (or its exception) is sent back."""
    try:
        request = next(steps)
        while True:
            try:
                answer = io(*request)
            except Exception as exc:  # noqa: BLE001 - the steps decide (retry, or report the file as failed)
                request = steps.throw(exc)
            else:
                request = steps.send(answer)
    except StopIteration:
        return


async def _adrive(steps: Iterator[tuple[Any, ...]], io: Callable[..., Any]) -> None:
    """``_drive`` with an async ``io``."""
    try:
        request = next(steps)
        while True:
            try:
                answer = await io(*request)
            except Exception as exc:  # noqa: BLE001 - as in _drive
                request = steps.throw(exc)
            else:
                request = steps.send(answer)
    except StopIteration:
        return


def _write_new(path: Path, body: bytes) -> None:
    """One open, one write, one close (no buffered file object for a body already in memory)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(body)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class _PlainGet:
    """GETs of the items' signed URLs over ``http.client``, one kept-alive connection per thread and host.

    A download is thousands of small GETs of URLs that need no cookies, auth or content decoding; httpx spends
    ~0.7–0.8 ms of CPU on each (150 KB, loopback), the standard library's ``http.client`` ~0.15 ms. Used when the
    caller passes no ``http_client`` and no proxy is configured for the URL's host (httpx is used otherwise);
    errors are raised as httpx's (``HTTPStatusError``, ``TransportError``), so retries and the renewal of an
    expired URL work the same. Redirects are followed (at most 5)."""

    REDIRECTS = {301, 302, 303, 307, 308}

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.local = threading.local()
        self.opened: list[Any] = []
        self.lock = threading.Lock()
        self.direct: dict[tuple[str, str], bool] = {}
        self.tls: Any = None

    def usable(self, url: str) -> bool:
        from urllib.parse import urlsplit
        from urllib.request import getproxies, proxy_bypass

        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        ok = self.direct.get(key)
        if ok is None:
            ok = parts.scheme in ("http", "https") and bool(parts.hostname) and (
                parts.scheme not in getproxies() or bool(proxy_bypass(parts.hostname)))
            self.direct[key] = ok
        return ok

    def _connection(self, scheme: str, netloc: str, fresh: bool) -> Any:
        import http.client

        conns = self.local.__dict__.setdefault("conns", {})
        conn = conns.get((scheme, netloc))
        if conn is not None and not fresh:
            return conn
        if conn is not None:
            conn.close()
        if scheme == "https":
            if self.tls is None:
                import ssl

                import certifi  # httpx's own default CA bundle (SSL_CERT_FILE / SSL_CERT_DIR honoured as by httpx)

                self.tls = ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE") or certifi.where(),
                                                      capath=os.environ.get("SSL_CERT_DIR"))
            conn = http.client.HTTPSConnection(netloc, timeout=self.timeout, context=self.tls)
        else:
            conn = http.client.HTTPConnection(netloc, timeout=self.timeout)
        conns[(scheme, netloc)] = conn
        with self.lock:
            self.opened.append(conn)
        return conn

    def fetch(self, url: str, partial: Path, advance: Any, redirects: int = 5) -> tuple[int, str]:
        """GET ``url`` into ``partial`` (hashed while written); returns (bytes, sha256 hex)."""
        import http.client
        from urllib.parse import urljoin, urlsplit

        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for retry_stale in (True, False):
            conn = self._connection(parts.scheme, parts.netloc, fresh=False)
            reused = conn.sock is not None
            try:
                conn.request("GET", target)
                resp = conn.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                conn.close()  # a kept-alive connection the server had closed: once more on a new one
                if not (reused and retry_stale):
                    raise httpx.ReadError(f"{type(exc).__name__}: {exc}", request=httpx.Request("GET", url)) from exc
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                raise httpx.ConnectError(f"{type(exc).__name__}: {exc}", request=httpx.Request("GET", url)) from exc
        got, h = 0, hashlib.sha256()
        try:
            if resp.status in self.REDIRECTS and resp.getheader("Location") and redirects > 0:
                resp.read()
                return self.fetch(urljoin(url, resp.getheader("Location")), partial, advance, redirects - 1)
            if resp.status >= 400:
                body = resp.read()
                request = httpx.Request("GET", url)
                raise httpx.HTTPStatusError(f"{resp.status} {resp.reason} for url {url}", request=request,
                                            response=httpx.Response(resp.status, content=body, request=request))
            length = resp.getheader("Content-Length")
            if length is not None and int(length) <= CHUNK:  # a small file: one read, one write
                body = resp.read()
                h.update(body)
                _write_new(partial, body)
                got = len(body)
                advance(bytes=got)
            else:
                with open(partial, "wb") as out:
                    while chunk := resp.read(CHUNK):
                        out.write(chunk)
                        h.update(chunk)
                        got += len(chunk)
                        advance(bytes=len(chunk))
            if length is not None and got != int(length):
                raise http.client.IncompleteRead(b"", int(length) - got)
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            advance(bytes=-got)
            raise httpx.ReadError(f"{type(exc).__name__}: {exc}", request=httpx.Request("GET", url)) from exc
        except BaseException:
            conn.close()
            advance(bytes=-got)
            raise
        if resp.will_close:
            conn.close()
        return got, h.hexdigest()

    def close(self) -> None:
        with self.lock:
            for conn in self.opened:
                conn.close()
            self.opened.clear()


def _pool_limits(concurrency: int) -> httpx.Limits:
    """Keep-alive connections for every worker (httpx keeps 20 by default)."""
    return httpx.Limits(max_connections=max(100, concurrency), max_keepalive_connections=max(20, concurrency))


def download_items(client: Any, dataset_id: str, dest: str | os.PathLike[str], *,
                   filter: dict[str, Any] | None = None, concurrency: int = 8, progress: bool = True,
                   retries: int = 5, http_client: httpx.Client | None = None) -> DownloadReport:
    """Download a dataset's items (those matching ``filter``, an ``ItemFilter``) under ``dest``; see the module doc.
    ``concurrency`` threads fetch the files while the main thread lists the next pages."""
    report = DownloadReport()
    get_client = http_client or httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0), follow_redirects=True,
                                             limits=_pool_limits(concurrency))

    plain = _PlainGet() if http_client is None else None

    def fetch(url: str, partial: Path, size: int) -> tuple[int, str]:
        if plain is not None and plain.usable(url):
            return plain.fetch(url, partial, advance)
        if size <= CHUNK:  # a small file: the body in one read, hashed (GIL released) and written in one go
            r = get_client.get(url)
            r.raise_for_status()
            body = r.content
            _write_new(partial, body)
            advance(bytes=len(body))
            return len(body), hashlib.sha256(body).hexdigest()
        got, h = 0, hashlib.sha256()
        try:
            with get_client.stream("GET", url) as r, open(partial, "wb") as out:
                r.raise_for_status()
                for chunk in r.iter_bytes(CHUNK):
                    out.write(chunk)
                    h.update(chunk)
                    got += len(chunk)
                    advance(bytes=len(chunk))
        except BaseException:
            advance(bytes=-got)
            raise
        return got, h.hexdigest()

    def io(op: str, *args: Any) -> Any:
        if op == "fetch":
            return fetch(*args)
        if op == "hash":
            return sha256_file(args[0])
        if op == "sleep":
            return time.sleep(args[0])
        return _get(client.get_item_content(id=args[0]), "url")

    ahead = threading.BoundedSemaphore(DOWNLOAD_AHEAD)

    def one(item: dict[str, Any]) -> None:
        try:
            _drive(downloads.steps(item), io)
        finally:
            ahead.release()

    try:
        with _progress(progress, "download", 0, 0) as advance, \
                ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            downloads = _Downloads(Path(dest), report, advance, retries)
            running: list[Future[None]] = []
            for nodes in _download_pages(client, dataset_id, filter):  # the next page while these come down
                advance.more(len(nodes), sum(int(n.get("size") or 0) for n in nodes))
                for node in nodes:
                    ahead.acquire()
                    running.append(pool.submit(one, node))
            _wait_all(running)
    finally:
        if plain is not None:
            plain.close()
        if http_client is None:
            get_client.close()
    return report


async def download_items_async(client: Any, dataset_id: str, dest: str | os.PathLike[str], *,
                               filter: dict[str, Any] | None = None, concurrency: int = 8, progress: bool = True,
                               retries: int = 5, http_client: httpx.AsyncClient | None = None) -> DownloadReport:
    """The async ``download_items``: ``concurrency`` tasks fetch the files while the next pages are listed."""
    report = DownloadReport()
    get_client = http_client or httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0), follow_redirects=True,
                                                  limits=_pool_limits(concurrency))

    # the GETs themselves run on threads (http.client, as in download_items) when the caller passes no http_client:
    # measured, that is ~3x the files/s of httpx's AsyncClient on the event loop (bench/README.md, content4)
    plain = _PlainGet() if http_client is None else None
    threads = ThreadPoolExecutor(max_workers=max(1, concurrency)) if plain is not None else None
    loop = asyncio.get_running_loop()

    async def fetch(url: str, partial: Path, size: int) -> tuple[int, str]:
        if plain is not None and plain.usable(url):
            return await loop.run_in_executor(threads, plain.fetch, url, partial, advance)
        if size <= CHUNK:  # as in download_items (a write of at most 1 MiB: not worth a thread trip)
            r = await get_client.get(url)
            r.raise_for_status()
            body = r.content
            _write_new(partial, body)
            advance(bytes=len(body))
            return len(body), hashlib.sha256(body).hexdigest()
        got, h = 0, hashlib.sha256()
        try:
            async with get_client.stream("GET", url) as r:
                r.raise_for_status()
                with open(partial, "wb") as out:
                    async for chunk in r.aiter_bytes(CHUNK):
                        out.write(chunk)
                        h.update(chunk)
                        got += len(chunk)
                        advance(bytes=len(chunk))
        except BaseException:
            advance(bytes=-got)
            raise
        return got, h.hexdigest()

    async def io(op: str, *args: Any) -> Any:
        if op == "fetch":
            return await fetch(*args)
        if op == "hash":
            return await asyncio.to_thread(sha256_file, args[0])
        if op == "sleep":
            return await asyncio.sleep(args[0])
        return _get(await client.get_item_content(id=args[0]), "url")

    queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(DOWNLOAD_AHEAD)

    broken: list[BaseException] = []

    async def worker() -> None:
        while (item := await queue.get()) is not None:
            if broken:
                continue  # keep taking items: the listing must not wait on a full queue
            try:
                await _adrive(downloads.steps(item), io)
            except Exception as exc:  # noqa: BLE001 - raised once all is settled
                broken.append(exc)

    try:
        with _progress(progress, "download", 0, 0) as advance:
            downloads = _Downloads(Path(dest), report, advance, retries)
            workers = [asyncio.create_task(worker()) for _ in range(max(1, concurrency))]
            try:
                async for nodes in _adownload_pages(client, dataset_id, filter):
                    advance.more(len(nodes), sum(int(n.get("size") or 0) for n in nodes))
                    for node in nodes:
                        await queue.put(node)
                for _ in workers:
                    await queue.put(None)
                await asyncio.gather(*workers)
                if broken:
                    raise broken[0]
            finally:
                for w in workers:
                    w.cancel()
    finally:
        if threads is not None:
            threads.shutdown(wait=True)
        if plain is not None:
            plain.close()
        if http_client is None:
            await get_client.aclose()
    return report



# --- one item's bytes ----------------------------------------------------------------------------------------

def _content_url(item: Any, id: str) -> str:
    from .errors import ErrorDetail, NotFoundError

    if item is None:
        raise NotFoundError([ErrorDetail(message=f"item {id} does not exist or is out of your reach",
                                         code="NOT_FOUND")])
    if not _get(item, "url"):
        raise FileTransferError(f"item {id} has no content")
    return _get(item, "url")


def read_item_content(client: Any, id: str) -> bytes:
    url = _content_url(client.get_item_content(id=id), id)
    r = client.http_client.get(url)
    r.raise_for_status()
    return r.content


async def read_item_content_async(client: Any, id: str) -> bytes:
    url = _content_url(await client.get_item_content(id=id), id)
    r = await client.http_client.get(url)
    r.raise_for_status()
    return r.content
