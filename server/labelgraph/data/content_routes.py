"""The gateway's file routes (mounted by app.py), each authorized by the signature in its URL, never by a token:

* ``GET|HEAD /files/blobs/<sha256>?e=…&s=…`` — a stored file: ``Content-Type``, ``Content-Length``, ``ETag`` (the
  sha256), ``Cache-Control`` (private, until the URL expires), ``Accept-Ranges``; a ``Range: bytes=…`` request
  gets 206 with that part, or 416 beyond the end.
* ``GET /files/thumbs/<sha256>/<size>?e=…&s=…`` — a JPEG thumbnail, made on first request and kept in storage.
* ``PUT /files/uploads/<uploadId>/<part>/<size>?e=…&s=…`` — one part of a direct upload on local storage: the
  body must be exactly ``size`` bytes (413 above, 400 below); a part sent again replaces itself.

A forged, altered or expired signature gets 403 with an empty body: it says nothing about what exists.
"""

from __future__ import annotations

import os
import re
import time

import anyio.to_thread
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from labelgraph.data import content
from labelgraph.storage.store import TooLarge, blob_key, local_path, part_key

SHA = re.compile(r"^[0-9a-f]{64}$")
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _forbidden() -> Response:
    return Response(status_code=403)


def _services(request: Request) -> content.ContentServices:
    state = request.app.state.labelgraph
    return content.services(state, state["settings"])


def _signed(request: Request, method: str) -> bool:
    return _services(request).signer.check(method, request.url.path, request.query_params.get("e"),
                                           request.query_params.get("s"))


