"""Limits at the edge, before a request reaches GraphQL: the size of request bodies (``BodyLimit``, an ASGI
middleware) and the time and size of request heads (``EdgeHttpProtocol``, the uvicorn protocol `labelgraph serve`
runs).

Both refuse what an anonymous client could otherwise use to hold the server's memory or connections: a 10 MB
body is read whole before the token is looked at, and uvicorn waits forever for a request head that never ends.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

import orjson

log = logging.getLogger("labelgraph.edge")


@dataclass(frozen=True)
class BodyLimitRule:
    limit: int  # bytes
    setting: str  # the environment variable that sets it (named in the refusal)


class BodyTooLarge(Exception):
    """Raised from ``receive`` to the app when a body of unknown length goes over its limit."""


class BodyLimit:
    """Refuses request bodies over their route's limit with 413 and a GraphQL-shaped ``LIMIT_EXCEEDED`` error,
    before they are read whole.

    A declared ``Content-Length`` over the limit is refused before a byte of the body is read. A body of unknown
    length (chunked) is counted as the app reads it: at the limit, reading stops, the app's answer is discarded
    and the client gets the 413. Either way uvicorn discards the rest of the body as it arrives (the connection is
    not closed at once: a client still sending would get a reset instead of the 413). Routes without a rule (and
    WebSockets, whose messages uvicorn bounds) pass untouched.
    """

    def __init__(self, app, rules: dict[str, BodyLimitRule]) -> None:
        self.app = app
        self.rules = rules

    async def __call__(self, scope, receive, send) -> None:
        rule = self.rules.get(scope["path"]) if scope["type"] == "http" else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None:
            if declared > rule.limit:
                await _refuse(scope, send, rule, f"Content-Length {declared:,}")
            else:  # the server reads no more than Content-Length for this request
                await self.app(scope, receive, send)
            return
        received = 0
        over = False
        response_started = False

        async def counting_receive():
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > rule.limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message) -> None:
            nonlocal response_started
            if over:
                return  # whatever the app answers to a body cut short, the client gets the 413
            response_started = True
            await send(message)

        with contextlib.suppress(BodyTooLarge):
            await self.app(scope, counting_receive, guarded_send)
        if over and not response_started:
            await _refuse(scope, send, rule, f"more than {rule.limit:,} bytes of a body without Content-Length")


def _content_length(scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None  # the HTTP parser refuses malformed values
    return None


async def _refuse(scope, send, rule: BodyLimitRule, what: str) -> None:
    client = scope.get("client")
    log.info("refused a request body to %s from %s: %s, over the limit of %d bytes (%s)", scope["path"],
             client[0] if client else "-", what, rule.limit, rule.setting)
    message = (f"the request body is over the limit of {rule.limit:,} bytes (setting {rule.setting}); send a "
               "smaller request")
    body = orjson.dumps({"data": None, "errors": [{"message": message, "extensions": {
        "code": "LIMIT_EXCEEDED", "limit": rule.limit, "setting": rule.setting}}]})
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
