"""Property: the SQL compiler and the in-memory evaluator of the one filter structure (graph/filterspec.py)
select the same items, for random filters over random items (columns, nullable columns, booleans, metadata
paths with numbers, strings, booleans, nulls and missing keys, and joins to annotations), on the database the
suite runs on (SQLite, or PostgreSQL with LABELGRAPH_TEST_DATABASE_URL)."""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from support import Builder

from labelgraph.data.filters import ANNOTATION, ITEM, annotation_record, item_record
from labelgraph.data.service import indexes
from labelgraph.db import Database
from labelgraph.graph import filterspec as fs

POPULATIONS = int(os.environ.get("LABELGRAPH_FILTER_POPULATIONS", "10"))
FILTERS = int(os.environ.get("LABELGRAPH_FILTER_EXAMPLES", "600"))
SEED = int(os.environ.get("LABELGRAPH_FILTER_SEED", "20261201"))  # another seed explores other filters
T0 = datetime(2026, 1, 1, tzinfo=UTC)

text = st.text(alphabet="ab/.*", min_size=0, max_size=4)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from([0.5, 1.0, -1.5, 2.0]), text)
inner = st.dictionaries(st.sampled_from(["x", "y"]), scalar, max_size=2)
user_meta = st.dictionaries(st.sampled_from(["a", "b", "c"]),
                            st.one_of(scalar, inner, st.lists(scalar, max_size=3),  # arrays of scalars,
                                      st.lists(st.one_of(inner, scalar), max_size=3),  # of objects (a path walks them)
                                      st.lists(st.lists(scalar, max_size=2), max_size=2)),  # nested: not walked
                            max_size=3)
refs = st.lists(st.fixed_dictionaries({"id": st.sampled_from(["r1", "r2", 1])}), max_size=2)
item = st.fixed_dictionaries({
    "name": st.sampled_from(["a.jpg", "b.png", "ab", "B.jpg", "é.jpg"]),
    "dir": st.sampled_from(["/", "/a", "/a/b", "/b", "/a.b"]),
    "type": st.sampled_from(["file", "dir"]),
    "hidden": st.booleans(),
    "annotated": st.booleans(),
    "mimetype": st.sampled_from([None, "image/jpeg", "image/png", "text/plain"]),
    "user": user_meta,
    "system": st.one_of(st.just({}), st.fixed_dictionaries({"mimetype": st.sampled_from(["image/jpeg", "x"])}),
                        st.fixed_dictionaries({"refs": refs})),
    "age": st.integers(0, 5),
    "annotations": st.lists(st.fixed_dictionaries({
        "label": st.sampled_from(["cat", "dog", "Cat"]), "type": st.sampled_from(["box", "class"]),
        "status": st.sampled_from([None, "issue", "approved"]), "user": user_meta}), max_size=3),
})

STRING_FIELDS = {"name": st.sampled_from(["a.jpg", "ab", "B.jpg", "é.jpg", "b"]),
                 "dir": st.sampled_from(["/", "/a", "/a/b", "/b", "/c"]),
                 "filename": st.sampled_from(["/a.jpg", "/a/a.jpg", "/a/b/ab", "/b/B.jpg"]),
                 "type": st.sampled_from(["file", "dir"]),
                 "mimetype": st.sampled_from(["image/jpeg", "image/png", "text/plain"])}
GLOBS = st.sampled_from(["*", "/a/*", "/a/**", "**/*.jpg", "/**/b*", "*.jpg", "image*", "a*", "/a.b", "**b"])
PATH_LIST = [("user", "a"), ("user", "b"), ("user", "c"), ("user", "a", "x"), ("user", "b", "y"),
             ("system", "mimetype"), ("user", "zz"), ("system", "refs", "id"), ("system", "refs")]
PATHS = st.sampled_from(PATH_LIST)


def _cond(res: fs.Resource, field: str, op: str, value, path=()) -> fs.Node:
    return fs.cond(res, field, op, value, "filter", path)


