"""Plumbing for mutations: run a service call in one transaction and turn its result into the payload.

Every mutation resolver has the same shape: build the slice's typed command from the GraphQL input, then

    return await mutate(info, DatasetPayload, service.create_dataset, DatasetCreate(...),
                        dataset=node("Dataset"))

``mutate`` runs ``service.create_dataset(uow, command)`` in one transaction (``run_write``), turns the service's
``Problems`` into the payload's ``errors`` (nothing written) and fills the payload's other fields from the
result: ``node``/``nodes`` load the returned id(s) as objects the caller can see (batched, in the caller's
scope), ``value`` passes the result (or a part of it) as is. When the service refused, ``node`` fields are null,
``nodes`` fields empty and ``value`` fields their ``empty`` value.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from graphql import FieldNode

from labelgraph.context import Info
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problems
from labelgraph.graph.connection import by_id_loader, load_by_ids
from labelgraph.graph.errors import UserError, user_errors
from labelgraph.graph.extensions import log_refusal
from labelgraph.graph.mapping import ENTITIES, Written

P = TypeVar("P")
_NO_COMMAND: Any = object()


async def run_write(
    info: Info, work: Callable[[UnitOfWork], Awaitable[Any]]
) -> tuple[Any, list[UserError]]:
    """(result, []) when the transaction committed; (None, errors) when the service refused: nothing written."""
    ctx = info.context
    try:
        async with ctx.db.transaction(ctx.access) as uow:
            result = await work(uow)
    except Problems as exc:
        log_refusal(ctx, [(p.code, f"{'.'.join(p.field)}: {p.message}" if p.field else p.message)
                          for p in exc.problems])
        return None, user_errors(exc.problems)
    ctx._loaders.clear()  # objects loaded earlier in this request may have changed
    return result, []


def _same(result: Any) -> Any:
    return result


@dataclass(frozen=True)
class Field:
    """How one payload field is filled from the service's result (see ``node``, ``nodes``, ``value``)."""

    pick: Callable[[Any], Any] = _same
    load: str | None = None  # the GraphQL type whose objects the picked id(s) name
    many: bool = False
    empty: Any = None

    async def fill(self, info: Info, result: Any, name: str = "") -> Any:
        picked = self.pick(result)
        if self.load is None:
            return picked
        emap = ENTITIES[self.load]
        if self.many and picked and _ids_only(info, name) and "__slots__" not in emap.cls.__dict__:
            return [_stub(emap.cls, i) for i in picked]
        if self.many and isinstance(picked, Written) and len(picked.rows) == len(picked):
            # a bulk create's rows as written (the caller's own, in projects it may write): no read back
            return emap.build_written(picked.rows)
        if self.many:  # one statement, without a loader future per object
            return [o for o in await load_by_ids(info.context, emap, list(picked)) if o is not None] if picked else []
        return None if picked is None else await by_id_loader(info.context, emap).load(picked)


def _stub(cls: type, id_: str) -> Any:
    obj = object.__new__(cls)
    obj.__dict__["id"] = id_
    return obj


_ID_ONLY = frozenset({"id", "__typename"})


def _ids_only(info: Info, name: str) -> bool:
    """Whether the payload field ``name`` (python name) selects nothing but ``id``/``__typename`` of its objects,
    plainly (no fragments, directives or arguments): then the objects the service just wrote (the caller's own,
    in projects it may write) are returned as they are named, without reading them back — a bulk create asking
    for ids costs no second read of 1,000 rows."""
    if not name:
        return False
    graphql_name = name.split("_")[0] + "".join(part.title() for part in name.split("_")[1:])
    found = False
    for root in info._raw_info.field_nodes:
        for selection in root.selection_set.selections if root.selection_set else ():
            if not isinstance(selection, FieldNode):
                return False  # a fragment on the payload: the long way
            if selection.name.value != graphql_name:
                continue
            if selection.directives or selection.selection_set is None:
                return False
            for inner in selection.selection_set.selections:
                if (not isinstance(inner, FieldNode) or inner.name.value not in _ID_ONLY or inner.directives
                        or inner.arguments):
                    return False
            found = True
    return found


def node(type_name: str, pick: Callable[[Any], Any] = _same) -> Field:
    """The object of ``type_name`` whose id the service returned (or ``pick(result)``); null if refused."""
    return Field(pick, type_name)


def nodes(type_name: str, pick: Callable[[Any], Any] = _same) -> Field:
    """The objects of ``type_name`` whose ids the service returned (or ``pick(result)``); empty if refused."""
    return Field(pick, type_name, many=True, empty=[])


def value(pick: Callable[[Any], Any] = _same, empty: Any = None) -> Field:
    """The result (or ``pick(result)``) as is; ``empty`` if refused."""
    return Field(pick, empty=empty)


def deleted_ids() -> Field:
    """What a delete removed: the service returns one id or a list of ids."""
    return value(lambda r: r if isinstance(r, list) else [r], empty=[])


async def mutate(info: Info, payload: Callable[..., P], call: Callable[..., Awaitable[Any]],
                 command: Any = _NO_COMMAND, /, **fields: Field) -> P:
    """``payload(errors=…, **fields)`` for ``call(uow, command)`` (or ``call(uow)``) run in one transaction."""
    work = call if command is _NO_COMMAND else (lambda uow: call(uow, command))
    result, errors = await run_write(info, work)
    if errors:
        return payload(errors=errors, **{name: f.empty for name, f in fields.items()})
    return payload(errors=[], **{name: await f.fill(info, result, name) for name, f in fields.items()})


C = TypeVar("C")
# (command, input class) -> (the command's fields every instance of the input has: its strawberry fields, their
# getter; the command's other fields, looked up on each instance)
_SHARED: dict[tuple[type, type], tuple[tuple[str, ...], Callable[[Any], tuple], tuple[str, ...]]] = {}


def _shared(command: type, source_type: type) -> tuple[tuple[str, ...], Callable[[Any], tuple], tuple[str, ...]]:
    definition = getattr(source_type, "__strawberry_definition__", None)
    fields = {f.python_name for f in definition.fields} if getattr(definition, "is_input", False) else set()
    names = tuple(command.__dataclass_fields__)  # type: ignore[attr-defined]
    always = tuple(n for n in names if n in fields)  # set on every instance (its __init__, or fast_input's build)
    get = attrgetter(*always) if len(always) > 1 else lambda source: tuple(getattr(source, n) for n in always)
    return always, get, tuple(n for n in names if n not in fields)


def command_from(command: Callable[..., C], source: Any, **given: Any) -> C:
    """``command(...)`` (a slice's command dataclass) from the same-named attributes of ``source`` (a GraphQL
    input), then ``given``: for inputs whose fields are the command's one to one. Attributes the input lacks
    keep the command's defaults."""
    key = (command, type(source))
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = _shared(command, type(source))  # type: ignore[arg-type]
    always, get, others = found
    values = dict(zip(always, get(source), strict=True))
    for name in others:
        if hasattr(source, name):
            values[name] = getattr(source, name)
    for name in given:
        values.pop(name, None)
    return command(**values, **given)
