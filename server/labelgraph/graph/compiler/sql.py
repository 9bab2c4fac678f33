"""SQL generation: one statement per root field that builds the field's whole JSON value in the database.

PostgreSQL: ``json_build_object`` / ``json_agg(… ORDER BY …)`` over correlated page subqueries
``(SELECT … FROM target WHERE fk = parent.id AND filter AND scope AND keyset ORDER BY … LIMIT n)``, which the
planner runs per parent row like ``LATERAL … LIMIT`` through the (fk, order…, id) index. SQLite: ``json_object``
/ ``json_group_array`` over the same subqueries (ordered by the subquery; JSON values crossing a subquery are
re-marked with ``json(…)``).

Leaves are formatted in SQL exactly like the resolver path serializes them: DateTime as
``graph.scalars.format_datetime`` (UTC, ``Z``, microseconds unless zero), enums by their GraphQL names, SQLite's
0/1 booleans as true/false, JSON columns nested as JSON. Cursors are built in SQL as arrays of the ordering values
and encoded by ``encode_cursor`` in Python afterwards (see execute.py).

Authorization: every table reference gets ``Access.scope(type, alias, project_column)`` — the predicates the
resolver path adds in graph/connection.py (by_id_loader, child_connection, root_connection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.util import ClauseAdapter

from labelgraph.graph.compiler.plan import ConnectionField, EntityPlan, Leaf, One
from labelgraph.graph.mapping import EntityMap
from labelgraph.graph.pagination import METADATA_KEY, Order, _keyset, _order_by, key_column

if TYPE_CHECKING:
    from labelgraph.auth import Access  # a type only: graph sits below auth (the Access comes with the request)

ROOT_ID = "lg_root_id"


@dataclass
class Bound:
    """A connection's arguments for this request, checked like the resolver path checks them."""

    limit: int
    after_values: list[Any] | None
    after: bool
    where: list[sa.ColumnElement]  # on the target's table (not aliased)
    order: Order


def _lit(text: str) -> sa.ColumnElement:
    return sa.literal_column(f"'{text}'", type_=sa.String())


