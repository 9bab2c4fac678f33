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


PAGE = """query($d: ID!, $f: ItemFilter) { dataset(id: $d) { items(filter: $f, first: 50) { nodes { name } } } }"""
UPDATE = """mutation($i: ItemsUpdateInput!) { itemsUpdate(input: $i) { count errors { message } } }"""
DELETE = """mutation($i: ItemsDeleteInput!) { itemsDelete(input: $i) { errors { message } } }"""


async def test_equality_on_an_indexed_path_keeps_array_semantics_through_writes(gql, settings, caplog):
    """Equality on an indexed path matches array elements as before (SQLite reads item_md_value, kept by
    triggers: the values follow itemsCreate, itemsUpdate and itemsDelete; PostgreSQL its GIN index)."""
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    await b.items(dataset, [{"name": "a.jpg", "metadata": {"tags": ["day", "night"], "n": 1}},
                            {"name": "b.jpg", "metadata": {"tags": "night", "n": 1.0}},
                            {"name": "c.jpg", "metadata": {"tags": ["day"], "n": "1"}}])
    db = Database(settings.database_url)

    async def names(path: str, value) -> list[str]:
        data = await gql(PAGE, {"d": dataset, "f": {"metadata": [{"path": path, "eq": value}]}})
        return sorted(n["name"] for n in data["dataset"]["items"]["nodes"])

    try:
        for path in ("user.tags", "user.n"):
            assert (await gql(CREATE, {"d": dataset, "p": path}))["datasetIndexCreate"]["errors"] == []
        # items written before the index: filled when it was created
        assert await names("user.tags", "night") == ["a.jpg", "b.jpg"]
        assert await names("user.n", 1) == ["a.jpg", "b.jpg"] and await names("user.n", "1") == ["c.jpg"]
        data = await gql(PAGE, {"d": dataset, "f": {"metadata": [{"path": "user.tags", "in": ["day", "zz"]}]}})
        assert sorted(n["name"] for n in data["dataset"]["items"]["nodes"]) == ["a.jpg", "c.jpg"]
        # written after: the triggers
        await b.items(dataset, [{"name": "d.jpg", "metadata": {"tags": ["night"]}}])
        data = await gql(UPDATE, {"i": {"datasetId": dataset, "filter": {"name": {"eq": "c.jpg"}},
                                        "metadata": {"tags": ["night", "x"]}}})
        assert data["itemsUpdate"] == {"count": 1, "errors": []}
        data = await gql(UPDATE, {"i": {"datasetId": dataset, "filter": {"name": {"eq": "b.jpg"}},
                                        "metadata": {"tags": None}}})
        assert data["itemsUpdate"]["count"] == 1
        assert await names("user.tags", "night") == ["a.jpg", "c.jpg", "d.jpg"]
        assert (await gql(DELETE, {"i": {"datasetId": dataset, "filter": {"name": {"eq": "a.jpg"}}}})
                )["itemsDelete"]["errors"] == []
        assert await names("user.tags", "night") == ["c.jpg", "d.jpg"]
        # every page above was answered by the compiled read path (its SQL adapts the item table to an alias)
        assert not [r for r in caplog.records if "compiled query failed" in r.getMessage()]
        if db.dialect == "sqlite":  # through the value index, and no rows left behind by the delete
            node = fs.cond(ITEM, "metadata", "eq", "night", "filter", ("user", "tags"))
            stmt = sa.select(ITEM.table.c.id).where(ITEM.table.c.dataset_id == dataset,
                                                    *conditions(node, ITEM, "sqlite"))
            assert "ix_item_md_value_lookup" in await _plan(db, stmt)
            async with db.read() as conn:
                left = (await conn.exec_driver_sql(
                    "SELECT count(*) FROM item_md_value v LEFT JOIN item ON item.id = v.item_id "
                    "WHERE item.id IS NULL")).scalar()
            assert left == 0
    finally:
        async with db.transaction() as uow:
            for path in ("user.tags", "user.n"):
                for stmt in indexes.drop_statements(db.dialect, path):
                    await uow.conn.exec_driver_sql(stmt)
        await db.dispose()
