"""Nothing reveals what you cannot read: every id a mutation takes, given another tenant's id, is answered
exactly like an id that does not exist (NOT_FOUND naming that field) and changes nothing.

The id fields come from the schema: every input field (at any depth of a mutation's ``input``) of type ID named
``id``, ``ids``, ``…Id`` or ``…Ids``. ``INPUTS`` says how to build a valid input of each mutation, with
``"@key"`` standing for the id ``key`` of the caller's world (tests/identity/conftest.py). A mutation or an id
field missing from ``INPUTS`` fails ``test_every_id_input_is_covered``.

Also here: entity references inside JSON inputs (executions, triggers) and the claims resolving them; tasks an
annotator cannot see; ids of the caller's other projects in reference fields; reads and subscriptions by id."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import sqlite3
from typing import Any

import pytest
import sqlalchemy as sa
from graphql import GraphQLInputObjectType, GraphQLList, GraphQLNonNull, get_named_type
from sqlalchemy.ext.asyncio import create_async_engine
from support import BOX

from labelgraph.ids import new_id, prefix_of
from labelgraph.models import metadata
from labelgraph.settings import normalize_database_url

# input fields named like ids that are not references to entities: names the client chooses
NOT_REFERENCES = {"AnnotationCreateInput.objectId", "AnnotationUpdateInput.objectId",
                  *(f"Execution{kind}Input.workerId" for kind in ("sClaim", "sComplete", "Heartbeat", "Progress",
                                                                  "Complete", "Fail", "Release", "LogsAppend"))}

_W = "world-worker"  # the worker holding the world's leased execution
INPUTS: dict[str, dict[str, Any]] = {
    "tokenRevoke": {"id": "@token"},
    "organizationMemberAdd": {"organizationId": "@org", "email": "new@acme.test", "role": "MEMBER"},
    "organizationMemberUpdate": {"organizationId": "@org", "email": "target@acme.test", "role": "ADMIN"},
    "organizationMemberRemove": {"organizationId": "@org", "email": "target@acme.test"},
    "organizationUpdate": {"id": "@org", "name": "Acme 2"},
    "organizationDelete": {"id": "@org", "confirm": True},
    "projectCreate": {"organizationId": "@org", "name": "Bikes"},
    "projectUpdate": {"id": "@project", "name": "Cars 2"},
    "projectDelete": {"id": "@project", "confirm": True},
    "projectMemberAdd": {"projectId": "@project", "email": "new@acme.test", "role": "ANNOTATOR"},
    "projectMemberUpdate": {"projectId": "@project", "email": "target@acme.test", "role": "ENGINEER"},
    "projectMemberRemove": {"projectId": "@project", "email": "target@acme.test"},
    "botCreate": {"projectId": "@project", "name": "worker-1"},
    "datasetCreate": {"projectId": "@project", "name": "more", "recipeId": "@recipe"},
    "datasetUpdate": {"id": "@dataset", "name": "renamed", "recipeId": "@recipe"},
    "datasetDelete": {"id": "@dataset", "confirm": True},
    "datasetIndexCreate": {"datasetId": "@dataset", "path": "user.score"},
    "itemsCreate": {"datasetId": "@dataset", "items": [{"name": "z.jpg", "uploadId": "@upload"}]},
    "itemsUpload": {"datasetId": "@dataset", "files": []},
    # versionId: another tenant's dataset id stands for a foreign id (the world holds no DatasetVersion)
    "datasetExport": {"datasetId": "@dataset", "format": "COCO", "versionId": "@dataset"},
    "datasetImport": {"datasetId": "@dataset", "format": "COCO", "uploadId": "@upload"},
    "itemUploadsCreate": {"datasetId": "@dataset", "files": [{"name": "z.bin", "size": 1}]},
    "itemUpdate": {"id": "@item", "description": "seen"},
    "itemsDelete": {"ids": ["@item"], "datasetId": "@dataset"},
    "itemsUpdate": {"datasetId": "@dataset", "ids": ["@item"], "hidden": True},
    "annotationsUpdate": {"annotations": [{"id": "@annotation", "label": "person"}]},
    "datasetVersionCreate": {"datasetId": "@dataset", "name": "v1"},
    "itemsSplitSet": {"datasetId": "@dataset", "itemIds": ["@item"], "split": "train"},
    "datasetSplit": {"datasetId": "@dataset", "ratios": {"train": 1}, "seed": 1},
    "annotationsCreate": {"annotations": [{"itemId": "@item", "type": "BOX", "label": "car", "coordinates": BOX,
                                           "parentId": "@annotation"}]},
    "annotationUpdate": {"id": "@annotation", "label": "person"},
    "annotationsDelete": {"ids": ["@annotation"]},
    "recipeCreate": {"projectId": "@project", "title": "R2", "ontologyIds": ["@ontology"]},
    "recipeUpdate": {"id": "@recipe", "title": "R3", "ontologyIds": ["@ontology"]},
    "recipeDelete": {"id": "@recipe"},
    "ontologyCreate": {"projectId": "@project", "title": "O2"},
    "ontologyUpdate": {"id": "@ontology", "title": "O3"},
    "ontologyDelete": {"id": "@ontology"},
    "ontologyLabelsAdd": {"ontologyId": "@ontology", "labels": [{"tag": "bike"}]},
    "ontologyLabelsUpdate": {"ontologyId": "@ontology", "labels": [{"tag": "car", "color": "#ffffff"}]},
    "ontologyLabelsDelete": {"ontologyId": "@ontology", "tags": ["person"]},
    "labelMove": {"ontologyId": "@ontology", "tag": "person", "newName": "human"},
    "ontologyAttributesUpsert": {"ontologyId": "@ontology", "attributes": [{"key": "note", "type": "FREE_TEXT"}]},
    "ontologyAttributesDelete": {"ontologyId": "@ontology", "keys": ["occluded"]},
    "taskCreate": {"datasetId": "@dataset", "name": "T2", "assignees": [{"email": "target@acme.test"}],
                   "itemIds": ["@item"], "parentTaskId": "@task", "recipeId": "@recipe"},
    "taskUpdate": {"id": "@task", "name": "T3"},
    "taskDelete": {"id": "@task"},
    "taskAddItems": {"taskId": "@task", "itemIds": ["@item2"]},
    "taskRemoveItems": {"taskId": "@task", "itemIds": ["@item"]},
    "assignmentReassign": {"assignmentId": "@assignment", "email": "owner@acme.test"},
    "assignmentRedistribute": {"assignmentId": "@assignment",
                               "workload": [{"email": "owner@acme.test"}, {"email": "target@acme.test"}]},
    "itemStatusSet": {"taskId": "@task", "itemId": "@item", "status": "completed"},
    "itemsStatusSet": {"taskId": "@task", "itemIds": ["@item"], "status": "completed"},
    "packageCreate": {"projectId": "@project", "name": "p2",
                      "codebase": {"reference": "labelgraph.samples.basic:Basic"},
                      "modules": [{"functions": [{"name": "noop"}]}]},
    "packageUpdate": {"id": "@package", "version": "2.0.0"},
    "packageDelete": {"id": "@package", "confirm": True},
    "serviceCreate": {"packageId": "@package", "name": "s2"},
    "serviceUpdate": {"id": "@service", "concurrency": 2},
    "servicePause": {"id": "@service"},
    "serviceResume": {"id": "@service"},
    "serviceDelete": {"id": "@service", "confirm": True},
    "triggerCreate": {"serviceId": "@service", "functionName": "noop", "cron": "0 3 * * *"},
    "triggerUpdate": {"id": "@trigger", "active": False},
    "triggerDelete": {"id": "@trigger"},
    "executionCreate": {"serviceId": "@service", "functionName": "peek", "annotationId": "@annotation",
                        "itemId": "@item", "datasetId": "@dataset"},  # the shortcut form (domain.md §5.5)
    "executionTerminate": {"id": "@execution_queued"},
    "datasetClone": {"datasetId": "@dataset", "name": "copy", "projectId": "@project"},
    "datasetsMerge": {"datasetIds": ["@dataset"], "name": "merged"},
    "commandAbort": {"id": "@command"},
    "executionRerun": {"id": "@execution_ended"},
    "executionsClaim": {"workerId": "w2", "serviceIds": ["@service"], "max": 1},
    "executionHeartbeat": {"id": "@execution_leased", "workerId": _W},
    "executionProgress": {"id": "@execution_leased", "workerId": _W, "percentComplete": 5},
    "executionLogsAppend": {"id": "@execution_leased", "workerId": _W, "lines": [{"stream": "STDOUT", "text": "x"}]},
    "executionComplete": {"id": "@execution_leased", "workerId": _W},
    "executionsComplete": {"workerId": _W, "completions": [{"id": "@execution_leased"}]},
    "executionFail": {"id": "@execution_leased", "workerId": _W, "error": "x"},
    "executionRelease": {"id": "@execution_leased", "workerId": _W},
}


def _schema():
    from labelgraph.schema import schema

    return schema._schema


def _is_id_name(name: str) -> bool:
    return name in ("id", "ids") or name.endswith(("Id", "Ids"))


def id_fields(mutation: str) -> list[tuple[str, ...]]:
    """Paths (argument, field, …) of every ID input field of ``mutation`` named like an id."""
    found: list[tuple[str, ...]] = []

    def walk(type_, path: tuple[str, ...], seen: frozenset[str]) -> None:
        named = get_named_type(type_)
        if not isinstance(named, GraphQLInputObjectType) or named.name in seen:
            return
        for name, f in named.fields.items():
            here = (*path, name)
            if _is_id_name(name) and f"{named.name}.{name}" not in NOT_REFERENCES:
                found.append(here)
            walk(f.type, here, seen | {named.name})

    for name, arg in _schema().mutation_type.fields[mutation].args.items():
        if _is_id_name(name):
            found.append((name,))
        walk(arg.type, (name,), frozenset())
    return found


def _is_list(type_) -> bool:
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)


def test_every_id_input_is_covered():
    """Each mutation taking ids has a valid input in INPUTS naming every one of its id fields; each such field
    is an ID (a String named like an id must be listed in NOT_REFERENCES)."""
    problems = []
    for mutation, field in _schema().mutation_type.fields.items():
        paths = id_fields(mutation)
        if paths and mutation not in INPUTS:
            problems.append(f"{mutation}: takes ids {['.'.join(p) for p in paths]} but has no input in INPUTS")
            continue
        for path in paths:
            if _at(INPUTS.get(mutation, {}), path[1:]) is None:
                problems.append(f"{mutation}: INPUTS gives no {'.'.join(path[1:])} (an id field of the schema)")
            if get_named_type(_field_type(field, path)).name != "ID":
                problems.append(f"{mutation}: {'.'.join(path)} is named like an id but is no ID: make it an ID or "
                                "list it in NOT_REFERENCES")
    assert not problems, "\n".join(problems)


def _field_type(field, path: tuple[str, ...]):
    type_ = field.args[path[0]].type
    for name in path[1:]:
        type_ = get_named_type(type_).fields[name].type
    return type_


def _at(value: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` of an input (lists of input objects: their first entry)."""
    for name in path:
        if isinstance(value, list):
            value = value[0]
        if not isinstance(value, dict) or name not in value:
            return None
        value = value[name]
    return value


