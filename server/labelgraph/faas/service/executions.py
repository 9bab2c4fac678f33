"""Queuing executions: the input is checked against the function's signature; entity inputs become
references to the project's entities. The queue's state changes are in labelgraph.engine.queue."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.db import UnitOfWork
from labelgraph.engine import logs, queue
from labelgraph.errors import Problem, Problems, invalid, raise_if
from labelgraph.faas.commands import (
    ExecutionCreate,
    ExecutionLogsAppend,
)
from labelgraph.faas.service.common import ANNOTATION, DATASET, ITEM
from labelgraph.faas.service.services import service_function
from labelgraph.ids import type_of

_ENTITY = {"Item": ("item", ITEM), "Dataset": ("dataset", DATASET), "Annotation": ("annotation", ANNOTATION)}


def _scalar_ok(type_: str, value: Any) -> bool:
    if type_ == "String":
        return isinstance(value, str)
    if type_ == "Boolean":
        return isinstance(value, bool)
    if type_ == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_ in ("Number", "Float"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_ == "Json":
        return True
    return isinstance(value, str | dict)  # references to other entities: an id or an object


async def check_input(uow: UnitOfWork, project_id: str, fn: dict, given: Any, field: str = "input",
                      complete: bool = True) -> dict[str, Any]:
    """Validate an execution input against the function's signature; entity inputs become references
    ({item_id, dataset_id} …) to entities of the same project. Inputs with a default value may be left out.
    Not ``complete`` (a trigger's fixed inputs, which the event or defaults complete): any input may be left
    out, and nothing is filled in."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise invalid("input must be a JSON object keyed by the function's input names", field)
    specs = {s["name"]: s for s in fn.get("inputs") or []}
    problems = [Problem("INVALID", f"function {fn['name']} has no input {k!r}; its inputs: "
                        f"{', '.join(specs) or 'none'}", [field, k]) for k in given if k not in specs]
    out: dict[str, Any] = {}
    wanted: dict[str, list[tuple[str, int | None, str]]] = {}
    for name, s in specs.items():
        if name not in given:
            if not complete:
                continue
            if "value" in s:
                out[name] = s["value"]
            else:
                problems.append(Problem("INVALID", f"input {name!r} ({s['type']}) is required", [field, name]))
            continue
        type_, is_list = s["type"].removesuffix("[]"), s["type"].endswith("[]")
        value = given[name]
        values = value if is_list else [value]
        if is_list and not isinstance(value, list):
            problems.append(Problem("INVALID", f"input {name!r} is a list ({s['type']})", [field, name]))
            continue
        refs = []
        for i, v in enumerate(values):
            where = [field, name] + ([str(i)] if is_list else [])
            if type_ in _ENTITY:
                kind, _ = _ENTITY[type_]
                ref_id = v if isinstance(v, str) else v.get(f"{kind}_id") or v.get("id") if isinstance(v, dict) \
                    else None
                if not isinstance(ref_id, str) or type_of(ref_id) != type_:
                    problems.append(Problem("INVALID", f"input {name!r} takes a {type_}: its id or "
                                            f"{{\"{kind}_id\": …}}", where))
                    continue
                wanted.setdefault(type_, []).append((name, i if is_list else None, ref_id))
                refs.append(ref_id)
            elif not _scalar_ok(type_, v):
                problems.append(Problem("INVALID", f"input {name!r} must be a {type_}, got {v!r:.60}", where))
            else:
                refs.append(v)
        out[name] = refs if is_list else (refs[0] if refs else None)
    raise_if(problems)
    for type_, entries in wanted.items():
        kind, table = _ENTITY[type_]
        cols = [table.c.id, table.c.project_id] + ([table.c.dataset_id] if type_ != "Dataset" else []) + \
            ([table.c.item_id] if type_ == "Annotation" else [])
        rows = {r.id: r for r in (await uow.conn.execute(sa.select(*cols).where(
            table.c.id.in_({e[2] for e in entries})))).all()}
        for name, i, ref_id in entries:
            r = rows.get(ref_id)
            where = [field, name] + ([str(i)] if i is not None else [])
            if r is None or r.project_id != project_id:
                problems.append(Problem("NOT_FOUND", f"no {kind} with id {ref_id!r} in the service's project", where))
                continue
            ref = {f"{kind}_id": ref_id}
            if type_ == "Annotation":
                ref["item_id"] = r.item_id
            if type_ != "Dataset":
                ref["dataset_id"] = r.dataset_id
            if i is None:
                out[name] = ref
            else:
                out[name][i] = ref
    raise_if(problems)
    return out


async def create_execution(uow: UnitOfWork, cmd: ExecutionCreate) -> str:
    service_id, function_name, input_ = cmd.service_id, cmd.function_name or "run", cmd.input
    svc, fn = await service_function(uow, service_id, function_name, "functionName", "execution.write")
    shortcut = {"annotationId": cmd.annotation_id, "itemId": cmd.item_id, "datasetId": cmd.dataset_id}
    input_, agree = apply_shortcut(fn, input_, shortcut)  # domain.md §5.5
    try:
        checked = await check_input(uow, svc.project_id, fn, input_)
    except Problems as exc:
        raise _at_shortcut(exc, agree) from None
    check_shortcut_agrees(checked, agree)
    [id_] = await queue.insert_executions(uow, [{
        "project_id": svc.project_id, "service_id": svc.id, "package_id": svc.package_id,
        "function_name": function_name, "input": checked, "max_attempts": svc.max_attempts,
    }])
    return id_


# --- shortcut entity inputs (domain.md §5.5) -------------------------------------------------------------------

_SHORTCUTS = (("annotationId", "Annotation", "annotation_id"), ("itemId", "Item", "item_id"),
              ("datasetId", "Dataset", "dataset_id"))


def apply_shortcut(fn: dict, input_: Any, shortcut: dict[str, str | None] | None
                   ) -> tuple[Any, tuple[str, str, dict[str, tuple[str, str]]] | None]:
    """``executionCreate``'s ``annotationId`` / ``itemId`` / ``datasetId``: the most specific one given (annotation >
    item > dataset) becomes the function's input of that type, as if sent in ``input``. Returns the input and
    (that input's name, the other ids given, which must agree with the resolved reference)."""
    given = {key: value for key, value in (shortcut or {}).items() if value is not None}
    if not given:
        return input_, None
    key, type_, _ = next(s for s in _SHORTCUTS if s[0] in given)
    names = [s["name"] for s in fn.get("inputs") or [] if s["type"] == type_]
    if len(names) != 1:
        what = f"no {type_} input" if not names else f"{len(names)} {type_} inputs ({', '.join(names)})"
        raise invalid(f"{key} fills the function's {type_} input, but function {fn['name']} has {what}: send it in "
                      "input, keyed by the input's name", key)
    if input_ is not None and not isinstance(input_, dict):
        raise invalid("input must be a JSON object keyed by the function's input names", "input")
    if names[0] in (input_ or {}):
        raise invalid(f"input {names[0]!r} is given twice: in input and as {key}; send one", key)
    others = {k: (ref, given[k]) for k, _, ref in _SHORTCUTS if k in given and k != key}
    return {**(input_ or {}), names[0]: given[key]}, (key, names[0], others)


def _at_shortcut(exc: Problems, agree: tuple[str, str, dict[str, tuple[str, str]]] | None) -> Problems:
    """Problems of the input a shortcut filled name the shortcut's field (``itemId``), where the caller sent it."""
    if agree is not None:
        key, name, _ = agree
        for p in exc.problems:
            if p.field and p.field[:2] == ["input", name]:
                p.field = [key]
    return exc


def check_shortcut_agrees(checked: dict[str, Any], agree: tuple[str, str, dict[str, tuple[str, str]]] | None
                          ) -> None:
    """The less specific shortcut ids sent along with the chosen one name the same entities (an itemId with an
    annotationId: the annotation's item); another one is not found there (NOT_FOUND, whether it exists or not)."""
    if agree is None:
        return
    chosen, name, others = agree
    ref = checked.get(name) or {}
    problems = [Problem("NOT_FOUND", f"no {key[:-2]} with id {value!r} holds the {chosen[:-2]} of input {name!r} "
                        f"(its {key[:-2]} is {ref.get(ref_key)!r})", [key])
                for key, (ref_key, value) in others.items() if ref.get(ref_key) != value]
    raise_if(problems)


async def append_logs(uow: UnitOfWork, cmd: ExecutionLogsAppend) -> int:
    """A worker's batch of log lines (engine/logs.py); returns how many were kept."""
    lines = [{"time": line.time, "stream": line.stream, "level": line.level, "text": line.text} for line in cmd.lines]
    return await logs.append(uow, cmd.id, cmd.worker_id, lines, cmd.max_bytes, cmd.dropped_bytes)
