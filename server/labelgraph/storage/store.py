"""Content-addressed blob storage on an object store (obstore: a local folder or S3).

Keys under the store's root:

* ``blobs/<aa>/<sha256>`` — the bytes of every stored file, once per distinct content (``aa``: the first two hex
  digits, so no folder grows past a few thousand entries);
* ``thumbs/<sha256>/<size>.jpg`` — thumbnails, made on first request;
* ``uploads/<uploadId>/<part>`` — parts of a direct upload until ``itemsCreate`` commits them.

Bytes arriving from a client are spooled to a temporary file in ``<data dir>/tmp`` while they are hashed and
counted (never a whole file in memory), probed there, then put under their hash (``put`` is atomic: a reader
never sees half a blob; identical bytes are put once). A failed or cut upload removes its temporary file.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import os
import shutil
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import obstore
from obstore.store import LocalStore, S3Store

from labelgraph.settings import Settings

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """A stream went over its byte limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"over the limit of {limit:,} bytes")
        self.limit = limit


class _Spooling:
    """What ``_spooling`` writes: the file, its running SHA-256 and size, the limit."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path, self.max_bytes, self.size, self.digest, self.out = path, max_bytes, 0, hashlib.sha256(), None

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge(self.max_bytes)
        self.digest.update(chunk)
        self.out.write(chunk)

    @property
    def spooled(self) -> Spooled:
        return Spooled(self.path, self.digest.hexdigest(), self.size)


@dataclass
class Spooled:
    """Bytes received into a local temporary file."""

    path: Path
    sha256: str
    size: int

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def blob_key(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256}"


def thumb_key(sha256: str, size: int) -> str:
    return f"thumbs/{sha256}/{size}.jpg"


def part_key(upload_id: str, number: int) -> str:
    return f"uploads/{upload_id}/{number:05d}"


class Storage:
    """One object store holding every blob, and the local folder uploads are spooled in."""

    def __init__(self, settings: Settings) -> None:
        url = settings.storage_url or (Path(settings.data_dir).absolute() / "blobs").as_uri()
        parsed = urlparse(url)
        self.url = url
        self.tmp_dir = Path(settings.data_dir) / "tmp"
        if parsed.scheme == "file":
            self.kind = "file"
            self.root = Path(parsed.path)
            self.root.mkdir(parents=True, exist_ok=True)
            self.store = LocalStore(self.root, mkdir=True, automatic_cleanup=True)
        elif parsed.scheme == "s3":
            self.kind = "s3"
            self.root = None
            self.store = _s3_store(parsed.netloc, parsed.path, settings.s3_endpoint, settings.s3_region,
                                   settings.s3_access_key_id, settings.s3_secret_access_key)
        else:
            raise ValueError(f"LABELGRAPH_STORAGE_URL must be file:///path or s3://bucket/prefix, got {url!r}")

    # --- receiving --------------------------------------------------------------------------------------------

    async def spool(self, chunks: AsyncIterable[bytes], max_bytes: int) -> Spooled:
        """Write ``chunks`` to a temporary file while hashing them; raises TooLarge past ``max_bytes``. The file
        is removed if anything fails (a client gone mid-upload included)."""
        with self._spooling(max_bytes) as spooling:
            async for chunk in chunks:
                spooling.write(chunk)
        return spooling.spooled

    def spool_file(self, source: Any, max_bytes: int) -> Spooled:
        """``spool`` from a blocking file object (read from its start in 1 MiB chunks; blocking: call it in a
        thread)."""
        source.seek(0)
        with self._spooling(max_bytes) as spooling:
            while chunk := source.read(CHUNK):
                spooling.write(chunk)
        return spooling.spooled

    @contextlib.contextmanager
    def _spooling(self, max_bytes: int) -> Any:
        """A temporary upload file that hashes and counts what is written to it (TooLarge past ``max_bytes``),
        removed when the block fails (a client gone mid-upload included)."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        spooling = _Spooling(self.tmp_dir / f"upload-{uuid.uuid4().hex}", max_bytes)
        try:
            with spooling.path.open("wb") as spooling.out:
                yield spooling
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                spooling.path.unlink()
            raise

    def spool_bytes(self, data: bytes, made_dir: bool = False) -> Spooled:
        """``spool`` of bytes already in memory (a small upload): one open, one write, hashed in one call (the GIL
        released); ``made_dir`` skips the temporary folder's mkdir (the caller made it). Blocking."""
        if not made_dir:
            self.tmp_dir.mkdir(parents=True, exist_ok=True)
        path = self.tmp_dir / f"upload-{uuid.uuid4().hex}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except BaseException:
            os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise
        os.close(fd)
        return Spooled(path, hashlib.sha256(data).hexdigest(), len(data))

    async def keep(self, spooled: Spooled, mimetype: str | None) -> str:
        """Put a spooled file under its hash (unless those bytes are stored already); returns the blob key. On
        local storage the spooled file is moved there (no copy)."""
        key = blob_key(spooled.sha256)
        if not await self.exists(key):
            await self.put_file(key, spooled.path, mimetype, move=True)
        return key

    def keep_local(self, spooled: list[Spooled]) -> None:
        """Local storage: ``keep`` for several spooled files (blocking: call it in a thread)."""
        for one in spooled:
            key = blob_key(one.sha256)
            if not (self.root / key).exists():
                self._put_local(key, one.path, True)
            else:
                one.remove()

    async def put_stream(self, key: str, chunks: AsyncIterable[bytes]) -> None:
        await obstore.put_async(self.store, key, chunks)

    async def put_file(self, key: str, path: Path, mimetype: str | None = None, move: bool = False) -> None:
        """Put the local file ``path`` under ``key``, atomically. On local storage it is renamed there (``move``)
        or copied in bounded chunks to a temporary name beside the target and renamed: never read whole into
        memory. On S3 obstore sends it in parts (at most 4 of 5 MiB in flight)."""
        if self.kind == "file":
            await asyncio.to_thread(self._put_local, key, path, move)
            return
        # S3 keeps the Content-Type (presigned GETs answer with it); a local folder keeps no attributes
        attributes = {"Content-Type": mimetype} if mimetype else None
        await obstore.put_async(self.store, key, path, attributes=attributes, max_concurrency=4)

    def _put_local(self, key: str, path: Path, move: bool) -> None:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        if move:
            try:
                os.replace(path, target)
                return
            except OSError:  # another file system: copy below
                pass
        staging = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
        try:
            shutil.copyfile(path, staging)
            os.replace(staging, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                staging.unlink()

    async def put_part(self, key: str, spooled: Spooled) -> None:
        """Put a received part under ``key`` (moved on local storage) and, on local storage, remember its sha256
        beside it, tied to the file's identity (device, inode, size, mtime) so a part sent again never passes
        for the old one."""
        await self.put_file(key, spooled.path, move=True)
        if self.kind == "file":
            def note() -> None:
                target = self.root / key
                st = target.stat()
                side = target.with_name(target.name + ".sha256")
                staging = side.with_name(f".{side.name}.{uuid.uuid4().hex}.tmp")
                staging.write_text(json.dumps({"sha256": spooled.sha256, "id": _identity(st)}))
                os.replace(staging, side)
            await asyncio.to_thread(note)

    async def receive_local_part(self, upload_id: str, number: int, chunks: AsyncIterable[bytes],
                                 expected: int) -> tuple[str | None, int]:
        """Local storage: receive a direct upload's part straight into its place (a temporary name beside it,
        renamed when complete), hashed on the way. Chunks are gathered to ~1 MiB, hashed and written in a worker
        thread (a small part: one trip to it). If the part is the next one of the
        upload's running hash (``RUNNING``), that hash is carried on over the same bytes: the commit then need
        not read them again. Returns (sha256, size) once stored; (None, size) if more or fewer than
        ``expected`` bytes arrived (nothing is stored; TooLarge is raised as soon as more arrive)."""
        key = part_key(upload_id, number)
        target = self.root / key
        staging = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
        digest = hashlib.sha256()
        running = RUNNING.start(upload_id, number)
        out = None

        def write(data: list[bytes]) -> None:
            nonlocal out
            if out is None:
                target.parent.mkdir(parents=True, exist_ok=True)
                out = staging.open("wb")
            for chunk in data:
                digest.update(chunk)
                if running is not None:
                    running.update(chunk)
                out.write(chunk)

        def finish(data: list[bytes]) -> os.stat_result:
            write(data)
            out.close()
            os.replace(staging, target)
            st = target.stat()
            side = target.with_name(target.name + ".sha256")
            side_staging = side.with_name(f".{side.name}.{uuid.uuid4().hex}.tmp")
            side_staging.write_text(json.dumps({"sha256": digest.hexdigest(), "id": _identity(st)}))
            os.replace(side_staging, side)
            return st

        def drop() -> None:
            if out is not None:
                out.close()
            with contextlib.suppress(FileNotFoundError):
                staging.unlink()

        size, pending, pending_size = 0, [], 0
        try:
            async for chunk in chunks:
                size += len(chunk)
                if size > expected:
                    raise TooLarge(expected)
                pending.append(chunk)
                pending_size += len(chunk)
                if pending_size >= CHUNK:
                    await asyncio.to_thread(write, pending)
                    pending, pending_size = [], 0
            if size != expected:
                drop()
                return None, size
            # in a thread even for a small part: creating and renaming files may wait on the file system's
            # journal (other processes' fsyncs), and the event loop must not wait with it
            st = await asyncio.to_thread(finish, pending)
        except BaseException:
            drop()
            raise
        RUNNING.received(upload_id, number, running, _identity(st))
        return digest.hexdigest(), size

    def local_parts(self, upload_id: str) -> dict[int, int]:
        """Local storage: part number → bytes received (blocking: call it in a thread)."""
        try:
            entries = list(os.scandir(self.root / "uploads" / upload_id))
        except FileNotFoundError:
            return {}
        return {int(e.name): e.stat().st_size for e in entries if e.name.isdigit() and e.is_file()}

    def remove_local_uploads(self, upload_ids: list[str]) -> None:
        """Local storage: delete uploads' parts (blocking: call it in a thread)."""
        for upload_id in upload_ids:
            RUNNING.forget(upload_id)
            shutil.rmtree(self.root / "uploads" / upload_id, ignore_errors=True)

    def take_local_part(self, key: str) -> Spooled | None:
        """Local storage: a hard link (or copy) of a part in the temporary folder, with its sha256 from the note
        made when it was received if that note is about this very file (else hashed here, in bounded chunks).
        Blocking: call it in a thread."""
        source = self.root / key
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        path = self.tmp_dir / f"upload-{uuid.uuid4().hex}"
        try:
            os.link(source, path)
        except OSError:
            shutil.copyfile(source, path)
        st = path.stat()
        sha = None
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            note = json.loads(source.with_name(source.name + ".sha256").read_text())
            if note["id"] == _identity(st):
                sha = note["sha256"]
        if sha is None:
            digest = hashlib.sha256()
            with path.open("rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
            sha = digest.hexdigest()
        return Spooled(path, sha, st.st_size)

    def join_local_parts(self, keys: list[str], upload_id: str | None = None) -> Spooled:
        """Local storage: the parts joined into one temporary file. The upload's running hash (``RUNNING``: the
        parts received in order, each still the very file it hashed) covers the first parts, which are copied
        by the kernel (``os.copy_file_range``: no pass through Python); only the parts after it are read and
        hashed here (bounded chunks). Blocking: call it in a thread."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        path = self.tmp_dir / f"upload-{uuid.uuid4().hex}"
        state = RUNNING.get(upload_id) if upload_id else None
        digest = state.digest.copy() if state else hashlib.sha256()
        covered = len(state.identities) if state else 0
        size = 0
        try:
            with path.open("wb") as out:
                for i, key in enumerate(keys):
                    with (self.root / key).open("rb") as f:
                        if i < covered and _identity(os.fstat(f.fileno())) != state.identities[i]:
                            # a part was replaced since it was hashed: start over, reading every part
                            out.seek(0)
                            out.truncate()
                            f.close()
                            return self._join_reading(keys, path)
                        if i < covered:
                            size += _copy_range(f, out)
                            continue
                        while chunk := f.read(CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
                            size += len(chunk)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise
        return Spooled(path, digest.hexdigest(), size)

    def _join_reading(self, keys: list[str], path: Path) -> Spooled:
        digest = hashlib.sha256()
        size = 0
        try:
            with path.open("wb") as out:
                for key in keys:
                    with (self.root / key).open("rb") as f:
                        while chunk := f.read(CHUNK):
                            digest.update(chunk)
                            out.write(chunk)
                            size += len(chunk)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            raise
        return Spooled(path, digest.hexdigest(), size)

    # --- reading ----------------------------------------------------------------------------------------------

    async def size_of(self, key: str) -> int | None:
        if self.kind == "file":
            try:
                st = os.stat(self.root / key)
            except FileNotFoundError:
                return None
            return st.st_size
        try:
            meta = await obstore.head_async(self.store, key)
        except FileNotFoundError:
            return None
        return int(meta["size"])

    async def exists(self, key: str) -> bool:
        return await self.size_of(key) is not None

    async def read(self, key: str, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """The bytes of ``key`` from ``start`` to ``end`` (exclusive; None: the end), streamed."""
        options = {"range": (start, end)} if end is not None else ({"range": {"offset": start}} if start else {})
        result = await obstore.get_async(self.store, key, options=options)
        async for chunk in result.stream(min_chunk_size=256 * 1024):
            yield bytes(chunk)

    async def download(self, key: str) -> Path:
        """A local temporary copy of ``key`` (the caller removes it)."""
        spooled = await self.spool(self.read(key), 1 << 62)
        return spooled.path

    async def list(self, prefix: str) -> dict[str, int]:
        """key → size of the objects under ``prefix``."""
        found: dict[str, int] = {}
        async for batch in obstore.list(self.store, prefix):
            for meta in batch:
                found[meta["path"]] = int(meta["size"])
        return found

    async def delete(self, *keys: str) -> None:
        for key in keys:
            with contextlib.suppress(FileNotFoundError):
                await obstore.delete_async(self.store, key)

    async def delete_prefix(self, prefix: str) -> None:
        await self.delete(*(await self.list(prefix)))

    # --- presigned URLs (S3) ------------------------------------------------------------------------------------

    async def presign(self, method: str, key: str, expires_in: int) -> str:
        return await obstore.sign_async(self.store, method, key, timedelta(seconds=expires_in))


def _s3_store(bucket: str, prefix: str, endpoint: str | None, region: str | None, access_key_id: str | None,
              secret_access_key: str | None) -> S3Store:
    config: dict[str, str] = {}
    if endpoint:
        config["endpoint"] = endpoint
        config["virtual_hosted_style_request"] = "false"
    if region:
        config["region"] = region
    if access_key_id:
        config["access_key_id"] = access_key_id
    if secret_access_key:
        config["secret_access_key"] = secret_access_key
    client = {"allow_http": True} if (endpoint or "").startswith("http://") else {}
    return S3Store(bucket, prefix=prefix.strip("/") or None, config=config, client_options=client)


def signed_origin(settings: Settings) -> str | None:
    """The origin (scheme://host[:port]) of the URLs the store presigns when it is S3 (item content and export
    downloads point there: the console's Content-Security-Policy allows it), None on local storage."""
    return _signed_origin(settings.storage_url, settings.s3_endpoint, settings.s3_region)


@functools.lru_cache(maxsize=8)
def _signed_origin(storage_url: str, endpoint: str | None, region: str | None) -> str | None:
    # found by signing a URL as ``presign`` does, with throw-away static credentials: a computation, no request
    parsed = urlparse(storage_url)
    if parsed.scheme != "s3":
        return None
    store = _s3_store(parsed.netloc, parsed.path, endpoint, region, "origin", "origin")
    signed = urlparse(obstore.sign(store, "GET", "origin", timedelta(seconds=60)))
    return f"{signed.scheme}://{signed.netloc}"


def _identity(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _copy_range(source, out) -> int:
    """Append the whole of ``source`` to ``out`` by the kernel (``copy_file_range``; a plain copy where the
    file system refuses it); returns the bytes copied."""
    out.flush()
    left = os.fstat(source.fileno()).st_size
    copied = 0
    try:
        while left > 0:
            n = os.copy_file_range(source.fileno(), out.fileno(), min(left, 1 << 30))
            if n == 0:
                break
            copied += n
            left -= n
        if left == 0:
            out.seek(0, os.SEEK_END)  # the buffered writer's position follows the file's
            return copied
    except OSError:
        pass
    source.seek(copied)
    out.seek(0, os.SEEK_END)
    while chunk := source.read(CHUNK):
        out.write(chunk)
        copied += len(chunk)
    return copied


@dataclass
class Running:
    """The sha256 of a direct upload's first parts, as they arrived (in order), and the identity (device,
    inode, size, mtime) of each part file it covers: a part replaced since no longer matches."""

    digest: Any
    identities: list[list[int]]


class RunningHashes:
    """Per direct upload (local storage), the running sha256 over the parts received so far in order, kept in
    this process's memory: hashlib's state cannot be stored, so a part that arrives out of order, at another
    replica or after a restart is simply not covered and the commit reads it again (``join_local_parts``).
    Bounded: the oldest uploads are forgotten past ``limit``."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self.uploads: OrderedDict[str, Running] = OrderedDict()

    def start(self, upload_id: str, number: int) -> Any:
        """A hash to carry over part ``number``'s bytes if it is the next part; else None."""
        state = self.uploads.get(upload_id)
        if state is None:
            return hashlib.sha256() if number == 1 else None
        return state.digest.copy() if len(state.identities) == number - 1 else None

    def received(self, upload_id: str, number: int, digest: Any, identity: list[int]) -> None:
        """Part ``number`` is stored (``digest``: the hash carried over it, or None)."""
        state = self.uploads.get(upload_id)
        if digest is not None and (state is None and number == 1 or
                                   state is not None and len(state.identities) == number - 1):
            self.uploads[upload_id] = Running(digest, [*(state.identities if state else []), identity])
            self.uploads.move_to_end(upload_id)
            while len(self.uploads) > self.limit:
                self.uploads.popitem(last=False)
        elif state is not None and number <= len(state.identities):
            # a part the hash covers was sent again: the identities no longer match; cut the hash before it
            # is useless anyway (its state cannot be rewound), so forget it
            self.uploads.pop(upload_id, None)

    def get(self, upload_id: str) -> Running | None:
        return self.uploads.get(upload_id)

    def forget(self, upload_id: str) -> None:
        self.uploads.pop(upload_id, None)


RUNNING = RunningHashes()


def spooled_chunks(path: Path) -> AsyncIterator[bytes]:
    async def gen():
        with path.open("rb") as f:
            while chunk := await asyncio.to_thread(f.read, CHUNK):
                yield chunk
    return gen()


def local_path(storage: Storage, key: str) -> Path | None:
    """The file behind ``key`` on local storage (None on S3)."""
    return storage.root / key if storage.kind == "file" and storage.root is not None else None


def remove_quietly(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