def _key(template: dict, path: tuple[str, ...]) -> str:
    """The world key of the id at ``path`` (argument first) of an INPUTS template."""
    value = _at(template, path[1:])
    return (value[0] if isinstance(value, list) else value)[1:]


def _resolve(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, ids) for k, v in value.items()}
    return value


def _with(input_: dict, path: tuple[str, ...], id_: str, is_list: bool) -> tuple[dict, list[str]]:
    """A copy of ``input_`` with ``id_`` at ``path`` (a list field: after the caller's own ids, which must not
    be written either) and the error path naming it."""
    out = copy.deepcopy(input_)
    node, field = out, []
    for name in path[:-1]:
        node = node[name]
        field.append(name)
        if isinstance(node, list):
            node, _ = node[0], field.append("0")
    last = path[-1]
    field.append(last)
    if is_list:
        node[last] = [*node[last], id_]
        field.append(str(len(node[last]) - 1))
    else:
        node[last] = id_
    return out, field


# what the app's background relay changes on its own: when it published / matched an event
BOOKKEEPING = {"published_at", "matched_at"}
BOOKKEEPING_TABLES = {"outbox_pending"}  # PostgreSQL: the events not yet published (migration 0014)


@pytest.fixture
async def digest(settings):
    """``await digest()``: a digest of every table's rows (but BOOKKEEPING and BOOKKEEPING_TABLES); equal before
    and after a request means it wrote nothing. The rows are read as the driver gives them (no type processing:
    a stored value that changes changes them); on SQLite through a connection of its own to the file, in this
    thread (one hop to a database thread per table was most of the test's time)."""
    url = normalize_database_url(settings.database_url)
    engine = create_async_engine(url)
    queries = [(table.name, str(sa.select(*[c for c in table.c if c.name not in BOOKKEEPING])
                                .order_by(*table.primary_key.columns).compile(dialect=engine.dialect)))
               for table in metadata.sorted_tables if table.name not in BOOKKEEPING_TABLES]

    def hashed(rows) -> str:
        return hashlib.sha256(json.dumps([list(r) for r in rows], default=str).encode()).hexdigest()

    async def take() -> dict[str, str]:
        if engine.dialect.name == "sqlite":
            with contextlib.closing(sqlite3.connect(engine.url.database)) as conn:
                return {name: hashed(conn.execute(sql).fetchall()) for name, sql in queries}
        async with engine.connect() as conn:
            return {name: hashed((await conn.exec_driver_sql(sql)).all()) for name, sql in queries}

    yield take
    await engine.dispose()