def _parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """(start, end exclusive) for a single satisfiable range; None without one (or for several ranges: the
    whole file is sent); "unsatisfiable" for a range beyond the end."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        end = min(int(last) + 1, size) if last else size
        if start >= size or (last and int(last) < start):
            return "unsatisfiable"
        return start, end
    suffix = int(last)
    if suffix == 0:
        return "unsatisfiable"
    return max(0, size - suffix), size


async def _serve(request: Request, key: str, etag: str, mimetype: str) -> Response:
    storage = _services(request).storage
    size = await storage.size_of(key)
    if size is None:
        return Response(status_code=404)
    expires = int(request.query_params.get("e", "0"))
    headers = {"ETag": f'"{etag}"', "Accept-Ranges": "bytes", "Content-Type": mimetype,
               "Cache-Control": f"private, max-age={max(0, expires - int(time.time()))}, immutable"}
    if request.headers.get("if-none-match") == f'"{etag}"':
        return Response(status_code=304, headers={k: v for k, v in headers.items() if k != "Content-Type"})
    wanted = _parse_range(request.headers.get("range"), size)
    if wanted == "unsatisfiable":
        return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    status, start, end = 200, 0, size
    if wanted is not None:
        start, end = wanted
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    if request.method == "HEAD" or end == start:
        return Response(status_code=status, headers=headers)
    path = local_path(storage, key)
    if path is not None:
        return LocalFileResponse(path, start, end, status, headers)
    return StreamingResponse(storage.read(key, start, end), status_code=status, headers=headers)


class LocalFileResponse(Response):
    """Bytes ``start``–``end`` of a local file: up to 1 MiB read at once on the event loop (one ``pread``, no
    thread); larger, as Starlette's FileResponse sends them: by path when the server offers
    ``http.response.pathsend`` (a whole file), else read in a worker thread in 1 MiB chunks (no obstore, no
    copies)."""

    chunk_size = 1024 * 1024

    def __init__(self, path, start: int, end: int, status: int, headers: dict[str, str]) -> None:
        self.path, self.start, self.end = path, start, end
        self.status_code = status
        self.background = None
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.end - self.start <= self.chunk_size:
            # a small file (or range) is read right here: a trip to a worker thread costs more than reading a few
            # hundred KB from the page cache (and hands the GIL around on a busy machine)
            try:
                fd = os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:
                await Response(status_code=404)(scope, receive, send)
                return
            try:
                body = os.pread(fd, self.end - self.start, self.start)
            finally:
                os.close(fd)
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        try:
            fd = await anyio.to_thread.run_sync(os.open, self.path, os.O_RDONLY)
        except FileNotFoundError:  # collected since it was looked at
            await Response(status_code=404)(scope, receive, send)
            return
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if self.status_code == 200 and "http.response.pathsend" in scope.get("extensions", {}):
                await send({"type": "http.response.pathsend", "path": str(self.path)})  # the server sends it
                return
            offset = self.start
            while offset < self.end:
                chunk = await anyio.to_thread.run_sync(os.pread, fd, min(self.chunk_size, self.end - offset),
                                                       offset)
                if not chunk:  # the file shrank: cannot happen to a blob, but never loop forever
                    break
                offset += len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": offset < self.end})
            if offset < self.end:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            os.close(fd)


async def blob(request: Request) -> Response:
    sha = request.path_params["sha256"]
    if not SHA.match(sha):
        return _forbidden()
    typed = request.query_params.get("t")
    if typed is not None:  # Item.url signs the blob's type with the path: no database lookup
        if not content.MIMETYPE.match(typed) or not _services(request).signer.check(
                "GET", f"{request.url.path}\n{typed}", request.query_params.get("e"), request.query_params.get("s")):
            return _forbidden()
        return await _serve(request, blob_key(sha), sha, typed)
    if not _signed(request, "GET"):
        return _forbidden()
    mimetype = _MIMETYPES.get(sha)
    if mimetype is None:
        state = request.app.state.labelgraph
        import sqlalchemy as sa

        async with state["db"].read() as conn:
            mimetype = (await conn.execute(sa.select(content.BLOB.c.mimetype).where(
                content.BLOB.c.sha256 == sha))).scalar()
        if mimetype is not None:  # a blob's type follows from its bytes: the same for as long as it exists
            if len(_MIMETYPES) >= 50_000:
                _MIMETYPES.clear()
            _MIMETYPES[sha] = mimetype
    return await _serve(request, blob_key(sha), sha, mimetype or "application/octet-stream")


_MIMETYPES: dict[str, str] = {}


async def thumb(request: Request) -> Response:
    sha, size = request.path_params["sha256"], request.path_params["size"]
    if not SHA.match(sha) or not _signed(request, "GET"):
        return _forbidden()
    if size not in content.THUMB_SIZES:
        return Response(status_code=404)
    key = await content.thumbnail(request.app.state.labelgraph["db"], _services(request), sha, size)
    if key is None:
        return Response(status_code=404)
    return await _serve(request, key, f"{sha}-{size}", "image/jpeg")


async def upload_part(request: Request) -> Response:
    if not _signed(request, "PUT"):
        return _forbidden()
    upload_id, number, size = (request.path_params["upload_id"], request.path_params["part"],
                               request.path_params["size"])
    storage = _services(request).storage
    if storage.kind == "file":  # straight into its place, hashed on the way (S3 parts never come here)
        try:
            sha, got = await storage.receive_local_part(upload_id, number, request.stream(), size)
        except TooLarge:
            return _error(413, "LIMIT_EXCEEDED", f"this part must be exactly {size:,} bytes; more arrived")
        except ClientDisconnect:
            return Response(status_code=400)
        if sha is None:
            return _error(400, "INCOMPLETE", f"this part must be exactly {size:,} bytes; {got:,} arrived")
        return JSONResponse({"part": number, "size": size, "sha256": sha})
    try:
        spooled = await storage.spool(request.stream(), size)
    except TooLarge:
        return _error(413, "LIMIT_EXCEEDED", f"this part must be exactly {size:,} bytes; more arrived")
    except ClientDisconnect:
        return Response(status_code=400)
    try:
        if spooled.size != size:
            return _error(400, "INCOMPLETE", f"this part must be exactly {size:,} bytes; {spooled.size:,} arrived")
        await storage.put_part(part_key(upload_id, number), spooled)
    finally:
        spooled.remove()
    return JSONResponse({"part": number, "size": size, "sha256": spooled.sha256})


def _error(status: int, code: str, message: str) -> Response:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status)


ROUTES = [
    Route("/files/blobs/{sha256}", blob, methods=["GET", "HEAD"]),
    Route("/files/thumbs/{sha256}/{size:int}", thumb, methods=["GET", "HEAD"]),
    Route("/files/uploads/{upload_id}/{part:int}/{size:int}", upload_part, methods=["PUT"]),
]
