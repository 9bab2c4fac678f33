"""Writes of triggers: event triggers (resource × actions × filter) and cron schedules."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.engine.cron import CronError, CronSpec
from labelgraph.engine.matching import check_filter
from labelgraph.engine.scheduler import first_fire
from labelgraph.errors import invalid
from labelgraph.faas.commands import (
    TriggerCreate,
    TriggerDelete,
    TriggerUpdate,
)
from labelgraph.faas.service.common import TRIGGER, entity_name
from labelgraph.faas.service.executions import check_input
from labelgraph.faas.service.services import service_function
from labelgraph.ids import new_id
from labelgraph.rows import load_for


async def create_trigger(uow: UnitOfWork, spec: TriggerCreate) -> str:
    function_name = spec.function_name or "run"
    svc, fn = await service_function(uow, spec.service_id, function_name, "functionName", "faas.write")
    name = entity_name(spec.name or svc.name, "name", "name")
    values = _trigger_values(spec, creating=True)
    if "input" in values:  # its entity references are resolved for the worker: they must be the project's
        values["input"] = await check_input(uow, svc.project_id, fn, values["input"], complete=False)
    now, id_ = utcnow(), new_id("trg")
    await uow.conn.execute(sa.insert(TRIGGER).values(
        id=id_, project_id=svc.project_id, service_id=svc.id, name=name, function_name=function_name,
        created_by=uow.principal_id, created_at=now, updated_at=now, last_fired_at=None,
        **{"active": True, "input": {}, "actions": ["created"], "resource": "item", "execution_mode": "once",
           "filter": None, "cron": None, "start_at": None, "end_at": None, **values}))
    uow.emit("trigger", "created", id_, svc.project_id, {"serviceId": svc.id})
    return id_


def _trigger_values(spec: TriggerCreate | TriggerUpdate, creating: bool, current: Any = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if creating:
        values["type"] = "cron" if spec.cron else "event"
    kind = values.get("type") or current.type
    if kind == "cron" and (spec.cron or creating):
        try:
            CronSpec.parse(spec.cron)
        except CronError as exc:
            raise invalid(str(exc), "cron") from None
        values["cron"] = spec.cron
    elif spec.cron is not None and kind == "event":
        raise invalid("an event trigger has no cron spec; create a cron trigger instead", "cron")
    if kind == "event":
        if spec.resource is not None:
            values["resource"] = spec.resource.value
        if spec.actions is not None:
            if not spec.actions:
                raise invalid("actions must name at least one action", "actions")
            values["actions"] = list(dict.fromkeys(a.value for a in spec.actions))
        if spec.execution_mode is not None:
            values["execution_mode"] = spec.execution_mode.value
        if spec.filter is not None:
            problem = check_filter(spec.filter)
            if problem:
                raise invalid(problem, "filter")
            values["filter"] = spec.filter or None
    elif spec.filter is not None or spec.resource is not None or spec.actions is not None:
        raise invalid("a cron trigger fires on its schedule: it takes no resource, actions or filter", "filter")
    if spec.input is not None:
        if not isinstance(spec.input, dict):
            raise invalid("input must be a JSON object of function input name → value", "input")
        values["input"] = spec.input
    if spec.active is not None:
        values["active"] = spec.active
    for key in ("start_at", "end_at"):
        if getattr(spec, key) is not None:
            values[key] = getattr(spec, key)
    if kind == "cron":
        start = values.get("start_at", getattr(current, "start_at", None))
        end = values.get("end_at", getattr(current, "end_at", None))
        if start and end and end <= start:
            raise invalid("endAt must be after startAt", "endAt")
        spec_text = values.get("cron") or current.cron
        values["next_fire_at"] = first_fire(spec_text, start, end, utcnow())
    return values


async def update_trigger(uow: UnitOfWork, spec: TriggerUpdate) -> str:
    row = await load_for(uow, TRIGGER, spec.id, "id", "Trigger", "faas.write", "type", "cron", "start_at",
                         "end_at", "service_id", "function_name")
    values = _trigger_values(spec, creating=False, current=row)
    if spec.name is not None:
        values["name"] = entity_name(spec.name, "name", "name")
    if spec.function_name is not None or "input" in values:
        svc, fn = await service_function(uow, row.service_id, spec.function_name or row.function_name,
                                          "functionName", "faas.write")
        if spec.function_name is not None:
            values["function_name"] = spec.function_name
        if "input" in values:
            values["input"] = await check_input(uow, svc.project_id, fn, values["input"], complete=False)
    values["updated_at"] = utcnow()
    await uow.conn.execute(sa.update(TRIGGER).where(TRIGGER.c.id == spec.id).values(**values))
    uow.emit("trigger", "updated", spec.id, row.project_id, {"active": values.get("active")})
    return spec.id


async def delete_trigger(uow: UnitOfWork, cmd: TriggerDelete) -> str:
    id_ = cmd.id
    row = await load_for(uow, TRIGGER, id_, "id", "Trigger", "faas.write")
    await uow.conn.execute(sa.delete(TRIGGER).where(TRIGGER.c.id == id_))
    uow.emit("trigger", "deleted", id_, row.project_id)
    return id_