@st.composite
def item_cond(draw, res=ITEM) -> fs.Node:
    kind = draw(st.sampled_from(["string", "bool", "json", "json", "datetime"]))
    if kind == "string":
        field = draw(st.sampled_from(sorted(STRING_FIELDS)))
        op = draw(st.sampled_from(["eq", "ne", "in", "nin", "glob", "exists", "gt", "gte", "lt", "lte"]))
        values = STRING_FIELDS[field]
        if op in ("in", "nin"):
            return _cond(res, field, op, draw(st.lists(values, max_size=3)))
        if op == "exists":
            return _cond(res, field, op, draw(st.booleans()))
        return _cond(res, field, op, draw(GLOBS if op == "glob" else values))
    if kind == "bool":
        field = draw(st.sampled_from(["hidden", "annotated"]))
        op = draw(st.sampled_from(["eq", "ne", "in", "nin"]))
        value = draw(st.lists(st.booleans(), max_size=2) if op in ("in", "nin") else st.booleans())
        return _cond(res, field, op, value)
    if kind == "datetime":
        op = draw(st.sampled_from(["eq", "gt", "gte", "lt", "lte", "ne"]))
        return _cond(res, "createdAt", op, T0 + timedelta(hours=draw(st.integers(-1, 6))))
    path = draw(PATHS)
    op = draw(st.sampled_from(["eq", "ne", "in", "nin", "gt", "gte", "lt", "lte", "exists", "glob", "contains",
                               "containsAll", "eq"]))
    if op == "contains":
        return _cond(res, "metadata", op, draw(st.one_of(scalar, st.just("r1"))), path)
    if op == "containsAll":
        return _cond(res, "metadata", op, draw(st.lists(scalar, max_size=2)), path)
    if op == "eq" and draw(st.integers(0, 5)) == 0:  # a whole array or object
        return _cond(res, "metadata", op, draw(st.one_of(st.lists(scalar, max_size=2), inner)), path)
    if op in ("in", "nin"):
        return _cond(res, "metadata", op, draw(st.lists(scalar, max_size=3)), path)
    if op == "exists":
        return _cond(res, "metadata", op, draw(st.booleans()), path)
    if op == "glob":
        return _cond(res, "metadata", op, draw(GLOBS), path)
    if op in fs.COMPARISONS:
        return _cond(res, "metadata", op, draw(st.one_of(st.integers(-2, 2), st.just(0.5), text)), path)
    return _cond(res, "metadata", op, draw(scalar), path)


@st.composite
def annotation_cond(draw) -> fs.Node:
    choice = draw(st.sampled_from(["label", "type", "status", "meta"]))
    if choice == "label":
        op = draw(st.sampled_from(["eq", "ne", "in", "glob", "gt"]))
        value = ["cat", "dog"] if op == "in" else draw(st.sampled_from(["cat", "Cat", "c*", "dog"]))
        return _cond(ANNOTATION, "label", op, value)
    if choice == "type":
        return _cond(ANNOTATION, "type", "in", draw(st.lists(st.sampled_from(["box", "class"]), max_size=2)))
    if choice == "status":
        op = draw(st.sampled_from(["eq", "ne", "exists", "nin"]))
        if op == "exists":
            return _cond(ANNOTATION, "status", op, draw(st.booleans()))
        if op == "nin":
            return _cond(ANNOTATION, "status", op, ["issue"])
        return _cond(ANNOTATION, "status", op, draw(st.sampled_from(["issue", "approved"])))
    path = draw(st.sampled_from([("user", "a"), ("user", "b")]))
    return _cond(ANNOTATION, "metadata", draw(st.sampled_from(["eq", "ne", "gt"])), draw(st.integers(-2, 2)), path)


def combine(leaf):
    return st.recursive(leaf, lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda ps: fs.And(tuple(ps))),
        st.lists(inner, max_size=3).map(lambda ps: fs.Or(tuple(ps))),
        inner.map(fs.Not)), max_leaves=6)


item_filter = combine(st.one_of(item_cond(), item_cond(), item_cond(),
                                combine(annotation_cond()).map(lambda a: fs.Join("annotations", a))))


def _draw(strategy, count: int) -> list:
    out: list = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @seed(SEED)
    @given(strategy)
    def collect(x) -> None:
        out.append(x)

    collect()
    return out


def _rows(specs: list[dict], project_id: str, dataset_id: str) -> tuple[list[dict], list[dict]]:
    items, annotations, seen = [], [], set()
    for i, s in enumerate(specs):
        filename = ("" if s["dir"] == "/" else s["dir"]) + "/" + s["name"]
        if filename in seen:
            continue
        seen.add(filename)
        at = T0 + timedelta(hours=s["age"])
        row = {"id": f"itm_p{i:04d}", "project_id": project_id, "dataset_id": dataset_id, "name": s["name"],
               "dir": s["dir"], "filename": filename, "type": s["type"], "hidden": s["hidden"],
               "mimetype": s["mimetype"], "size": None, "width": None, "height": None, "description": None,
               "metadata": {"user": s["user"], **({"system": s["system"]} if s["system"] else {})},
               "annotated": s["annotated"], "annotations_count": 0, "storage_key": None, "created_by": None,
               "created_at": at, "updated_at": at}
        items.append(row)
        for j, a in enumerate(s["annotations"]):
            annotations.append({
                "id": f"ann_p{i:04d}{j}", "project_id": project_id, "dataset_id": dataset_id, "item_id": row["id"],
                "parent_id": None, "type": a["type"], "label": a["label"], "coordinates": [], "attributes": None,
                "status": a["status"], "object_id": None, "frame": None, "end_frame": None, "automated": False,
                "description": None, "metadata": {"user": a["user"]}, "created_by": None, "updated_by": None,
                "created_at": at, "updated_at": at})
    return items, annotations


