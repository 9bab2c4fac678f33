"""Writes of the execution plane: packages (with revisions and uploaded codebases), services, triggers and
executions. Every function runs inside the caller's UnitOfWork, checks "faas.write" / "execution.write" in the
row's project, validates everything before writing and records outbox events. The queue's state changes
(claims, leases, progress) are in labelgraph.engine.queue."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.data.models import Annotation, Dataset, Item, Project
from labelgraph.data.service import _unique
from labelgraph.db import UnitOfWork
from labelgraph.engine import queue
from labelgraph.engine.cron import CronError, CronSpec
from labelgraph.engine.isolation import import_allowed
from labelgraph.engine.matching import check_filter
from labelgraph.engine.scheduler import first_fire
from labelgraph.errors import Problem, Problems, invalid, not_found
from labelgraph.faas import models as m
from labelgraph.identity.service import service_bot
from labelgraph.ids import new_id, type_of
from labelgraph.rows import load_for

PROJECT = Project.__table__
PACKAGE = m.Package.__table__
REVISION = m.PackageRevision.__table__
CODEBASE = m.PackageCodebase.__table__
SERVICE = m.Service.__table__
TRIGGER = m.Trigger.__table__
ITEM, DATASET, ANNOTATION = Item.__table__, Dataset.__table__, Annotation.__table__

DEFAULT_NAMES = {"Item": "item", "Dataset": "dataset", "Annotation": "annotation", "Project": "project",
                 "Package": "package", "Service": "service", "Execution": "execution", "Model": "model"}
MAX_ARCHIVE = 50 * 1024 * 1024


def _v(value: Any) -> Any:
    """An enum's wire value (GraphQL enums arrive as Python enums), anything else as is."""
    if isinstance(value, list):
        return [_v(v) for v in value]
    return getattr(value, "value", value)


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise Problems(problems[:50])


def _name(value: str | None, field: str, what: str) -> str:
    if value is None or not value.strip() or len(value.strip()) > 200:
        raise invalid(f"{what} must be 1-200 characters", field)
    return value.strip()


# --- packages ----------------------------------------------------------------------------------------------

def _reference_ok(ref: str | None) -> bool:
    if not ref or ":" not in ref:
        return False
    module, _, cls = ref.partition(":")
    return bool(module.strip()) and cls.isidentifier()


def _check_imports(kind: str, reference: str, modules: list[dict[str, Any]], allowed: tuple[str, ...]) -> None:
    """An IMPORT codebase (and each module's own reference under it) may only name modules the platform allows:
    whatever it names is imported by the workers, so "builtins:open" would hand a function any file."""
    if kind != "import":
        return
    refs = [(reference, ["codebase", "reference"])]
    refs += [(mod["reference"], ["modules", str(i), "reference"]) for i, mod in enumerate(modules)
             if mod.get("reference")]
    problems = [Problem("FORBIDDEN", f"module {ref.partition(':')[0]!r} may not be imported by functions on this "
                        f"platform; allowed: {', '.join(allowed) or 'none'} (LABELGRAPH_IMPORT_MODULES, set by the "
                        "platform's admins); upload your own code as type: ARCHIVE instead", field)
                for ref, field in refs if not import_allowed(ref, allowed)]
    _raise_if(problems)


async def _codebase(uow: UnitOfWork, spec: Any, field: str) -> dict[str, Any]:
    """{"type": "import", "reference"} or {"type": "archive", "checksum", "filename", "size", "reference"}."""
    kind = _v(spec.type)
    if not _reference_ok(spec.reference):
        raise invalid("reference must name the class as module:Class (e.g. labelgraph.samples.classifier:"
                      "Classifier, or main:ServiceRunner inside an archive)", field, "reference")
    if kind == "import":
        if spec.archive:
            raise invalid("an IMPORT codebase takes no archive; use type: ARCHIVE to upload code", field, "archive")
        return {"type": "import", "reference": spec.reference}
    if not spec.archive:
        raise invalid("an ARCHIVE codebase needs archive: the zip or tar file, base64-encoded", field, "archive")
    try:
        data = base64.b64decode(spec.archive, validate=True)
    except (binascii.Error, ValueError):
        raise invalid("archive must be base64 (standard alphabet)", field, "archive") from None
    if len(data) > MAX_ARCHIVE:
        raise Problems.one("LIMIT_EXCEEDED", f"archives are at most {MAX_ARCHIVE // 2**20} MiB, got "
                           f"{len(data) / 2**20:.1f} MiB", [field, "archive"])
    filename = (spec.filename or "codebase.zip").strip()
    if not filename.endswith((".zip", ".tar", ".tar.gz", ".tgz")):
        raise invalid("filename must end with .zip, .tar, .tar.gz or .tgz", field, "filename")
    checksum = hashlib.sha256(data).hexdigest()
    exists = (await uow.conn.execute(sa.select(CODEBASE.c.checksum).where(CODEBASE.c.checksum == checksum))).first()
    if exists is None:
        await uow.conn.execute(sa.insert(CODEBASE).values(checksum=checksum, filename=filename, size=len(data),
                                                          data=data, created_at=utcnow()))
    return {"type": "archive", "reference": spec.reference, "checksum": checksum, "filename": filename,
            "size": len(data)}


