"""``labelgraph serve | migrate | schema | demo | items`` — the command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import sys
from pathlib import Path
from typing import Any

from labelgraph.settings import Settings


@contextlib.contextmanager
def _importing():
    """A command's imports (for ``serve``, building the GraphQL schema: ``labelgraph.schema``) with the cycle
    collector off, and what they made frozen (``gc.freeze``: out of the collector's sight for good). The imports
    allocate ~1M objects (modules, classes, strawberry's and SQLAlchemy's definitions) that live as long as the
    process; the collector walked them again and again while they were made, and once more at every full collection
    after. ``import labelgraph.app`` then a collection, 6 alternated runs each at load ~15: 1.13 s of CPU as before,
    1.00 s with the collector off until the end, 0.89 s with the imports frozen. Every ``serve``, ``worker`` and CLI
    process (hundreds in the suite) pays this once. The collector is back on before the command runs."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        database_url=getattr(args, "database_url", None),
        data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None,
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        embedded_workers=getattr(args, "embedded_workers", None),
        broker_url=getattr(args, "broker_url", None),
        storage_url=getattr(args, "storage_url", None),
    )


def cmd_serve(args: argparse.Namespace) -> int:
    with _importing():
        import uvicorn

        from labelgraph.app import create_app

    settings = _settings(args).with_(freeze_gc=True)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    where = settings.database_url.split("@")[-1]
    print(f"labelgraph: serving http://{settings.host}:{settings.port}/graphql (database {where})", flush=True)
    uvicorn.run(create_app(settings, migrate=not args.no_migrate), **uvicorn_options(settings),
                access_log=args.access_log)
    return 0


def uvicorn_options(settings) -> dict:
    """The options `labelgraph serve` runs uvicorn with (bench/ starts in-process servers with them too)."""
    from labelgraph.edge import EdgeWebSocketProtocol, edge_http_protocol

    return dict(
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        loop="auto",
        http=edge_http_protocol(settings.header_timeout, settings.max_header_bytes),  # edge.py: slowloris
        timeout_keep_alive=settings.keep_alive_timeout,
        ws=EdgeWebSocketProtocol,  # lighter per connection; feeds write one frame to many (edge.py)
        ws_max_size=settings.max_body_bytes,  # a WebSocket message is a GraphQL request too
        ws_per_message_deflate=settings.ws_compression,  # off by default: its zlib state per connection
        timeout_graceful_shutdown=settings.shutdown_timeout,  # a request never finished must not stall a stop
    )


def cmd_worker(args: argparse.Namespace) -> int:
    """Run executions of the given services (all the token may work for when none is given) until SIGTERM or
    Ctrl-C, then finish or release what is running."""
    with _importing():
        import signal

        from labelgraph.engine.isolation import resolve
        from labelgraph.engine.remote import Client, GraphQLWorkerPort  # the only command that needs the client
        from labelgraph.engine.runner import Runner, default_cache_dir

    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    service_ids = [s for value in args.service or [] for s in value.split(",") if s] or None
    settings = Settings.from_env()
    cache_dir = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    try:  # what functions must not see: the cache of other packages' code, a data dir on this machine
        isolation = resolve(args.sandbox or settings.sandbox, [cache_dir, settings.data_dir])
    except (ValueError, RuntimeError) as exc:
        print(f"labelgraph worker: {exc}", file=sys.stderr)
        return 2

    async def run() -> int:
        async with Client(args.url, args.token, timeout=60) as client:
            runner = Runner(GraphQLWorkerPort(client), worker_id=args.worker_id, service_ids=service_ids,
                            slots=args.slots, lease_seconds=args.lease_seconds, drain=args.drain, cache_dir=cache_dir,
                            isolation=isolation, import_modules=settings.import_modules,
                            max_log_bytes=settings.max_log_bytes)
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, runner.stop)
            print(f"labelgraph worker {runner.worker_id}: running executions of "
                  f"{', '.join(service_ids) if service_ids else 'every service it may work for'}; functions run "
                  f"in a {isolation.describe()}", flush=True)
            await runner.run()
        return 0

    return asyncio.run(run())