async def _tenant(world, domain: str, roles: frozenset[str] = frozenset({"engineer"})):
    """A world (conftest.make_world) with the ids INPUTS uses."""
    w = await world(set(roles), faas=True, domain=domain)
    owner = w.callers["org_owner"]
    data = await owner('mutation { tokenCreate(input: {name: "spare"}) { apiToken { id } } }')
    w.ids["token"] = data["tokenCreate"]["apiToken"]["id"]
    item2 = await owner("query($d: ID!) { dataset(id: $d) { items(first: 5) { nodes { id name } } } }",
                        {"d": w.ids["dataset"]})
    w.ids["item2"] = next(n["id"] for n in item2["dataset"]["items"]["nodes"] if n["name"] == "b.jpg")
    upload = await owner("""mutation($d: ID!) { itemUploadsCreate(input: {datasetId: $d, files: [{name: "u.bin",
        size: 1}]}) { uploads { uploadId } } }""", {"d": w.ids["dataset"]})
    w.ids["upload"] = upload["itemUploadsCreate"]["uploads"][0]["uploadId"]
    return w


def _document(mutation: str) -> str:
    input_type = _schema().mutation_type.fields[mutation].args["input"].type
    return f"mutation($input: {input_type}) {{ {mutation}(input: $input) {{ errors {{ code field message }} }} }}"


