"""DQL, the platform's JSON query documents (../shared/domain.md §3), parsed into the one filter structure
(graph/filterspec.py) — so a DQL document means exactly what the equivalent typed filter means.

Accepted: a whole document ``{"filter", "join", "sort", "resource", "useDefaults", "page", "pageSize",
"context"}`` or just its filter part (``{"$and": [{"hidden": false}, {"type": "file"}]}``, as trigger specs
store it). Conditions ``{"<field>": value}`` (equality) or ``{"<field>": {"$op": value}}`` with ``$eq $ne $gt
$gte $lt $lte $in $nin $exists``; ``$and`` / ``$or`` combine. A string value with ``*`` is a glob; a
``filename`` that ends neither in ``*`` nor in an extension means its whole subtree (``/a`` → ``/a/**``).
``join`` is existential ("has at least one annotation that matches"). A whole document gets the resource's
default conditions (items: ``hidden=false``, ``type="file"``) unless ``useDefaults`` is false or the filter
names that field itself; a bare filter part gets none (it replaces the generated filter, as in the SDK).
``page``/``pageSize``/``context`` are accepted and ignored: pages come from ``first``/``after``, scope from
the caller. Anything else — ``match``, ``update``, ``delete``, unknown keys — is refused, naming the key and
listing what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from labelgraph.graph import filterspec as fs

OPERATORS = {"$eq": "eq", "$ne": "ne", "$gt": "gt", "$gte": "gte", "$lt": "lt", "$lte": "lte", "$in": "in",
             "$nin": "nin", "$exists": "exists"}
DOCUMENT_KEYS = ("filter", "join", "sort", "resource", "useDefaults", "page", "pageSize", "context")
NOT_A_QUERY = {"update": "itemsUpdate", "delete": "itemsDelete", "references": "the task mutations",
               "systemSpace": "itemsUpdate"}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


@dataclass(frozen=True)
class Dialect:
    """What DQL says about one resource: its name in documents, default conditions, joins and sortable
    fields (public field name → column)."""

    names: tuple[str, ...]  # "items", "item"
    resource: str  # filterspec Resource name
    defaults: Mapping[str, tuple[str, Any]]  # field → (operator, value)
    joins: Mapping[str, str]  # DQL join resource ("annotations") → Resource.joins key
    sortable: Mapping[str, str]


@dataclass(frozen=True)
class Query:
    filter: fs.Node
    sort: tuple[tuple[str, bool], ...]  # (column, descending)


_DIALECTS: dict[str, Dialect] = {}


def register(d: Dialect) -> Dialect:
    _DIALECTS[d.resource] = d
    return d


def is_dql(doc: Any) -> bool:
    """Does a JSON filter look like DQL rather than the typed filter's JSON form? (A ``$`` key anywhere, a
    dotted field name, or a document's ``filter``/``join``.)"""
    if isinstance(doc, list):
        return any(is_dql(x) for x in doc)
    if not isinstance(doc, dict):
        return False
    if "filter" in doc or "join" in doc:
        return True
    return any(k.startswith("$") or "." in k or is_dql(v) for k, v in doc.items())


def parse(doc: Any, resource: str, where: str = "dql", *, allow_sort: bool = True) -> Query:
    d = _DIALECTS[resource]
    res = fs.resource(resource)
    if not isinstance(doc, dict):
        raise fs.bad(where, f'a DQL document is a JSON object like {{"filter": {{"$and": [{{"dir": "/train"}}]}}}}, '
                            f"got {type(doc).__name__}")
    for key, mutation in NOT_A_QUERY.items():
        if key in doc:
            raise fs.bad(f"{where}.{key}", f"a query cannot change data; use {mutation}")
    if not ("filter" in doc or "join" in doc or set(doc) <= set(DOCUMENT_KEYS) and doc):
        node = fs.check_limits(_filter(doc, res, where), where)  # a bare filter part: no defaults
        return Query(node, ())
    unknown = [k for k in doc if k not in DOCUMENT_KEYS]
    if unknown:
        raise fs.bad(f"{where}.{unknown[0]}", f"unknown key; a DQL document takes {', '.join(DOCUMENT_KEYS)}")
    kind = doc.get("resource")
    if kind is not None and kind not in d.names:
        raise fs.bad(f"{where}.resource", f"this field lists {d.names[0]}, got {kind!r}")
    use_defaults = doc.get("useDefaults", True)
    if not isinstance(use_defaults, bool):
        raise fs.bad(f"{where}.useDefaults", f"takes true or false, got {use_defaults!r}")
    parts: list[fs.Node] = []
    named: set[str] = set()
    if doc.get("filter") is not None:
        parts.append(_filter(doc["filter"], res, f"{where}.filter", named))
    if doc.get("join") is not None:
        parts.append(_join(doc["join"], d, res, f"{where}.join"))
    if use_defaults:
        parts[:0] = [fs.cond(res, f, op, v, f"{where}.defaults.{f}") for f, (op, v) in d.defaults.items()
                     if f not in named]
    sort: tuple[tuple[str, bool], ...] = ()
    if doc.get("sort") is not None:
        if not allow_sort:
            raise fs.bad(f"{where}.sort", "a filter here takes no sort")
        sort = _sort(doc["sort"], d, f"{where}.sort")
    return Query(fs.check_limits(fs.all_of(parts), where), sort)