def cmd_migrate(args: argparse.Namespace) -> int:
    with _importing():
        from labelgraph.identity.bootstrap import secure_data_dir
        from labelgraph.migrations import upgrade

    settings = _settings(args)
    secure_data_dir(settings.data_dir)
    asyncio.run(upgrade(settings.database_url))
    print(f"labelgraph: database at {settings.database_url.split('@')[-1]} is up to date")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    with _importing():
        from labelgraph.schema import schema

    text = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text)
        print(f"labelgraph: wrote {args.output}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    with _importing():
        from labelgraph.demo import DemoError, load_demo

    settings = _settings(args)
    try:
        summary = asyncio.run(load_demo(args.url, items_per_dataset=args.items, data_dir=settings.data_dir,
                                        progress=sys.stderr.isatty()))
    except DemoError as exc:
        print(f"labelgraph demo: {exc}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    """Tokens from the command line, acting as the platform (no token needed: you hold the database)."""
    with _importing():
        from datetime import timedelta

        import sqlalchemy as sa

        from labelgraph.auth import TOKEN, USER
        from labelgraph.columns import utcnow
        from labelgraph.db import Database
        from labelgraph.errors import Problems
        from labelgraph.identity import service
        from labelgraph.identity.bootstrap import secure_data_dir
        from labelgraph.identity.commands import TokenCreate, TokenRevoke
        from labelgraph.migrations import upgrade

    settings = _settings(args)
    secure_data_dir(settings.data_dir)

    async def run() -> int:
        await upgrade(settings.database_url)
        db = Database(settings.database_url)
        try:
            if args.action == "create":
                expires = utcnow() + timedelta(days=args.expires_in_days) if args.expires_in_days else None
                async with db.transaction() as uow:
                    _, token = await service.create_token(uow, TokenCreate(name=args.name, email=args.email,
                                                                           expires_at=expires))
                    if args.admin:
                        await uow.conn.execute(sa.update(USER).where(USER.c.email == args.email.strip().lower())
                                               .values(is_admin=True))
                print(token)
            elif args.action == "list":
                async with db.read() as conn:
                    rows = (await conn.execute(
                        sa.select(TOKEN.c.id, TOKEN.c.name, TOKEN.c.hint, TOKEN.c.expires_at, TOKEN.c.revoked_at)
                        .join(USER, USER.c.id == TOKEN.c.user_id)
                        .where(USER.c.email == args.email.strip().lower()).order_by(TOKEN.c.id))).all()
                for r in rows:
                    state = "revoked" if r.revoked_at else f"expires {r.expires_at}" if r.expires_at else "active"
                    print(f"{r.id}  {r.hint}…  {r.name}  ({state})")
            else:
                async with db.transaction() as uow:
                    await service.revoke_token(uow, TokenRevoke(id=args.id))
                print(f"revoked {args.id}")
        except Problems as exc:
            print(f"labelgraph token: {exc}", file=sys.stderr)
            return 1
        finally:
            await db.dispose()
        return 0

    return asyncio.run(run())


def cmd_dataset_formats(args: argparse.Namespace) -> int:
    """``labelgraph datasets export|import``: the client's ``export_dataset`` / ``import_dataset``."""
    with _importing():
        import json

        from labelgraph_client import LabelgraphError, SyncClient

    progress = not args.no_progress and sys.stderr.isatty()
    try:
        with SyncClient(args.url, args.token, timeout=60) as client:
            if args.action == "export":
                try:
                    filter_ = json.loads(args.filter) if args.filter else None
                except json.JSONDecodeError as exc:
                    print(f"labelgraph datasets export: --filter is not JSON ({exc})", file=sys.stderr)
                    return 2
                path = client.export_dataset(args.dataset_id, args.format, args.dest, filter=filter_,
                                             include_files=args.include_files, splits=args.splits,
                                             progress=progress)
                print(f"labelgraph datasets export: {path}")
            else:
                done = client.import_dataset(args.dataset_id, args.format, args.path,
                                             create_missing_labels=args.create_missing_labels,
                                             match_by=args.match_by, progress=progress)
                print(f"labelgraph datasets import: {json.dumps(done.result)}")
    except LabelgraphError as exc:
        print(f"labelgraph datasets {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_items(args: argparse.Namespace) -> int:
    """``labelgraph items upload|download``: item content through the client's ``upload_files`` /
    ``download_items`` (LABELGRAPH_URL and LABELGRAPH_TOKEN as for ``worker``)."""
    with _importing():
        import json

        from labelgraph_client import LabelgraphError, SyncClient

    progress = not args.no_progress and sys.stderr.isatty()
    try:
        with SyncClient(args.url, args.token, timeout=60) as client:
            if args.action == "upload":
                report = client.upload_files(args.dataset_id, args.paths, dir=args.dir,
                                             concurrency=args.concurrency, progress=progress)
                print(f"labelgraph items upload: {len(report.uploaded)} uploaded, {len(report.skipped)} skipped "
                      f"(same sha256 already there), {len(report.failed)} failed")
            else:
                try:
                    filter_ = json.loads(args.filter) if args.filter else None
                except json.JSONDecodeError as exc:
                    print(f"labelgraph items download: --filter is not JSON ({exc}); e.g. "
                          '--filter \'{"dir": {"eq": "/train"}}\'', file=sys.stderr)
                    return 2
                report = client.download_items(args.dataset_id, args.dest, filter=filter_,
                                               concurrency=args.concurrency, progress=progress)
                print(f"labelgraph items download: {len(report.downloaded)} downloaded, {len(report.skipped)} "
                      f"skipped (same sha256 already on disk), {len(report.failed)} failed")
    except (LabelgraphError, FileNotFoundError, ValueError) as exc:
        print(f"labelgraph items {args.action}: {exc}", file=sys.stderr)
        return 1
    for path, reason in report.failed.items():
        print(f"  failed: {path}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_dataset_versions(args: argparse.Namespace) -> int:
    """``labelgraph datasets version create|list`` and ``labelgraph datasets split``: versions and splits through
    the client (LABELGRAPH_URL and LABELGRAPH_TOKEN as for ``worker``)."""
    with _importing():
        import json

        from labelgraph_client import LabelgraphError, SyncClient

    what = f"labelgraph datasets {args.action}" + (f" {args.version_action}" if args.action == "version" else "")
    try:
        with SyncClient(args.url, args.token, timeout=600) as client:
            if args.action == "split":
                try:
                    ratios = json.loads(args.ratios)
                except json.JSONDecodeError as exc:
                    print(f"{what}: --ratios is not JSON ({exc}); e.g. "
                          '--ratios \'{"train": 0.8, "validation": 0.1, "test": 0.1}\'', file=sys.stderr)
                    return 2
                done = client.split_dataset(args.dataset_id, ratios, seed=args.seed)
                print(f"{what}: {done.count} items split")
            elif args.version_action == "create":
                version = client.create_dataset_version(args.dataset_id, args.name).version
                print(f"{version.id}\t{version.name}\t{version.items_count} items\t"
                      f"{version.annotations_count} annotations")
            else:
                after = None
                while True:
                    dataset = client.list_dataset_versions(args.dataset_id, first=100, after=after)
                    if dataset is None:
                        print(f"{what}: no dataset with id {args.dataset_id!r}", file=sys.stderr)
                        return 1
                    page = dataset.versions
                    for v in page.nodes:
                        print(f"{v.id}\t{v.name}\t{v.items_count} items\t{v.annotations_count} annotations\t"
                              f"{v.created_at.isoformat()}")
                    if not page.page_info.has_next_page:
                        break
                    after = page.page_info.end_cursor
    except LabelgraphError as exc:
        print(f"{what}: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_dataset_clone(args: argparse.Namespace) -> int:
    """``labelgraph datasets clone``: a clone job through the client (LABELGRAPH_URL and LABELGRAPH_TOKEN as for
    ``items``); follows the job's progress and prints its result."""
    with _importing():
        import json

        from labelgraph_client import LabelgraphError, SyncClient

    progress = not args.no_progress and sys.stderr.isatty()
    try:
        filter_ = json.loads(args.filter) if args.filter else None
    except json.JSONDecodeError as exc:
        print(f"labelgraph datasets {args.action}: --filter is not JSON ({exc}); e.g. "
              '--filter \'{"dir": {"eq": "/train"}}\'', file=sys.stderr)
        return 2
    try:
        with SyncClient(args.url, args.token, timeout=60) as client:
            command = client.clone_dataset(args.dataset_id, args.name, project_id=args.project_id, filter=filter_,
                                           with_annotations=not args.no_annotations,
                                           with_metadata=not args.no_metadata,
                                           with_item_statuses=args.with_item_statuses, progress=progress)
    except LabelgraphError as exc:
        print(f"labelgraph datasets {args.action}: {exc}", file=sys.stderr)
        return 1
    result = command.result or {}
    print(f"labelgraph datasets clone: dataset {result.get('datasetId')} with {result.get('items')} items and "
          f"{result.get('annotations')} annotations (command {command.id})")
    return 0


def add_dataset_clone_parser(datasets_sub: Any) -> None:
    """``clone`` under ``labelgraph datasets`` (with its own ``func``)."""
    t = datasets_sub.add_parser("clone", help="clone a dataset (files shared, nothing copied) into a new one")
    t.add_argument("dataset_id", metavar="DATASET_ID")
    t.add_argument("name", metavar="NAME", help="the new dataset's name")
    t.add_argument("--project-id", help="the project to clone into (default: the source's)")
    t.add_argument("--filter", help='only the items an ItemFilter (JSON) selects, e.g. \'{"dir": {"eq": "/train"}}\'')
    t.add_argument("--no-annotations", action="store_true", help="items only")
    t.add_argument("--no-metadata", action="store_true", help="leave the items' user metadata out")
    t.add_argument("--with-item-statuses", action="store_true", help="the copies join the source items' tasks "
                   "with their statuses (same project only)")
    t.add_argument("--url", help="LABELGRAPH_URL (default http://127.0.0.1:8080/graphql)")
    t.add_argument("--token", help="LABELGRAPH_TOKEN")
    t.add_argument("--no-progress", action="store_true", help="no progress bar (none either when stderr is not a "
                   "terminal)")
    t.set_defaults(func=cmd_dataset_clone, action="clone")


def add_dataset_version_parsers(datasets_sub: Any) -> None:
    """``version create|list`` and ``split`` under ``labelgraph datasets`` (each sets its own ``func``, so the
    ``datasets`` parser may hold other actions: export, import, clone)."""
    api_options = [("--url", "LABELGRAPH_URL (default http://127.0.0.1:8080/graphql)"), ("--token", "LABELGRAPH_TOKEN")]
    t = datasets_sub.add_parser("version", help="freeze a dataset as a named version, or list its versions")
    version_sub = t.add_subparsers(dest="version_action", required=True)
    v = version_sub.add_parser("create", help="freeze the dataset now (items, metadata, annotations, splits)")
    v.add_argument("dataset_id", metavar="DATASET_ID")
    v.add_argument("name", metavar="NAME")
    for flag, help_ in api_options:
        v.add_argument(flag, help=help_)
    v.set_defaults(func=cmd_dataset_versions, action="version")
    v = version_sub.add_parser("list", help="the dataset's versions, oldest first (id, name, counts, time)")
    v.add_argument("dataset_id", metavar="DATASET_ID")
    for flag, help_ in api_options:
        v.add_argument(flag, help=help_)
    v.set_defaults(func=cmd_dataset_versions, action="version")
    t = datasets_sub.add_parser("split", help="give every file of a dataset a split by ratios (seeded)")
    t.add_argument("dataset_id", metavar="DATASET_ID")
    t.add_argument("--ratios", required=True, help='JSON, e.g. \'{"train": 0.8, "validation": 0.1, "test": 0.1}\'')
    t.add_argument("--seed", type=int, default=0, help="the same seed gives the same splits (default 0)")
    for flag, help_ in api_options:
        t.add_argument(flag, help=help_)
    t.set_defaults(func=cmd_dataset_versions, action="split")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labelgraph", description="A GraphQL gateway for annotation platforms")
    sub = parser.add_subparsers(dest="command", required=True)

    def db_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database-url", help="LABELGRAPH_DATABASE_URL (default: SQLite under the data dir)")
        p.add_argument("--data-dir", help="LABELGRAPH_DATA_DIR (default: ./.labelgraph)")

    p = sub.add_parser("serve", help="run the gateway (migrates the database first)")
    db_options(p)
    p.add_argument("--host", help="LABELGRAPH_HOST (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="LABELGRAPH_PORT (default 8080)")
    p.add_argument("--no-migrate", action="store_true", help="do not apply migrations on start")
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.add_argument("--embedded-workers", type=int, metavar="N",
                   help="LABELGRAPH_EMBEDDED_WORKERS: workers running executions inside the server (default 1; "
                   "0 turns them off)")
    p.add_argument("--broker-url", help="LABELGRAPH_BROKER_URL: memory:// (default, one process) or "
                   "redis://host:6379/0 to share events between replicas")
    p.add_argument("--storage-url", help="LABELGRAPH_STORAGE_URL: where item content is kept, file:///path "
                   "(default: <data dir>/blobs) or s3://bucket/prefix (see LABELGRAPH_S3_*)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run executions of services (talks to a server through GraphQL)")
    p.add_argument("--service", action="append", metavar="ID",
                   help="a service id (repeat, or comma-separate, for several; default: every service)")
    p.add_argument("--url", help="LABELGRAPH_URL (default http://127.0.0.1:8080/graphql)")
    p.add_argument("--token", help="LABELGRAPH_TOKEN (e.g. a bot's token)")
    p.add_argument("--worker-id", help="default: <hostname>-<pid>")
    p.add_argument("--slots", type=int, default=10, help="executions run at once (each service is also capped "
                   "at its concurrency)")
    p.add_argument("--lease-seconds", type=float, default=30.0, help="lease length; heartbeats every third")
    p.add_argument("--drain", type=float, default=30.0, help="seconds to let running executions finish on stop")
    p.add_argument("--cache-dir", help="where archives are unpacked (default ~/.cache/labelgraph/codebases)")
    p.add_argument("--sandbox", choices=("auto", "bwrap", "user", "process"),
                   help="LABELGRAPH_SANDBOX: how function code is isolated (default auto: bwrap if installed, else "
                   "an unprivileged user if possible, else a plain child process; see docs/security.md)")
    p.add_argument("--log-level", default="info")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="apply the database migrations")
    db_options(p)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("schema", help="write the GraphQL schema (SDL)")
    p.add_argument("--output", default="schema/schema.graphql", help="file to write, - for stdout")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("token", help="create, list or revoke API tokens (works on the database directly)")
    token_sub = p.add_subparsers(dest="action", required=True)
    t = token_sub.add_parser("create", help="print a new token for a user (created if the email is new)")
    db_options(t)
    t.add_argument("--email", required=True)
    t.add_argument("--name", default="cli", help="what the token is for")
    t.add_argument("--expires-in-days", type=int)
    t.add_argument("--admin", action="store_true", help="make the user a platform admin")
    t = token_sub.add_parser("list", help="a user's tokens")
    db_options(t)
    t.add_argument("--email", required=True)
    t = token_sub.add_parser("revoke", help="revoke a token by id (tok_…)")
    db_options(t)
    t.add_argument("--id", required=True)
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("demo", help="load a small sample organization into a running gateway")
    p.add_argument("--url", default="http://127.0.0.1:8080/graphql")
    p.add_argument("--items", type=int, default=150, help="items per dataset")
    p.add_argument("--data-dir", help="where to find the admin token (default: ./.labelgraph)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("items", help="upload files as items, or download items' content (through the API)")
    items_sub = p.add_subparsers(dest="action", required=True)
    for name, help_ in (("upload", "upload files or folders (their tree kept under --dir) as items of a dataset"),
                        ("download", "download a dataset's items to DEST/<dir>/<name>")):
        t = items_sub.add_parser(name, help=help_)
        t.add_argument("dataset_id", metavar="DATASET_ID")
        if name == "upload":
            t.add_argument("paths", metavar="PATH", nargs="+", help="files or folders")
            t.add_argument("--dir", default="/", help="the dataset folder to upload into (default /)")
        else:
            t.add_argument("dest", metavar="DEST", help="local folder (created)")
            t.add_argument("--filter", help='an ItemFilter as JSON, e.g. \'{"dir": {"eq": "/train"}}\'')
        t.add_argument("--url", help="LABELGRAPH_URL (default http://127.0.0.1:8080/graphql)")
        t.add_argument("--token", help="LABELGRAPH_TOKEN")
        t.add_argument("--concurrency", type=int, default=8, help="files at once (default 8)")
        t.add_argument("--no-progress", action="store_true", help="no progress bar (none either when stderr "
                       "is not a terminal)")
    p.set_defaults(func=cmd_items)

    p = sub.add_parser("datasets", help="dataset jobs through the API (export, import in COCO, YOLO, VOC, JSON; "
                       "clone), versions and splits")
    datasets_sub = p.add_subparsers(dest="action", required=True)
    for name, help_ in (("export", "export a dataset as a command and download its zip to DEST"),
                        ("import", "import a zip (or a COCO JSON file) into a dataset, all or nothing")):
        t = datasets_sub.add_parser(name, help=help_)
        t.add_argument("dataset_id", metavar="DATASET_ID")
        t.add_argument("format", metavar="FORMAT", type=str.upper, choices=["COCO", "YOLO", "VOC", "JSON"])
        if name == "export":
            t.add_argument("dest", metavar="DEST", help="a folder (DEST/<dataset>-<format>.zip) or a .zip path")
            t.add_argument("--filter", help='an ItemFilter as JSON, e.g. \'{"dir": {"eq": "/train"}}\'')
            t.add_argument("--include-files", action="store_true", help="put the items' files into the zip")
            t.add_argument("--split", action="append", dest="splits", help="only this split (repeatable)")
        else:
            t.add_argument("path", metavar="PATH", help="the zip (or COCO JSON file) to import")
            t.add_argument("--create-missing-labels", action="store_true",
                           help="add labels the recipe lacks (otherwise an unknown label fails the import)")
            t.add_argument("--match-by", type=str.upper, choices=["FILENAME", "NAME"], default="FILENAME")
        t.add_argument("--url", help="LABELGRAPH_URL (default http://127.0.0.1:8080/graphql)")
        t.add_argument("--token", help="LABELGRAPH_TOKEN")
        t.add_argument("--no-progress", action="store_true", help="no progress lines on stderr")
        t.set_defaults(func=cmd_dataset_formats)
    add_dataset_clone_parser(datasets_sub)
    add_dataset_version_parsers(datasets_sub)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