def _answer(body: dict, mutation: str, id_: str) -> Any:
    """The refusal of a mutation with every mention of ``id_`` replaced, to compare two answers."""
    if body.get("errors"):
        answer = [{"code": (e.get("extensions") or {}).get("code"), "message": e["message"]} for e in body["errors"]]
    else:
        answer = body["data"][mutation]["errors"]
    return json.loads(json.dumps(answer).replace(id_, "<ID>"))


@pytest.fixture
async def tenants(world):
    return await _tenant(world, "acme.test"), await _tenant(world, "beta.test")


async def test_foreign_ids_answer_as_missing(tenants, digest):
    """As tenant A's owner, put tenant B's id in one id field of a valid input: NOT_FOUND naming that field,
    the same answer as for an id that does not exist, and nothing written."""
    a, b = tenants
    caller = a.callers["org_owner"]
    failures = []
    # each request's "before" is the previous request's "after" (nothing else writes in between): one digest of
    # every table per request instead of two; a write in between would fail the test, never pass unseen
    after = await digest()
    for mutation, template in INPUTS.items():
        field_def = _schema().mutation_type.fields[mutation]
        own = _resolve(template, a.ids)
        for path in id_fields(mutation):
            key = _key(template, path)
            is_list = _is_list(_field_type(field_def, path))
            answers = {}
            for kind, id_ in (("foreign", b.ids[key]), ("missing", new_id(prefix_of(a.ids[key])))):
                variables, field = _with(own, path[1:], id_, is_list)
                before = after
                body = await caller.raw(_document(mutation), {"input": variables})
                after = await digest()
                answers[kind] = answer = _answer(body, mutation, id_)
                where = f"{mutation} {'.'.join(path[1:])} ({kind} id)"
                if before != after:
                    changed = [t for t in before if before[t] != after[t]]
                    failures.append(f"{where}: wrote to {changed}; answer {answer}")
                if not _not_found(answer, field):
                    failures.append(f"{where}: expected NOT_FOUND naming {field}, got {answer}")
            if answers["foreign"] != answers["missing"]:
                failures.append(f"{mutation} {'.'.join(path[1:])}: a foreign id is answered {answers['foreign']}, "
                                f"a missing one {answers['missing']}")
    assert not failures, "\n".join(failures)