@functools.cache
def _examples() -> tuple[list, list]:
    """The populations and filters (seeded: the same on every run), drawn once for both parametrizations: drawing
    them is ~3 s of CPU."""
    return _draw(st.lists(item, min_size=1, max_size=14), POPULATIONS), _draw(item_filter, FILTERS)


INDEX = """mutation($d: ID!, $p: String!) { datasetIndexCreate(input: {datasetId: $d, path: $p}) {
  errors { message } } }"""


@pytest.mark.parametrize("indexed", [False, True], ids=["plain", "indexed"])
async def test_sql_and_memory_select_the_same_items(gql, settings, indexed):
    """indexed: every metadata path of the filters has a datasetIndexCreate index first (PostgreSQL: its GIN
    index; SQLite: its rows in item_md_value, kept by triggers as the populations are written)."""
    b = Builder(gql)
    project = await b.project()
    dataset = await b.dataset(project)
    db = Database(settings.database_url)
    populations, filters = _examples()
    paths = sorted({".".join(p) for p in PATH_LIST})
    if indexed:
        for path in paths:
            assert (await gql(INDEX, {"d": dataset, "p": path}))["datasetIndexCreate"]["errors"] == []
    per = max(1, len(filters) // len(populations))
    checked = nonempty = 0
    saved_small = fs.MD_SMALL
    try:
        for n, population in enumerate(populations):
            items, annotations = _rows(population, project, dataset)
            async with db.transaction() as uow:
                await uow.conn.execute(sa.delete(ANNOTATION.table))
                await uow.conn.execute(sa.delete(ITEM.table).where(ITEM.table.c.dataset_id == dataset))
                await uow.conn.execute(sa.insert(ITEM.table), items)
                if annotations:
                    await uow.conn.execute(sa.insert(ANNOTATION.table), annotations)
            if indexed and db.dialect == "sqlite":  # the triggers kept the values of the paths
                async with db.read() as conn:
                    kept = (await conn.exec_driver_sql("SELECT count(DISTINCT item_id) FROM item_md_value")).scalar()
                assert kept == sum(1 for r in items if any(not isinstance(v, list | dict) for p in PATH_LIST
                                                           for v in fs._unwrapped(fs.reached(r["metadata"], p))))
            # odd populations: the per-row probe of item_md_value (a value matching many items) instead of the
            # membership in the set of matching ids (graph/filterspec.py)
            fs.MD_SMALL = 0 if n % 2 else saved_small
            records = []
            for r in items:
                rec = item_record(r)
                rec["annotations"] = [annotation_record(a) for a in annotations if a["item_id"] == r["id"]]
                records.append(rec)
            async with db.read() as conn:  # one connection for the population's filters
                for node in filters[n * per:(n + 1) * per]:
                    got = set((await conn.execute(sa.select(ITEM.table.c.id).where(
                        ITEM.table.c.dataset_id == dataset, fs.to_sql(node, ITEM, db.dialect)))).scalars())
                    want = {rec["id"] for rec in records if fs.evaluate(node, ITEM, rec)}
                    assert got == want, (f"population {n}: {node}\nSQL only: {sorted(got - want)}\n"
                                         f"memory only: {sorted(want - got)}\nitems: {items}\n"
                                         f"annotations: {annotations}")
                    checked += 1
                    nonempty += 0 < len(want) < len(items)
    finally:
        fs.MD_SMALL = saved_small
        if indexed:  # the other tests of the session write items without these indexes' cost
            async with db.transaction() as uow:
                for path in paths:
                    for stmt in indexes.drop_statements(db.dialect, path):
                        await uow.conn.exec_driver_sql(stmt)
        await db.dispose()
    print(f"checked {checked} filters, {nonempty} selected some but not all items")
    assert nonempty > checked * 0.15, f"only {nonempty} of {checked} filters told items apart"
