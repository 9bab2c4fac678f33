"""Signed, expiring URLs for the gateway's own file routes (``/files/…``): an HMAC-SHA256 over the path and
the expiry, with a key from ``LABELGRAPH_SECRET_KEY`` (the same on every replica) or, on one machine, a random
key kept in ``<data dir>/secret-key`` (made on first use, readable by the server's user only).

A URL carries ``e`` (expiry, Unix seconds) and ``s`` (the signature, URL-safe base64). A forged, altered or
expired URL is refused with 403 and nothing else: the refusal does not say which check failed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

from labelgraph.settings import Settings


def load_key(settings: Settings) -> bytes:
    if settings.secret_key:
        return settings.secret_key.encode()
    path = Path(settings.data_dir) / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:  # two processes starting together: the first key written wins, both use it
            os.link(path.with_suffix(".tmp"), path)
        except FileExistsError:
            pass
        finally:
            path.with_suffix(".tmp").unlink(missing_ok=True)
    return path.read_text().strip().encode()


class Signer:
    def __init__(self, key: bytes) -> None:
        self.key = key

    def _mac(self, method: str, path: str, expires: int) -> str:
        message = f"{method}\n{path}\n{expires}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def query(self, method: str, path: str, expires_in: int, now: float | None = None) -> tuple[str, int]:
        """``e=…&s=…`` for ``path``, valid ``expires_in`` seconds; and the expiry."""
        expires = int((now if now is not None else time.time()) + expires_in)
        return urlencode({"e": expires, "s": self._mac(method, path, expires)}), expires

    def check(self, method: str, path: str, expires: str | None, signature: str | None,
              now: float | None = None) -> bool:
        if not expires or not signature or not expires.isdigit():
            return False
        if int(expires) < (now if now is not None else time.time()):
            return False
        return hmac.compare_digest(self._mac(method, path, int(expires)), signature)
