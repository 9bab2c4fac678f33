"""Settings from LABELGRAPH_* environment variables (command-line flags override them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


def normalize_database_url(url: str) -> str:
    """Accept the URLs people type and return the async driver URL SQLAlchemy needs.

    ``postgresql://…`` / ``postgres://…`` → asyncpg; ``sqlite:///…`` → aiosqlite.
    """
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def parse_globs(value: str) -> tuple[str, ...]:
    """``"a.*, b.c"`` → ("a.*", "b.c"): a comma-separated list of module-name globs."""
    return tuple(g.strip() for g in value.split(",") if g.strip())


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path(".labelgraph")
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8080
    broker_url: str = "memory://"
    log_level: str = "info"
    default_page_size: int = 50
    max_page_size: int = 1000
    max_batch_size: int = 1000
    graphiql: bool = True
    admin_token: str | None = None  # LABELGRAPH_ADMIN_TOKEN: make sure an admin holding this token exists
    rate_limit: int = 300_000  # points per minute per caller; 0 turns rate limiting off
    max_depth: int = 15
    max_aliases: int = 50
    max_nodes: int = 500_000
    max_document_bytes: int = 100_000
    max_tokens: int = 2_000  # lexical tokens of a query document (parsing stops there)
    max_fields: int = 2_000  # fields of a query once its fragments are expanded
    max_repeated_fields: int = 1_000  # pairs of fields sharing a response name at one place (validation compares them)
    max_introspection: int = 3  # __schema / __type fields in one query
    freeze_gc: bool = False  # `labelgraph serve` turns it on (see app.py)
    embedded_workers: int = 0  # workers inside the server process (`labelgraph serve` defaults to 1)
    compiler: bool = True  # LABELGRAPH_COMPILER=off: no compiled queries (graph/compiler/), resolvers only
    ws_ping_interval: float = 15.0  # seconds between the server's keep-alive pings on a WebSocket; 0: none
    max_subscriptions: int = 100  # operations at once on one WebSocket connection
    ws_reauth_interval: float = 10.0  # seconds between checks of a WebSocket's token (revocation, memberships)
    # permessage-deflate on WebSockets: ~40-50 KiB of zlib state per connection for frames of a few hundred bytes
    ws_compression: bool = False
    outbox_retention_days: float = 7.0  # published and matched outbox events older than this are deleted
    # modules an IMPORT codebase may name (globs): code importable on the server is the platform's to choose
    import_modules: tuple[str, ...] = ("labelgraph.samples.*",)
    sandbox: str = "auto"  # how function code is isolated: auto | bwrap | user | process (engine/isolation.py)
    max_body_bytes: int = 10 * 1024 * 1024  # a GraphQL request body (JSON); larger ones get 413 unread (edge.py)
    max_header_bytes: int = 64 * 1024  # a request head (request line and headers); larger ones get 431
    header_timeout: float = 10.0  # seconds for a request head to arrive whole, else the connection is closed
    keep_alive_timeout: float = 5.0  # seconds an idle kept-alive HTTP connection stays open
    shutdown_timeout: float = 30.0  # seconds a stopping server waits for requests in flight, then cancels them
    health_probe_interval: float = 5.0  # /healthz writes to the database at most this often (health.py)
    # item content (storage/): where blobs live, and the limits and keys of uploads and download URLs
    storage_url: str = ""  # "" = file://<data dir>/blobs; s3://bucket/prefix for replicas
    s3_endpoint: str | None = None  # an S3-compatible server (MinIO, moto…); None: AWS
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    secret_key: str | None = None  # signs download/upload URLs; None: a key kept in <data dir>/secret-key
    max_upload_bytes: int = 5 * 1024**3  # one uploaded file (multipart body or direct upload)
    blob_grace_seconds: float = 3600.0  # a blob nothing references is deleted after this long
    max_log_bytes: int = 10 * 1024 * 1024  # what one execution's function prints and logs, kept (engine/logs.py)
    log_retention_days: float = 7.0  # execution log lines older than this are deleted by the scheduler
    # finished commands (SUCCESS/FAILED/ABORTED) older than this are deleted by the scheduler, which releases
    # their exports' blobs to the blob collection (jobs/queue.prune_commands)
    command_retention_days: float = 30.0
    # dataset jobs (jobs/): commands run by each server process at once (0: this process runs none), the lease
    # a running one holds (another process takes it over when it expires), modules registering more job types
    job_concurrency: int = 2
    job_lease_seconds: float = 10.0
    job_modules: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.database_url:
            object.__setattr__(
                self, "database_url", f"sqlite+aiosqlite:///{Path(self.data_dir) / 'labelgraph.db'}"
            )
        object.__setattr__(self, "database_url", normalize_database_url(self.database_url))
        object.__setattr__(self, "data_dir", Path(self.data_dir))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> Settings:
        """Settings from ``LABELGRAPH_*`` variables (``ENVIRONMENT``); an empty variable counts as unset, except
        those in ``KEEP_EMPTY``. A value that does not convert names its variable."""
        env = os.environ if env is None else env
        values: dict = {"embedded_workers": 1}
        for variable, (name, convert) in ENVIRONMENT.items():
            raw = env.get(variable)
            if raw is None or (raw == "" and variable not in KEEP_EMPTY):
                continue
            try:
                values[name] = convert(raw)
            except ValueError as exc:
                raise ValueError(f"{variable}={raw!r} is not a valid value: {exc}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def _on_off(raw: str) -> bool:
    return raw.lower() not in ("off", "0", "false")


# environment variable -> (Settings field, conversion); the README's "Configuration" table documents each
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "LABELGRAPH_DATA_DIR": ("data_dir", Path),
    "LABELGRAPH_DATABASE_URL": ("database_url", str),
    "LABELGRAPH_HOST": ("host", str),
    "LABELGRAPH_PORT": ("port", int),
    "LABELGRAPH_LOG_LEVEL": ("log_level", str),
    "LABELGRAPH_BROKER_URL": ("broker_url", str),
    "LABELGRAPH_ADMIN_TOKEN": ("admin_token", str),
    "LABELGRAPH_RATE_LIMIT": ("rate_limit", int),
    "LABELGRAPH_EMBEDDED_WORKERS": ("embedded_workers", int),
    "LABELGRAPH_COMPILER": ("compiler", _on_off),
    "LABELGRAPH_WS_PING_INTERVAL": ("ws_ping_interval", float),
    "LABELGRAPH_MAX_SUBSCRIPTIONS": ("max_subscriptions", int),
    "LABELGRAPH_WS_REAUTH_INTERVAL": ("ws_reauth_interval", float),
    "LABELGRAPH_WS_COMPRESSION": ("ws_compression", _on_off),
    "LABELGRAPH_OUTBOX_RETENTION_DAYS": ("outbox_retention_days", float),
    "LABELGRAPH_IMPORT_MODULES": ("import_modules", parse_globs),
    "LABELGRAPH_JOB_CONCURRENCY": ("job_concurrency", int),
    "LABELGRAPH_JOB_LEASE_SECONDS": ("job_lease_seconds", float),
    "LABELGRAPH_JOB_MODULES": ("job_modules", parse_globs),
    "LABELGRAPH_SANDBOX": ("sandbox", lambda raw: raw.strip().lower()),
    "LABELGRAPH_MAX_BODY_BYTES": ("max_body_bytes", int),
    "LABELGRAPH_MAX_HEADER_BYTES": ("max_header_bytes", int),
    "LABELGRAPH_HEADER_TIMEOUT": ("header_timeout", float),
    "LABELGRAPH_KEEP_ALIVE_TIMEOUT": ("keep_alive_timeout", float),
    "LABELGRAPH_SHUTDOWN_TIMEOUT": ("shutdown_timeout", float),
    "LABELGRAPH_HEALTH_PROBE_INTERVAL": ("health_probe_interval", float),
    "LABELGRAPH_STORAGE_URL": ("storage_url", str),
    "LABELGRAPH_S3_ENDPOINT": ("s3_endpoint", str),
    "LABELGRAPH_S3_REGION": ("s3_region", str),
    "LABELGRAPH_S3_ACCESS_KEY_ID": ("s3_access_key_id", str),
    "LABELGRAPH_S3_SECRET_ACCESS_KEY": ("s3_secret_access_key", str),
    "LABELGRAPH_SECRET_KEY": ("secret_key", str),
    "LABELGRAPH_MAX_UPLOAD_BYTES": ("max_upload_bytes", int),
    "LABELGRAPH_BLOB_GRACE_SECONDS": ("blob_grace_seconds", float),
    "LABELGRAPH_MAX_LOG_BYTES": ("max_log_bytes", int),
    "LABELGRAPH_LOG_RETENTION_DAYS": ("log_retention_days", float),
    "LABELGRAPH_COMMAND_RETENTION_DAYS": ("command_retention_days", float),
}
KEEP_EMPTY = frozenset({"LABELGRAPH_DATA_DIR", "LABELGRAPH_HOST", "LABELGRAPH_LOG_LEVEL"})
