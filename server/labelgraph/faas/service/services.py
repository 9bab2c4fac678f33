"""Writes of services: a package module deployed with runtime settings, running as the project's bot."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.engine import queue
from labelgraph.errors import Problem, invalid, not_found, raise_if
from labelgraph.faas.commands import (
    Delete,
    ServiceActivate,
    ServiceCreate,
    ServiceUpdate,
)
from labelgraph.faas.service.common import PACKAGE, REVISION, SERVICE, entity_name
from labelgraph.identity.service import service_bot
from labelgraph.ids import new_id
from labelgraph.rows import load_for, require_unique_name


def module_of(modules: list[dict], name: str) -> dict | None:
    return next((mod for mod in modules if mod.get("name") == name), None)


def _check_runtime(spec: ServiceCreate | ServiceUpdate, problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    bounds = {"concurrency": (1, 1000), "max_attempts": (1, 100), "execution_timeout": (1, 7 * 86400),
              "drain_time": (0, 86400)}
    for key, (lo, hi) in bounds.items():
        value = getattr(spec, key)
        if value is not None:
            if not lo <= value <= hi:
                problems.append(Problem("INVALID", f"{queue._camel(key)} must be between {lo} and {hi}, got {value}",
                                        [queue._camel(key)]))
            values[key] = value
    if spec.on_reset is not None:
        values["on_reset"] = spec.on_reset.value
    return values


async def create_service(uow: UnitOfWork, spec: ServiceCreate) -> str:
    pkg = await load_for(uow, PACKAGE, spec.package_id, "packageId", "Package", "faas.write", "revision",
                             "modules", "name")
    name = entity_name(spec.name or pkg.name, "name", "name")
    revision = spec.package_revision or pkg.revision
    modules = pkg.modules
    if revision != pkg.revision:
        rev = (await uow.conn.execute(sa.select(REVISION.c.modules).where(
            REVISION.c.package_id == pkg.id, REVISION.c.revision == revision))).first()
        if rev is None:
            raise not_found(f"package {pkg.id} has no revision {revision} (newest: {pkg.revision})",
                            "packageRevision")
        modules = rev.modules
    module_name = spec.module_name or (modules[0]["name"] if modules else "default_module")
    if module_of(modules, module_name) is None:
        raise not_found(f"package {pkg.name} has no module {module_name!r}; it has "
                        f"{', '.join(mod['name'] for mod in modules)}", "moduleName")
    problems: list[Problem] = []
    runtime = _check_runtime(spec, problems)
    if spec.init_params is not None and not isinstance(spec.init_params, dict):
        problems.append(Problem("INVALID", "initParams must be a JSON object of init input name → value",
                                ["initParams"]))
    raise_if(problems)
    await require_unique_name(uow, SERVICE, "project_id", pkg.project_id, name, "name", "service")
    now, id_ = utcnow(), new_id("svc")
    bot = await service_bot(uow, pkg.project_id)
    await uow.conn.execute(sa.insert(SERVICE).values(
        id=id_, project_id=pkg.project_id, package_id=pkg.id, package_revision=revision, name=name,
        module_name=module_name, init_params=spec.init_params or {}, active=spec.active is not False,
        runtime={}, bot_user_id=bot, metadata={}, created_by=uow.principal_id, created_at=now, updated_at=now,
        **{"concurrency": 10, "max_attempts": 3, "execution_timeout": 3600, "drain_time": 600, "on_reset": "failed",
           **runtime}))
    uow.emit("service", "created", id_, pkg.project_id, {"name": name, "active": spec.active is not False})
    return id_


async def update_service(uow: UnitOfWork, spec: ServiceUpdate) -> str:
    row = await load_for(uow, SERVICE, spec.id, "id", "Service", "faas.write", "package_id", "module_name")
    problems: list[Problem] = []
    values = _check_runtime(spec, problems)
    raise_if(problems)
    if spec.name is not None:
        values["name"] = entity_name(spec.name, "name", "name")
        await require_unique_name(uow, SERVICE, "project_id", row.project_id, values["name"], "name", "service",
                                  exclude=spec.id)
    if spec.init_params is not None:
        values["init_params"] = spec.init_params
    if spec.active is not None:
        values["active"] = spec.active
    if spec.package_revision is not None:
        rev = (await uow.conn.execute(sa.select(REVISION.c.modules).where(
            REVISION.c.package_id == row.package_id, REVISION.c.revision == spec.package_revision))).first()
        if rev is None:
            raise not_found(f"the package has no revision {spec.package_revision}", "packageRevision")
        if module_of(rev.modules, row.module_name) is None:
            raise invalid(f"revision {spec.package_revision} has no module {row.module_name!r}", "packageRevision")
        values["package_revision"] = spec.package_revision
    values["updated_at"] = utcnow()
    if set(values) - {"updated_at", "name", "active"} or values.get("active") is False:
        values["reset_at"] = values["updated_at"]  # a reset (domain.md §5.2); a rename or a resume is not one
    await uow.conn.execute(sa.update(SERVICE).where(SERVICE.c.id == spec.id).values(**values))
    uow.emit("service", "updated", spec.id, row.project_id,
             {k: v for k, v in values.items() if k in ("active", "name", "package_revision")})
    return spec.id


async def set_service_active(uow: UnitOfWork, cmd: ServiceActivate) -> str:
    """Pause (active=false: nothing is claimed, no trigger fires) or resume a service."""
    id_, active = cmd.id, cmd.active
    row = await load_for(uow, SERVICE, id_, "id", "Service", "faas.write")
    now = utcnow()
    reset = {} if active else {"reset_at": now}  # a pause resets the service; a resume does not
    await uow.conn.execute(sa.update(SERVICE).where(SERVICE.c.id == id_).values(active=active, updated_at=now,
                                                                                **reset))
    uow.emit("service", "updated", id_, row.project_id, {"active": active})
    return id_


async def delete_service(uow: UnitOfWork, cmd: Delete) -> str:
    id_, confirm = cmd.id, cmd.confirm
    row = await load_for(uow, SERVICE, id_, "id", "Service", "faas.write")
    if not confirm:
        raise invalid("deleting a service also deletes its triggers and executions: pass confirm: true", "confirm")
    await uow.conn.execute(sa.delete(SERVICE).where(SERVICE.c.id == id_))
    uow.emit("service", "deleted", id_, row.project_id)
    return id_


async def service_function(uow: UnitOfWork, service_id: str, function_name: str, field: str,
                            permission: str) -> tuple[Any, dict]:
    svc = await load_for(uow, SERVICE, service_id, "serviceId", "Service", permission, "package_id",
                             "package_revision", "module_name", "max_attempts", "name")
    modules = (await uow.conn.execute(sa.select(REVISION.c.modules).where(
        REVISION.c.package_id == svc.package_id, REVISION.c.revision == svc.package_revision))).scalar_one()
    module = module_of(modules, svc.module_name) or {"functions": []}
    fn = next((f for f in module["functions"] if f["name"] == function_name), None)
    if fn is None:
        names = ", ".join(f["name"] for f in module["functions"]) or "none"
        raise not_found(f"service {svc.name} has no function {function_name!r}; its functions: {names}", field)
    return svc, fn