def _not_found(answer: list[dict], field: list[str]) -> bool:
    """One NOT_FOUND: top level, or in the payload naming ``field`` (a list field: with or without the index)."""
    if len(answer) != 1 or answer[0]["code"] != "NOT_FOUND":
        return False
    if "field" not in answer[0]:
        return True
    return answer[0]["field"] in (field, field[:-1] if field[-1].isdigit() else field)


PEEK = {"name": "peek", "inputs": [{"type": "ITEM", "name": "item", "defaultValue": None},
                                   {"type": "DATASET", "name": "dataset", "defaultValue": None},
                                   {"type": "ANNOTATION", "name": "annotation", "defaultValue": None}]}


async def _peek_service(caller, project_id: str) -> str:
    """A service of ``project_id`` whose function ``peek`` takes an item, a dataset and an annotation."""
    data = await caller("""mutation($p: ID!, $f: [PackageFunctionInput!]!) { packageCreate(input: {projectId: $p,
        name: "peek", codebase: {reference: "labelgraph.samples.basic:Basic"}, modules: [{functions: $f}]}) {
        package { id } errors { message } } }""", {"p": project_id, "f": [PEEK]})
    package_id = data["packageCreate"]["package"]["id"]
    data = await caller("mutation($p: ID!) { serviceCreate(input: {packageId: $p}) { service { id } } }",
                        {"p": package_id})
    return data["serviceCreate"]["service"]["id"]


JSON_INPUTS = {  # mutation → its input with an entity reference in the JSON ``input`` (``$ref``)
    "executionCreate": lambda ids, ref: {"serviceId": ids["peek"], "functionName": "peek", "input": ref},
    "triggerCreate": lambda ids, ref: {"serviceId": ids["peek"], "functionName": "peek", "resource": "ITEM",
                                       "actions": ["CREATED"], "input": ref},
    "triggerUpdate": lambda ids, ref: {"id": ids["peek_trigger"], "input": ref},
}


