"""Writes of packages: every change is a new revision; IMPORT codebases name only allowed modules,
ARCHIVE codebases are stored by checksum."""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from labelgraph.columns import utcnow
from labelgraph.db import UnitOfWork
from labelgraph.engine import queue
from labelgraph.engine.isolation import import_allowed
from labelgraph.errors import Problem, Problems, invalid, raise_if
from labelgraph.faas.commands import (
    Codebase,
    Delete,
    FunctionIO,
    PackageCreate,
    PackageModule,
    PackageUpdate,
)
from labelgraph.faas.service.common import CODEBASE, DEFAULT_NAMES, MAX_ARCHIVE, PACKAGE, PROJECT, REVISION, entity_name
from labelgraph.ids import new_id
from labelgraph.rows import load_for, require_unique_name


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
    raise_if(problems)


async def _codebase(uow: UnitOfWork, spec: Codebase, field: str) -> dict[str, Any]:
    """{"type": "import", "reference"} or {"type": "archive", "checksum", "filename", "size", "reference"}."""
    kind = spec.type.value
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


def _io(specs: Sequence[FunctionIO] | None, field: list[str], problems: list[Problem]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for i, s in enumerate(specs or []):
        type_ = s.type.value + ("[]" if s.is_list else "")
        name = (s.name or DEFAULT_NAMES.get(s.type.value, "config")).strip()
        if not name.isidentifier():
            problems.append(Problem("INVALID", f"input name {name!r} must be a Python identifier", [*field, str(i)]))
        if name in seen:
            problems.append(Problem("DUPLICATE", f"two inputs are named {name!r}", [*field, str(i), "name"]))
        seen.add(name)
        entry: dict[str, Any] = {"name": name, "type": type_}
        if s.description:
            entry["description"] = s.description
        if s.has_default:  # given, even as null
            entry["value"] = s.default_value
        out.append(entry)
    return out


def _modules(specs: Sequence[PackageModule], problems: list[Problem]) -> list[dict[str, Any]]:
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


async def create_package(uow: UnitOfWork, spec: PackageCreate) -> str:
    import_modules = spec.import_modules
    await load_for(uow, PROJECT, spec.project_id, "projectId", "Project", "faas.write")
    name = entity_name(spec.name, "name", "name")
    problems: list[Problem] = []
    modules = _modules(spec.modules, problems)
    raise_if(problems)
    _check_imports(spec.codebase.type.value, spec.codebase.reference, modules, import_modules)
    await require_unique_name(uow, PACKAGE, "project_id", spec.project_id, name, "name", "package")
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


async def update_package(uow: UnitOfWork, spec: PackageUpdate) -> str:
    """Change the code or the functions: a new revision. Services pinned to an older revision keep it until
    serviceUpdate(packageRevision) moves them (services created later get the newest)."""
    import_modules = spec.import_modules
    row = await load_for(uow, PACKAGE, spec.id, "id", "Package", "faas.write", "revision", "version",
                             "codebase", "modules", "name")
    problems: list[Problem] = []
    modules = _modules(spec.modules, problems) if spec.modules is not None else row.modules
    raise_if(problems)
    if spec.codebase is not None:
        _check_imports(spec.codebase.type.value, spec.codebase.reference, modules, import_modules)
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


async def delete_package(uow: UnitOfWork, cmd: Delete) -> str:
    id_, confirm = cmd.id, cmd.confirm
    row = await load_for(uow, PACKAGE, id_, "id", "Package", "faas.write")
    if not confirm:
        raise invalid("deleting a package also deletes its services, triggers and executions: pass confirm: true",
                      "confirm")
    await uow.conn.execute(sa.delete(PACKAGE).where(PACKAGE.c.id == id_))
    uow.emit("package", "deleted", id_, row.project_id)
    return id_