class SQLBuilder:
    def __init__(self, pg: bool, access: Access, bound: dict[int, Bound]) -> None:
        self.pg = pg
        self.access = access
        self.bound = bound
        self.n = 0

    # --- JSON constructors --------------------------------------------------------------------------------
    def obj(self, pairs: list[tuple[str, sa.ColumnElement]]) -> sa.ColumnElement:
        args: list[Any] = []
        for k, v in pairs:
            args += [_lit(k), v]
        return (sa.func.json_build_object if self.pg else sa.func.json_object)(*args)

    def arr(self, values: list[sa.ColumnElement]) -> sa.ColumnElement:
        return (sa.func.json_build_array if self.pg else sa.func.json_array)(*values)

    def nested(self, scalar: sa.ColumnElement) -> sa.ColumnElement:
        """A JSON value coming out of a subquery."""
        return scalar if self.pg else sa.func.json(scalar)

    def boolean(self, cond: sa.ColumnElement | bool) -> sa.ColumnElement:
        if isinstance(cond, bool):
            if self.pg:
                return sa.literal_column("true" if cond else "false")
            return sa.func.json(_lit("true" if cond else "false"))
        if self.pg:
            return cond
        return sa.case((cond, sa.func.json(_lit("true"))), else_=sa.func.json(_lit("false")))

    def agg(self, value: sa.ColumnElement, order: list[sa.ColumnElement]) -> sa.ColumnElement:
        if self.pg:
            return sa.func.coalesce(sa.func.json_agg(aggregate_order_by(value, *order)),
                                    sa.literal_column("'[]'::json"))
        return sa.func.json_group_array(value)  # in the order of the page subquery

    # --- tables -------------------------------------------------------------------------------------------
    def alias(self, emap: EntityMap) -> sa.FromClause:
        self.n += 1
        return emap.table.alias(f"t{self.n}")

    def scope(self, emap: EntityMap, t: sa.FromClause) -> list[sa.ColumnElement]:
        return self.access.scope(emap.type_name, t, emap.project_column)

    # --- leaves -------------------------------------------------------------------------------------------
    def value(self, col: sa.ColumnElement, fmt: str, enum_names: dict[str, str] | None = None) -> sa.ColumnElement:
        if fmt == "plain":
            return col
        if fmt == "datetime":
            return self.datetime(col)
        if fmt == "json":
            return col if self.pg else sa.func.json(col)
        if fmt == "bool":
            if self.pg:
                return col
            return sa.case((col.is_(None), sa.null()), (col == sa.literal_column("0"), sa.func.json(_lit("false"))),
                           else_=sa.func.json(_lit("true")))
        if fmt == "enum":
            assert enum_names is not None
            return sa.case(*[(col == _lit(v), _lit(n)) for v, n in enum_names.items()], else_=sa.null())
        raise AssertionError(fmt)

    def datetime(self, col: sa.ColumnElement) -> sa.ColumnElement:
        """``format_datetime``: ``2026-11-23T10:15:00.123456Z``, or without the fraction when it is zero."""
        if self.pg:
            text = sa.func.to_char(sa.func.timezone(_lit("UTC"), col),
                                   sa.literal_column("'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'", type_=sa.String()))
        else:  # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" (UTC)
            text = sa.func.replace(col, _lit(" "), _lit("T"), type_=sa.String()) + _lit("Z")
        return sa.func.replace(text, _lit(".000000Z"), _lit("Z"), type_=sa.String())

    # --- entities -----------------------------------------------------------------------------------------
    def entity(self, plan: EntityPlan, src: sa.FromClause) -> sa.ColumnElement:
        pairs = []
        for f in plan.fields:
            if isinstance(f, Leaf):
                if f.kind == "typename":
                    pairs.append((f.key, _lit(f.typename)))
                else:
                    pairs.append((f.key, self.value(src.c[f.column], f.fmt, f.enum_names)))
            elif isinstance(f, One):
                pairs.append((f.key, self.one(f, src)))
            else:
                pairs.append((f.key, self.connection(f, src)))
        return self.obj(pairs)

    def one(self, f: One, src: sa.FromClause) -> sa.ColumnElement:
        emap = f.entity.emap
        t = self.alias(emap)
        stmt = (sa.select(self.entity(f.entity, t)).select_from(t)
                .where(t.c.id == src.c[f.relation.fk], *self.scope(emap, t)).correlate(src))
        return self.nested(stmt.scalar_subquery())

    def root_one(self, plan: EntityPlan) -> sa.Select:
        emap = plan.emap
        t = self.alias(emap)
        return (sa.select(self.text(self.entity(plan, t))).select_from(t)
                .where(t.c.id == sa.bindparam(ROOT_ID, None, type_=sa.String(), required=False), *self.scope(emap, t)))

    # --- connections --------------------------------------------------------------------------------------
    def _conditions(self, f: ConnectionField, b: Bound, t: sa.FromClause, src: sa.FromClause | None,
                    page: bool) -> list[sa.ColumnElement]:
        conds: list[sa.ColumnElement] = []
        if f.relation is not None:
            assert src is not None
            conds.append(t.c[f.relation.fk] == src.c.id)
        adapter = ClauseAdapter(t)
        conds += [adapter.traverse(c) for c in b.where]
        conds += self.scope(f.emap, t)
        if page and b.after_values is not None:
            conds.append(_keyset(t, b.order, b.after_values, False))
        return conds

    def _select(self, stmt: sa.Select, src: sa.FromClause | None) -> sa.Select:
        return stmt.correlate(src) if src is not None else stmt

    def connection(self, f: ConnectionField, src: sa.FromClause | None) -> sa.ColumnElement:
        b = self.bound[id(f)]
        emap = f.emap

        def page() -> sa.Subquery:
            t = self.alias(emap)
            stmt = (sa.select(*emap.select_columns(t)).select_from(t)
                    .where(*self._conditions(f, b, t, src, True))
                    .order_by(*_order_by(t, b.order, False)).limit(b.limit))
            self.n += 1
            return self._select(stmt, src).subquery(f"p{self.n}")

        def cursor(sub: sa.Subquery) -> sa.ColumnElement:
            values = []
            for col, _ in b.order.keys:
                if col.startswith(METADATA_KEY):  # rank, number, string of a metadata path
                    values.append(key_column(sub, col))
                    continue
                c = sub.c[col]
                values.append(self.datetime(c) if isinstance(emap.table.c[col].type, sa.DateTime) else c)
            return self.arr(values)

        def aggregate(value_of) -> sa.ColumnElement:
            sub = page()
            stmt = sa.select(self.agg(value_of(sub), _order_by(sub, b.order, False))).select_from(sub)
            return self.nested(stmt.scalar_subquery())

        def edge_cursor(last: bool) -> sa.ColumnElement:
            sub = page()
            stmt = sa.select(cursor(sub)).select_from(sub).order_by(*_order_by(sub, b.order, last)).limit(1)
            return self.nested(stmt.scalar_subquery())

        pairs: list[tuple[str, sa.ColumnElement]] = []
        for part in f.parts:
            kind, key = part[0], part[1]
            if kind == "typename":
                pairs.append((key, _lit(part[2])))
            elif kind == "totalCount":
                t = self.alias(emap)
                stmt = sa.select(sa.func.count()).select_from(t).where(*self._conditions(f, b, t, src, False))
                pairs.append((key, self._select(stmt, src).scalar_subquery()))
            elif kind == "nodes":
                entity = part[2]
                pairs.append((key, aggregate(lambda sub, e=entity: self.entity(e, sub))))
            elif kind == "edges":
                def edge(sub, parts=part[2]):
                    edge_pairs = []
                    for ep in parts:
                        if ep[0] == "cursor":
                            edge_pairs.append((ep[1], cursor(sub)))
                        elif ep[0] == "node":
                            edge_pairs.append((ep[1], self.entity(ep[2], sub)))
                        else:
                            edge_pairs.append((ep[1], _lit(ep[2])))
                    return self.obj(edge_pairs)

                pairs.append((key, aggregate(edge)))
            elif kind == "pageInfo":
                info = []
                for what, ik in part[2]:
                    if what == "__typename":
                        info.append((ik, _lit("PageInfo")))
                    elif what == "hasPreviousPage":
                        info.append((ik, self.boolean(b.after)))
                    elif what == "hasNextPage":
                        t = self.alias(emap)
                        probe = self._select(sa.select(sa.literal_column("1")).select_from(t)
                                             .where(*self._conditions(f, b, t, src, True)).limit(b.limit + 1), src)
                        self.n += 1
                        counted = sa.select(sa.func.count()).select_from(probe.subquery(f"h{self.n}"))
                        info.append((ik, self.boolean(counted.scalar_subquery() > b.limit)))
                    elif what == "startCursor":
                        info.append((ik, edge_cursor(False)))
                    else:
                        info.append((ik, edge_cursor(True)))
                pairs.append((key, self.obj(info)))
        return self.obj(pairs)

    def root_connection(self, f: ConnectionField) -> sa.Select:
        return sa.select(self.text(self.connection(f, None)))

    def text(self, value: sa.ColumnElement) -> sa.ColumnElement:
        """The statement's one value as JSON text (asyncpg would decode a json value into Python objects)."""
        return sa.cast(value, sa.Text()) if self.pg else value