async def test_json_inputs_reach_no_foreign_entity(tenants, digest):
    """An execution's or trigger's input naming another tenant's item, dataset or annotation (by id or as
    {"item_id": …}) is refused like a missing one: the worker would get the entity itself."""
    a, b = tenants
    caller = a.callers["org_owner"]
    a.ids["peek"] = await _peek_service(caller, a.ids["project"])
    data = await caller("""mutation($s: ID!) { triggerCreate(input: {serviceId: $s, functionName: "peek"}) {
        trigger { id } } }""", {"s": a.ids["peek"]})
    a.ids["peek_trigger"] = data["triggerCreate"]["trigger"]["id"]
    failures = []
    after = await digest()  # as in test_foreign_ids_answer_as_missing: one digest per request
    for mutation, make in JSON_INPUTS.items():
        for name, key in (("item", "item"), ("dataset", "dataset"), ("annotation", "annotation")):
            for form in ("id", "object"):
                answers = {}
                for kind, id_ in (("foreign", b.ids[key]), ("missing", new_id(prefix_of(a.ids[key])))):
                    ref = {name: id_ if form == "id" else {f"{name}_id": id_}}
                    before = after
                    body = await caller.raw(_document(mutation), {"input": make(a.ids, ref)})
                    after = await digest()
                    answers[kind] = answer = _answer(body, mutation, id_)
                    where = f"{mutation} input.{name} as {form} ({kind})"
                    if before != after:
                        failures.append(f"{where}: wrote to {[t for t in before if before[t] != after[t]]}")
                    if not _not_found(answer, ["input", name]):
                        failures.append(f"{where}: expected NOT_FOUND naming input.{name}, got {answer}")
                if answers["foreign"] != answers["missing"]:
                    failures.append(f"{mutation} input.{name} as {form}: foreign {answers['foreign']}, "
                                    f"missing {answers['missing']}")
    assert not failures, "\n".join(failures)


async def test_claims_resolve_only_the_executions_project(tenants, settings):
    """A trigger stored with another tenant's item in its input (before inputs were checked) fires; the worker
    gets that input as a deleted reference, not the other tenant's item."""
    a, b = tenants
    caller = a.callers["org_owner"]
    service = await _peek_service(caller, a.ids["project"])
    data = await caller("""mutation($s: ID!, $i: JSON) { triggerCreate(input: {serviceId: $s, functionName: "peek",
        resource: DATASET, actions: [UPDATED], input: $i}) { trigger { id } errors { message } } }""",
                        {"s": service, "i": {"item": {"item_id": a.ids["item"]}}})
    trigger = data["triggerCreate"]["trigger"]["id"]
    engine = create_async_engine(normalize_database_url(settings.database_url))
    async with engine.begin() as conn:  # the trigger as an older server stored it
        table = metadata.tables["trigger"]
        await conn.execute(sa.update(table).where(table.c.id == trigger).values(
            input={"item": {"item_id": b.ids["item"], "dataset_id": b.ids["dataset"]}}))
    await engine.dispose()
    await caller("""mutation($d: ID!) { datasetUpdate(input: {id: $d, description: "fire"}) { errors { message } }
        }""", {"d": a.ids["dataset"]})
    data = await caller("""mutation($s: ID!) { executionsClaim(input: {workerId: "peeker", serviceIds: [$s],
        waitSeconds: 20}) { claims { resolvedInput } errors { message } } }""", {"s": service})
    [claim] = data["executionsClaim"]["claims"]
    assert claim["resolvedInput"]["item"] == {"item_id": b.ids["item"], "dataset_id": b.ids["dataset"],
                                              "id": b.ids["item"], "deleted": True}
    assert claim["resolvedInput"]["dataset"]["id"] == a.ids["dataset"]  # the event's own dataset resolves


