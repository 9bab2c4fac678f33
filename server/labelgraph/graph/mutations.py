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
from typing import Any, TypeVar

from labelgraph.context import Info
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problems
from labelgraph.graph.connection import by_id_loader
from labelgraph.graph.errors import UserError, user_errors
from labelgraph.graph.extensions import log_refusal
from labelgraph.graph.mapping import ENTITIES

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

    async def fill(self, info: Info, result: Any) -> Any:
        picked = self.pick(result)
        if self.load is None:
            return picked
        loader = by_id_loader(info.context, ENTITIES[self.load])
        if self.many:
            return [o for o in await loader.load_many(list(picked)) if o is not None] if picked else []
        return None if picked is None else await loader.load(picked)


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
    return payload(errors=[], **{name: await f.fill(info, result) for name, f in fields.items()})


C = TypeVar("C")


def command_from(command: Callable[..., C], source: Any, **given: Any) -> C:
    """``command(...)`` (a slice's command dataclass) from the same-named attributes of ``source`` (a GraphQL
    input), then ``given``: for inputs whose fields are the command's one to one. Attributes the input lacks
    keep the command's defaults."""
    names = command.__dataclass_fields__  # type: ignore[attr-defined]
    values = {name: getattr(source, name) for name in names if name not in given and hasattr(source, name)}
    return command(**values, **given)
