"""datasetIndexCreate: indexes on a metadata path, idempotent, limited, owners only; the planner uses them for
orderBy {metadata} pages (and, on PostgreSQL, for metadata equality filters)."""

from __future__ import annotations

import sqlalchemy as sa
from support import Builder

from labelgraph.data.filters import ITEM
from labelgraph.data.service import indexes
from labelgraph.db import Database
from labelgraph.graph import filterspec as fs
from labelgraph.graph.filterspec import conditions
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.pagination import Order, PageArgs, PageQuery, metadata_keys

CREATE = """mutation($d: ID!, $p: String!) { datasetIndexCreate(input: {datasetId: $d, path: $p}) {
  index { path created } errors { code field message } } }"""


async def _drop_all(db: Database) -> None:
    async with db.transaction() as uow:
        for name in await indexes.metadata_index_names(uow.conn):
            await uow.conn.exec_driver_sql(f"DROP INDEX {name}")


async def _plan(db: Database, stmt: sa.Select) -> str:
    async with db.transaction() as uow:
        pg = uow.conn.dialect.name == "postgresql"
        if pg:  # a handful of rows: make the planner show whether it *can* use the index
            await uow.conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            await uow.conn.exec_driver_sql("SET LOCAL enable_sort = off")
        compiled = stmt.compile(uow.conn.sync_connection, compile_kwargs={"literal_binds": True})
        rows = (await uow.conn.exec_driver_sql(("EXPLAIN " if pg else "EXPLAIN QUERY PLAN ") + str(compiled))).all()
    return "\n".join(" ".join(str(c) for c in r) for r in rows)


async def test_create_is_idempotent_and_the_pages_use_it(gql, settings):
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    await b.items(dataset, [{"name": f"{i}.jpg", "metadata": {"score": i % 7}} for i in range(30)])
    db = Database(settings.database_url)
    await _drop_all(db)  # another test of this session (the role matrix) may have created some on PostgreSQL
    try:
        data = await gql(CREATE, {"d": dataset, "p": "user.score"})
        assert data["datasetIndexCreate"] == {"index": {"path": "user.score", "created": True}, "errors": []}
        data = await gql(CREATE, {"d": dataset, "p": "user.score"})
        assert data["datasetIndexCreate"]["index"] == {"path": "user.score", "created": False}
        async with db.transaction() as uow:
            names = await indexes.metadata_index_names(uow.conn)
        assert names == set(indexes.index_statements(db.dialect, "user.score"))

        emap = ENTITIES["Item"]
        table = emap.table
        for desc in (False, True):
            order = Order.of(metadata_keys("user.score", desc))
            q = PageQuery(emap, [table.c.dataset_id == dataset], order, PageArgs(first=10), 10, False)
            plan = await _plan(db, q.root())
            assert indexes.index_base("user.score") + ("_d" if desc else "_a") in plan, plan
        if db.dialect == "postgresql":  # the equality filter through the GIN index
            node = fs.cond(ITEM, "metadata", "eq", 3, "filter", ("user", "score"))
            stmt = sa.select(table.c.id).where(*conditions(node, ITEM, "postgresql"))
            plan = await _plan(db, stmt)
            assert indexes.index_base("user.score") + "_g" in plan, plan

        # bad paths, the limit
        data = await gql(CREATE, {"d": dataset, "p": "score"})
        [error] = data["datasetIndexCreate"]["errors"]
        assert error["code"] == "INVALID" and error["field"] == ["path"] and "user or system" in error["message"]
        indexes.MAX_METADATA_PATHS, saved = 2, indexes.MAX_METADATA_PATHS
        try:
            assert (await gql(CREATE, {"d": dataset, "p": "user.a"}))["datasetIndexCreate"]["errors"] == []
            data = await gql(CREATE, {"d": dataset, "p": "user.b"})
            assert data["datasetIndexCreate"]["errors"][0]["code"] == "LIMIT_EXCEEDED"
            # an indexed path again is fine at the limit
            assert (await gql(CREATE, {"d": dataset, "p": "user.a"}))["datasetIndexCreate"]["errors"] == []
        finally:
            indexes.MAX_METADATA_PATHS = saved
    finally:
        await _drop_all(db)
        await db.dispose()