def _filter(obj: Any, res: fs.Resource, where: str, named: set[str] | None = None) -> fs.Node:
    named = set() if named is None else named
    if not isinstance(obj, dict):
        raise fs.bad(where, f'a filter is a JSON object like {{"$and": [{{"dir": "/train"}}]}}, got {obj!r}')
    parts: list[fs.Node] = []
    for key, value in obj.items():
        here = f"{where}.{key}"
        if key in ("$and", "$or"):
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                raise fs.bad(here, "takes a list of conditions (JSON objects)")
            subs = tuple(_filter(v, res, f"{here}[{i}]", named) for i, v in enumerate(value))
            parts.append(fs.all_of(subs) if key == "$and" else fs.Or(subs))
        elif key.startswith("$"):
            raise fs.bad(here, "unknown combinator; a filter combines with $and, $or (operators such as $eq go "
                               'inside a field: {"dir": {"$eq": "/a"}})')
        else:
            named.add(key.split(".", 1)[0])
            parts.extend(_conditions(key, value, res, here))
    return fs.all_of(parts)


def _field(key: str, res: fs.Resource, where: str) -> tuple[str, tuple[str, ...]]:
    head, _, rest = key.partition(".")
    f = res.fields.get(head)
    if f is not None and f.kind == "json":
        if not rest:
            raise fs.bad(where, f'name a path inside {head}, e.g. "{head}.user.split"')
        return head, fs.json_path(res, head, rest, where)
    if f is None or rest:
        raise fs.bad(where, f"unknown field; allowed: {', '.join(sorted(res.fields))} "
                            f"(metadata paths as metadata.user.<key>)")
    return head, ()


def _conditions(key: str, value: Any, res: fs.Resource, where: str) -> list[fs.Node]:
    field, path = _field(key, res, where)
    if isinstance(value, dict) and value and all(k.startswith("$") for k in value):
        ops = list(value.items())
    elif isinstance(value, dict) and any(k.startswith("$") for k in value):
        raise fs.bad(where, "mixes operators ($…) and plain keys")
    else:
        ops = [("$eq", value)]
    out: list[fs.Node] = []
    for op_key, x in ops:
        op = OPERATORS.get(op_key)
        here = f"{where}.{op_key}"
        if op is None:
            raise fs.bad(here, f"unknown operator; allowed: {', '.join(OPERATORS)}"
                               + (" ($match is not specified by the platform)" if op_key == "$match" else ""))
        out.append(_condition(res, field, op, x, here, path))
    return out


def _glob_of(field: str, value: Any) -> str | None:
    """The glob a DQL string value means, or None for plain equality."""
    if not isinstance(value, str):
        return None
    if field == "filename" and not value.endswith("*") and not _EXTENSION.search(value.rsplit("/", 1)[-1]):
        return value.rstrip("/") + "/**"  # filename recursion: the whole subtree
    return value if "*" in value else None


def _condition(res: fs.Resource, field: str, op: str, x: Any, where: str, path: tuple[str, ...]) -> fs.Node:
    if op in ("eq", "ne"):
        glob = _glob_of(field, x)
        if glob is not None:
            node = fs.cond(res, field, "glob", glob, where, path)
            return node if op == "eq" else fs.Not(node)
    if op in ("in", "nin") and isinstance(x, list) and any(_glob_of(field, v) is not None for v in x):
        subs = tuple(_condition(res, field, "eq", v, f"{where}[{i}]", path) for i, v in enumerate(x))
        return fs.Or(subs) if op == "in" else fs.Not(fs.Or(subs))
    return fs.cond(res, field, op, x, where, path)


def _join(obj: Any, d: Dialect, res: fs.Resource, where: str) -> fs.Node:
    if not isinstance(obj, dict):
        raise fs.bad(where, 'a join is {"on": {"resource": "annotations", "local": "itemId", "forigen": "id"}, '
                            '"filter": {…}}')
    unknown = set(obj) - {"on", "filter"}
    if unknown:
        raise fs.bad(f"{where}.{sorted(unknown)[0]}", "unknown key; a join takes on, filter")
    on = obj.get("on") or {}
    target = on.get("resource") if isinstance(on, dict) else None
    relation = d.joins.get(target)
    if relation is None:
        raise fs.bad(f"{where}.on.resource", f"joins to {', '.join(d.joins) or 'nothing'}, got {target!r}")
    other = fs.resource(res.joins[relation].resource)
    return fs.Join(relation, _filter(obj.get("filter") or {}, other, f"{where}.filter"))


def _sort(obj: Any, d: Dialect, where: str) -> tuple[tuple[str, bool], ...]:
    pairs: Sequence[tuple[Any, Any]]
    if isinstance(obj, dict):
        pairs = list(obj.items())
    else:
        raise fs.bad(where, 'takes {"<field>": "ascending" | "descending", …}')
    out = []
    for field, direction in pairs:
        column = d.sortable.get(field)
        if column is None:
            raise fs.bad(f"{where}.{field}", f"cannot sort by this; sortable: {', '.join(d.sortable)}")
        if direction not in ("ascending", "descending"):
            raise fs.bad(f"{where}.{field}", f'takes "ascending" or "descending", got {direction!r}')
        out.append((column, direction == "descending"))
    return tuple(out)