async def test_tasks_an_annotator_cannot_see_are_not_found(world, digest):
    """Annotators see only their own tasks and assignments: every mutation naming another task or assignment
    answers them exactly as for one that does not exist (not FORBIDDEN, which would tell it exists), writing
    nothing; on a task of their own, managing it is FORBIDDEN."""
    w = await _tenant(world, "acme.test", frozenset({"annotator"}))
    annotator = w.callers["annotator"]
    failures = []
    for mutation, template in INPUTS.items():
        for path in id_fields(mutation):
            key = _key(template, path)
            if key not in ("task", "assignment"):
                continue
            own = _resolve(template, w.ids)
            answers = {}
            for kind, id_ in (("unseen", w.ids[key]), ("missing", new_id(prefix_of(w.ids[key])))):
                variables, _ = _with(own, path[1:], id_, False)
                before = await digest()
                body = await annotator.raw(_document(mutation), {"input": variables})
                if before != await digest():
                    failures.append(f"{mutation} {'.'.join(path[1:])} ({kind}): wrote")
                answers[kind] = _answer(body, mutation, id_)
            if answers["unseen"] != answers["missing"]:
                failures.append(f"{mutation} {'.'.join(path[1:])}: unseen {answers['unseen']}, "
                                f"missing {answers['missing']}")
    assert not failures, "\n".join(failures)
    owner = w.callers["org_owner"]
    data = await owner("""mutation($d: ID!) { taskCreate(input: {datasetId: $d, name: "Mine",
        assignees: [{email: "annotator@acme.test"}]}) { task { id } errors { message } } }""", {"d": w.ids["dataset"]})
    body = await annotator.raw('mutation($t: ID!) { taskUpdate(input: {id: $t, name: "x"}) { errors { code } } }',
                               {"t": data["taskCreate"]["task"]["id"]})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


READS = {  # root query field → the world id it reads
    "organization": "org", "project": "project", "dataset": "dataset", "item": "item", "annotation": "annotation",
    "recipe": "recipe", "ontology": "ontology", "label": "label", "task": "task", "assignment": "assignment",
    "package": "package", "service": "service", "trigger": "trigger", "execution": "execution_queued",
    "command": "command",
}
LISTS = {  # lists filtered by an id: another tenant's id selects nothing, as a missing one does
    "executions(filter: {projectId: $id})": "project", "executions(filter: {serviceId: $id})": "service",
    "executions(filter: {triggerId: $id})": "trigger",
}


def test_every_root_read_by_id_is_covered():
    by_id = {name for name, f in _schema().query_type.fields.items() if "id" in f.args}
    assert by_id - {"node"} == set(READS)


async def test_reads_answer_foreign_ids_as_missing(tenants):
    """Every root field reading by id, node and nodes, and the lists filtered by an id answer another tenant's
    id exactly as an id that does not exist."""
    a, b = tenants
    caller = a.callers["org_owner"]
    data = await b.callers["org_owner"]("query($o: ID!) { ontology(id: $o) { labels { id } } }",
                                         {"o": b.ids["ontology"]})
    b.ids["label"] = data["ontology"]["labels"][0]["id"]
    a.ids["label"] = b.ids["label"]  # only its prefix is used below
    documents = {f"{field}|{key}": f"query($id: ID!) {{ {field}(id: $id) {{ id }} }}" for field, key in READS.items()}
    documents |= {f"node|{key}": "query($id: ID!) { node(id: $id) { id } }" for key in READS.values()}
    documents |= {f"nodes|{key}": "query($id: ID!) { nodes(ids: [$id]) { id } }" for key in READS.values()}
    documents |= {f"{field}|{key}": f"query($id: ID!) {{ {field} {{ totalCount nodes {{ id }} }} }}"
                  for field, key in LISTS.items()}
    failures = []
    for name, document in documents.items():
        key = name.split("|")[1]
        foreign, missing = b.ids[key], new_id(prefix_of(a.ids[key]))
        answers = [json.dumps(await caller.raw(document, {"id": id_})).replace(id_, "<ID>")
                   for id_ in (foreign, missing)]
        if answers[0] != answers[1]:
            failures.append(f"{name}: foreign {answers[0]}, missing {answers[1]}")
    assert not failures, "\n".join(failures)