def _io(specs: list[Any] | None, field: list[str], problems: list[Problem]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for i, s in enumerate(specs or []):
        type_ = _v(s.type) + ("[]" if s.is_list else "")
        name = (s.name or DEFAULT_NAMES.get(_v(s.type), "config")).strip()
        if not name.isidentifier():
            problems.append(Problem("INVALID", f"input name {name!r} must be a Python identifier", [*field, str(i)]))
        if name in seen:
            problems.append(Problem("DUPLICATE", f"two inputs are named {name!r}", [*field, str(i), "name"]))
        seen.add(name)
        entry: dict[str, Any] = {"name": name, "type": type_}
        if s.description:
            entry["description"] = s.description
        if type(s.default_value).__name__ != "UnsetType":  # given, even as null (GraphQL's UNSET: not given)
            entry["value"] = s.default_value
        out.append(entry)
    return out


def _modules(specs: list[Any], problems: list[Problem]) -> list[dict[str, Any]]:
    if not specs:
        problems.append(Problem("INVALID", "a package needs at least one module with at least one function",
                                ["modules"]))
        return []
    out, names = [], set()
    for i, mod in enumerate(specs):
        base = ["modules", str(i)]
        name = (mod.name or "default_module").strip()
        if name in names:
            problems.append(Problem("DUPLICATE", f"two modules are named {name!r}", [*base, "name"]))
        names.add(name)
        if mod.reference is not None and not _reference_ok(mod.reference):
            problems.append(Problem("INVALID", "reference must be module:Class", [*base, "reference"]))
        functions, fnames = [], set()
        if not mod.functions:
            problems.append(Problem("INVALID", "a module needs at least one function", [*base, "functions"]))
        for j, fn in enumerate(mod.functions or []):
            fname = (fn.name or "run").strip()
            if not fname.isidentifier():
                problems.append(Problem("INVALID", f"function name {fname!r} must be a Python identifier",
                                        [*base, "functions", str(j), "name"]))
            if fname in fnames:
                problems.append(Problem("DUPLICATE", f"two functions are named {fname!r} in module {name}",
                                        [*base, "functions", str(j), "name"]))
            fnames.add(fname)
            entry = {"name": fname, "inputs": _io(fn.inputs, [*base, "functions", str(j), "inputs"], problems),
                     "outputs": _io(fn.outputs, [*base, "functions", str(j), "outputs"], problems)}
            for key in ("description", "display_name"):
                if getattr(fn, key, None):
                    entry[queue._camel(key)] = getattr(fn, key)
            functions.append(entry)
        module: dict[str, Any] = {"name": name, "functions": functions,
                                  "initInputs": _io(mod.init_inputs, [*base, "initInputs"], problems)}
        if mod.reference:
            module["reference"] = mod.reference
        out.append(module)
    return out


async def create_package(uow: UnitOfWork, spec: Any, import_modules: tuple[str, ...]) -> str:
    await load_for(uow, PROJECT, spec.project_id, "projectId", "Project", "faas.write")
    name = _name(spec.name, "name", "name")
    problems: list[Problem] = []
    modules = _modules(spec.modules, problems)
    _raise_if(problems)
    _check_imports(_v(spec.codebase.type), spec.codebase.reference, modules, import_modules)
    await _unique(uow, PACKAGE, "project_id", spec.project_id, name, "name", "package")
    codebase = await _codebase(uow, spec.codebase, "codebase")
    now, id_ = utcnow(), new_id("pkg")
    version = spec.version or "1.0.0"
    await uow.conn.execute(sa.insert(PACKAGE).values(
        id=id_, project_id=spec.project_id, name=name, version=version, revision=1, type="faas", codebase=codebase,
        modules=modules, requirements=[], service_config={}, metadata=spec.metadata or {},
        created_by=uow.principal_id, created_at=now, updated_at=now))
    await uow.conn.execute(sa.insert(REVISION).values(
        id=new_id("pkg"), project_id=spec.project_id, package_id=id_, revision=1, version=version,
        codebase=codebase, modules=modules, created_at=now))
    uow.emit("package", "created", id_, spec.project_id, {"name": name, "revision": 1})
    return id_


async def update_package(uow: UnitOfWork, spec: Any, import_modules: tuple[str, ...]) -> str:
    """Change the code or the functions: a new revision. Services pinned to an older revision keep it until
    serviceUpdate(packageRevision) moves them (services created later get the newest)."""
    row = await load_for(uow, PACKAGE, spec.id, "id", "Package", "faas.write", "revision", "version",
                             "codebase", "modules", "name")
    problems: list[Problem] = []
    modules = _modules(spec.modules, problems) if spec.modules is not None else row.modules
    _raise_if(problems)
    if spec.codebase is not None:
        _check_imports(_v(spec.codebase.type), spec.codebase.reference, modules, import_modules)
    else:
        _check_imports(row.codebase["type"], row.codebase["reference"], modules, import_modules)
    codebase = await _codebase(uow, spec.codebase, "codebase") if spec.codebase is not None else row.codebase
    now, revision = utcnow(), row.revision + 1
    version = spec.version or row.version
    values: dict[str, Any] = {"revision": revision, "version": version, "codebase": codebase, "modules": modules,
                              "updated_at": now}
    if spec.metadata is not None:
        values["metadata"] = spec.metadata
    await uow.conn.execute(sa.update(PACKAGE).where(PACKAGE.c.id == spec.id).values(**values))
    await uow.conn.execute(sa.insert(REVISION).values(
        id=new_id("pkg"), project_id=row.project_id, package_id=spec.id, revision=revision, version=version,
        codebase=codebase, modules=modules, created_at=now))
    uow.emit("package", "updated", spec.id, row.project_id, {"revision": revision})
    return spec.id


async def delete_package(uow: UnitOfWork, id_: str, confirm: bool) -> str:
    row = await load_for(uow, PACKAGE, id_, "id", "Package", "faas.write")
    if not confirm:
        raise invalid("deleting a package also deletes its services, triggers and executions: pass confirm: true",
                      "confirm")
    await uow.conn.execute(sa.delete(PACKAGE).where(PACKAGE.c.id == id_))
    uow.emit("package", "deleted", id_, row.project_id)
    return id_


# --- services ----------------------------------------------------------------------------------------------

def _module_of(modules: list[dict], name: str) -> dict | None:
    return next((mod for mod in modules if mod.get("name") == name), None)


def _check_runtime(spec: Any, problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    bounds = {"concurrency": (1, 1000), "max_attempts": (1, 100), "execution_timeout": (1, 7 * 86400),
              "drain_time": (0, 86400)}
    for key, (lo, hi) in bounds.items():
        value = getattr(spec, key, None)
        if value is not None:
            if not lo <= value <= hi:
                problems.append(Problem("INVALID", f"{queue._camel(key)} must be between {lo} and {hi}, got {value}",
                                        [queue._camel(key)]))
            values[key] = value
    if getattr(spec, "on_reset", None) is not None:
        values["on_reset"] = _v(spec.on_reset)
    return values


async def create_service(uow: UnitOfWork, spec: Any) -> str:
    pkg = await load_for(uow, PACKAGE, spec.package_id, "packageId", "Package", "faas.write", "revision",
                             "modules", "name")
    name = _name(spec.name or pkg.name, "name", "name")
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
    if _module_of(modules, module_name) is None:
        raise not_found(f"package {pkg.name} has no module {module_name!r}; it has "
                        f"{', '.join(mod['name'] for mod in modules)}", "moduleName")
    problems: list[Problem] = []
    runtime = _check_runtime(spec, problems)
    if spec.init_params is not None and not isinstance(spec.init_params, dict):
        problems.append(Problem("INVALID", "initParams must be a JSON object of init input name → value",
                                ["initParams"]))
    _raise_if(problems)
    await _unique(uow, SERVICE, "project_id", pkg.project_id, name, "name", "service")
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


async def update_service(uow: UnitOfWork, spec: Any) -> str:
    row = await load_for(uow, SERVICE, spec.id, "id", "Service", "faas.write", "package_id", "module_name")
    problems: list[Problem] = []
    values = _check_runtime(spec, problems)
    _raise_if(problems)
    if spec.name is not None:
        values["name"] = _name(spec.name, "name", "name")
        await _unique(uow, SERVICE, "project_id", row.project_id, values["name"], "name", "service", exclude=spec.id)
    if spec.init_params is not None:
        values["init_params"] = spec.init_params
    if spec.active is not None:
        values["active"] = spec.active
    if spec.package_revision is not None:
        rev = (await uow.conn.execute(sa.select(REVISION.c.modules).where(
            REVISION.c.package_id == row.package_id, REVISION.c.revision == spec.package_revision))).first()
        if rev is None:
            raise not_found(f"the package has no revision {spec.package_revision}", "packageRevision")
        if _module_of(rev.modules, row.module_name) is None:
            raise invalid(f"revision {spec.package_revision} has no module {row.module_name!r}", "packageRevision")
        values["package_revision"] = spec.package_revision
    values["updated_at"] = utcnow()
    await uow.conn.execute(sa.update(SERVICE).where(SERVICE.c.id == spec.id).values(**values))
    uow.emit("service", "updated", spec.id, row.project_id,
             {k: v for k, v in values.items() if k in ("active", "name", "package_revision")})
    return spec.id


async def set_service_active(uow: UnitOfWork, id_: str, active: bool) -> str:
    """Pause (active=false: nothing is claimed, no trigger fires) or resume a service."""
    row = await load_for(uow, SERVICE, id_, "id", "Service", "faas.write")
    await uow.conn.execute(sa.update(SERVICE).where(SERVICE.c.id == id_).values(active=active, updated_at=utcnow()))
    uow.emit("service", "updated", id_, row.project_id, {"active": active})
    return id_


async def delete_service(uow: UnitOfWork, id_: str, confirm: bool) -> str:
    row = await load_for(uow, SERVICE, id_, "id", "Service", "faas.write")
    if not confirm:
        raise invalid("deleting a service also deletes its triggers and executions: pass confirm: true", "confirm")
    await uow.conn.execute(sa.delete(SERVICE).where(SERVICE.c.id == id_))
    uow.emit("service", "deleted", id_, row.project_id)
    return id_


async def _service_function(uow: UnitOfWork, service_id: str, function_name: str, field: str,
                            permission: str) -> tuple[Any, dict]:
    svc = await load_for(uow, SERVICE, service_id, "serviceId", "Service", permission, "package_id",
                             "package_revision", "module_name", "max_attempts", "name")
    modules = (await uow.conn.execute(sa.select(REVISION.c.modules).where(
        REVISION.c.package_id == svc.package_id, REVISION.c.revision == svc.package_revision))).scalar_one()
    module = _module_of(modules, svc.module_name) or {"functions": []}
    fn = next((f for f in module["functions"] if f["name"] == function_name), None)
    if fn is None:
        names = ", ".join(f["name"] for f in module["functions"]) or "none"
        raise not_found(f"service {svc.name} has no function {function_name!r}; its functions: {names}", field)
    return svc, fn


# --- triggers ----------------------------------------------------------------------------------------------

async def create_trigger(uow: UnitOfWork, spec: Any) -> str:
    function_name = spec.function_name or "run"
    svc, fn = await _service_function(uow, spec.service_id, function_name, "functionName", "faas.write")
    name = _name(spec.name or svc.name, "name", "name")
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


def _trigger_values(spec: Any, creating: bool, current: Any = None) -> dict[str, Any]:
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
            values["resource"] = _v(spec.resource)
        if spec.actions is not None:
            if not spec.actions:
                raise invalid("actions must name at least one action", "actions")
            values["actions"] = list(dict.fromkeys(_v(spec.actions)))
        if spec.execution_mode is not None:
            values["execution_mode"] = _v(spec.execution_mode)
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


async def update_trigger(uow: UnitOfWork, spec: Any) -> str:
    row = await load_for(uow, TRIGGER, spec.id, "id", "Trigger", "faas.write", "type", "cron", "start_at",
                         "end_at", "service_id", "function_name")
    values = _trigger_values(spec, creating=False, current=row)
    if spec.name is not None:
        values["name"] = _name(spec.name, "name", "name")
    if spec.function_name is not None or "input" in values:
        svc, fn = await _service_function(uow, row.service_id, spec.function_name or row.function_name,
                                          "functionName", "faas.write")
        if spec.function_name is not None:
            values["function_name"] = spec.function_name
        if "input" in values:
            values["input"] = await check_input(uow, svc.project_id, fn, values["input"], complete=False)
    values["updated_at"] = utcnow()
    await uow.conn.execute(sa.update(TRIGGER).where(TRIGGER.c.id == spec.id).values(**values))
    uow.emit("trigger", "updated", spec.id, row.project_id, {"active": values.get("active")})
    return spec.id


async def delete_trigger(uow: UnitOfWork, id_: str) -> str:
    row = await load_for(uow, TRIGGER, id_, "id", "Trigger", "faas.write")
    await uow.conn.execute(sa.delete(TRIGGER).where(TRIGGER.c.id == id_))
    uow.emit("trigger", "deleted", id_, row.project_id)
    return id_


# --- executions --------------------------------------------------------------------------------------------

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
    _raise_if(problems)
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
    _raise_if(problems)
    return out


async def create_execution(uow: UnitOfWork, service_id: str, function_name: str | None, input_: Any,
                           shortcut: dict[str, str | None] | None = None) -> str:
    """``shortcut``: ``{"annotationId"|"itemId"|"datasetId": id}`` (domain.md §5.5), see ``apply_shortcut``."""
    function_name = function_name or "run"
    svc, fn = await _service_function(uow, service_id, function_name, "functionName", "execution.write")
    input_, agree = apply_shortcut(fn, input_, shortcut)
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
    _raise_if(problems)