SUBSCRIPTIONS = {
    "datasetChanged": ("subscription($id: ID!) { datasetChanged(datasetId: $id) { id } }", "dataset"),
    "executionUpdated": ("subscription($id: ID!) { executionUpdated(id: $id) { id } }", "execution_queued"),
    "commandUpdated": ("subscription($id: ID!) { commandUpdated(id: $id) { id } }", "command"),
    **{f"executionsUpdated.{f}": (f"subscription($id: ID!) {{ executionsUpdated(filter: {{{f}: $id}}) {{ id }} }}",
                                  key) for f, key in (("projectId", "project"), ("serviceId", "service"),
                                                      ("triggerId", "trigger"))},
}


async def test_subscriptions_answer_foreign_ids_as_missing(tenants, served):
    """A subscription to another tenant's dataset or executions is refused exactly as one to an id that does
    not exist."""
    from support import WS

    a, b = tenants
    failures = []
    async with WS.open(served, a.callers["org_owner"].token) as ws:
        for n, (name, (document, key)) in enumerate(SUBSCRIPTIONS.items()):
            answers = []
            for m, id_ in enumerate((b.ids[key], new_id(prefix_of(a.ids[key])))):
                await ws.subscribe(f"{n}-{m}", document, {"id": id_})
                messages = [await ws.receive()]
                while messages[-1]["type"] not in ("complete", "error"):
                    messages.append(await ws.receive())
                answers.append(json.dumps(messages).replace(id_, "<ID>").replace(f'"{n}-{m}"', '"<op>"'))
            if answers[0] != answers[1] or '"NOT_FOUND"' not in answers[0]:
                failures.append(f"{name}: foreign {answers[0]}, missing {answers[1]}")
    assert not failures, "\n".join(failures)


# fields whose point is to reach another project the caller may write to: a clone's destination project
ACROSS_PROJECTS = {"datasetClone.projectId"}


async def test_references_outside_the_target_are_refused(world, digest):
    """An id the caller can read, but of another project, in a field that refers from the mutation's target to
    something it uses (a dataset's recipe, a task's items, an annotation's parent …): a UserError naming that
    field, nothing written. The target is the first id field of the input in INPUTS."""
    a, elsewhere = await _tenant(world, "acme.test"), await _tenant(world, "acme.test")  # one owner, two orgs
    caller = a.callers["org_owner"]
    failures, checked = [], []
    for mutation, template in INPUTS.items():
        field_def = _schema().mutation_type.fields[mutation]
        own = _resolve(template, a.ids)
        for path in id_fields(mutation)[1:]:
            if f"{mutation}.{'.'.join(path[1:])}" in ACROSS_PROJECTS:
                continue
            key = _key(template, path)
            checked.append(f"{mutation}.{'.'.join(path[1:])}")
            variables, field = _with(own, path[1:], elsewhere.ids[key], _is_list(_field_type(field_def, path)))
            before = await digest()
            body = await caller.raw(_document(mutation), {"input": variables})
            answer = _answer(body, mutation, elsewhere.ids[key])
            if before != await digest():
                failures.append(f"{mutation} {'.'.join(path[1:])}: wrote; answer {answer}")
            if len(answer) != 1 or answer[0].get("field") not in (field, field[:-1]) or \
                    answer[0]["code"] not in ("NOT_FOUND", "INVALID"):
                failures.append(f"{mutation} {'.'.join(path[1:])}: expected an error naming {field}, got {answer}")
    assert not failures, "\n".join(failures)
    assert "taskCreate.recipeId" in checked and "annotationsCreate.annotations.parentId" in checked, checked
