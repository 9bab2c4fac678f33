"""Packages, services and triggers: create, update, pause/resume, delete, validation; executionCreate checks
its input against the function signature; executionTerminate and executionRerun."""

from __future__ import annotations

from faas_support import CLAIM, EXECUTE, PACKAGE, SERVICE, TRIGGER, deploy, execute, get_execution


async def test_package_validation_revisions_and_listing(gql, faas):
    bad = await gql(PACKAGE, {"input": {"projectId": faas.project, "name": "x",
                                        "codebase": {"type": "IMPORT", "reference": "no-class"},
                                        "modules": [{"functions": [{"name": "run"}, {"name": "run"}]}]}})
    codes = {(tuple(e["field"]), e["code"]) for e in bad["packageCreate"]["errors"]}
    assert (("modules", "0", "functions", "1", "name"), "DUPLICATE") in codes
    bad = await gql(PACKAGE, {"input": {"projectId": faas.project, "name": "x",
                                        "codebase": {"type": "IMPORT", "reference": "no-class"},
                                        "modules": [{"functions": [{"name": "run"}]}]}})
    assert bad["packageCreate"]["errors"][0]["field"] == ["codebase", "reference"]
    dup = await gql(PACKAGE, {"input": {"projectId": faas.project, "name": "basic",
                                        "codebase": {"reference": "labelgraph.samples.basic:Basic"},
                                        "modules": [{"functions": [{"name": "run"}]}]}})
    assert dup["packageCreate"]["errors"][0]["code"] == "DUPLICATE"

    data = await gql("""mutation($id: ID!) { packageUpdate(input: {id: $id, version: "1.1.0", modules: [{name:
      "default_module", functions: [{name: "noop"}]}]}) { package { revision version modules { functions { name } } }
      errors { code } } }""", {"id": faas.package})
    assert data["packageUpdate"]["package"]["revision"] == 2
    # the service stays on revision 1 (all functions) until moved
    svc = await gql("""query($s: ID!) { service(id: $s) { packageRevision package { revision services { totalCount } }
      } }""", {"s": faas.service})
    assert svc["service"] == {"packageRevision": 1, "package": {"revision": 2, "services": {"totalCount": 1}}}
    await execute(gql, faas.service, "sleep", {"seconds": 0.1})  # still there in revision 1
    moved = await gql("""mutation($s: ID!) { serviceUpdate(input: {id: $s, packageRevision: 2}) {
      service { packageRevision } errors { code } } }""", {"s": faas.service})
    assert moved["serviceUpdate"]["service"]["packageRevision"] == 2
    gone = await gql(EXECUTE, {"s": faas.service, "f": "sleep", "i": {"seconds": 1}})
    assert gone["executionCreate"]["errors"][0]["code"] == "NOT_FOUND"


async def test_service_settings_are_validated(gql, faas):
    data = await gql(SERVICE, {"input": {"packageId": faas.package, "name": "s2", "concurrency": 0,
                                         "executionTimeout": 5}})
    assert data["serviceCreate"]["errors"][0]["field"] == ["concurrency"]
    data = await gql(SERVICE, {"input": {"packageId": faas.package, "name": "s2", "moduleName": "nope"}})
    assert data["serviceCreate"]["errors"][0]["code"] == "NOT_FOUND"
    data = await gql(SERVICE, {"input": {"packageId": faas.package, "name": "s2", "maxAttempts": 5,
                                         "executionTimeout": 60, "initParams": {"greeting": "hi"}}})
    svc = data["serviceCreate"]["service"]
    assert svc["maxAttempts"] == 5 and svc["executionTimeout"] == 60 and svc["concurrency"] == 10
    deleted = await gql("""mutation($s: ID!) { serviceDelete(input: {id: $s, confirm: true}) { deletedIds } }""",
                        {"s": svc["id"]})
    assert deleted["serviceDelete"]["deletedIds"] == [svc["id"]]


async def test_execution_input_is_checked_against_the_signature(gql, faas, build):
    async def errors(function, input_):
        data = await gql(EXECUTE, {"s": faas.service, "f": function, "i": input_})
        return [(e["code"], e["field"]) for e in data["executionCreate"]["errors"]]

    assert await errors("sleep", {}) == [("INVALID", ["input", "seconds"])]
    assert await errors("sleep", {"seconds": "long"}) == [("INVALID", ["input", "seconds"])]
    assert await errors("sleep", {"seconds": 1, "extra": 2}) == [("INVALID", ["input", "extra"])]
    assert await errors("describe", {"item": faas.dataset}) == [("INVALID", ["input", "item"])]
    assert await errors("nothing", {}) == [("NOT_FOUND", ["functionName"])]
    other_project = await build.project(name="Other")
    other_ds = await build.dataset(other_project)
    [item] = await build.items(other_ds, [{"name": "x.jpg"}])
    assert await errors("describe", {"item": {"item_id": item["id"]}}) == [("NOT_FOUND", ["input", "item"])]
    exe = await execute(gql, faas.service, "fail", {})  # a default value fills the input
    assert exe["input"] == {"message": "boom"} and exe["maxAttempts"] == 3


async def test_terminate_and_rerun(gql, faas):
    queued = await execute(gql, faas.service, "noop")
    data = await gql("""mutation($id: ID!) { executionTerminate(input: {id: $id}) { execution { status toTerminate
      version } errors { code } } }""", {"id": queued["id"]})
    assert data["executionTerminate"]["execution"] == {"status": "TERMINATED", "toTerminate": True, "version": 2}

    running = await execute(gql, faas.service, "noop")
    await gql(CLAIM, {"w": "w1", "s": [faas.service], "m": 1})
    data = await gql("""mutation($id: ID!) { executionTerminate(input: {id: $id}) { execution { status toTerminate }
      } }""", {"id": running["id"]})
    assert data["executionTerminate"]["execution"] == {"status": "IN_PROGRESS", "toTerminate": True}
    beat = await gql("""mutation($id: ID!) { executionHeartbeat(input: {id: $id, workerId: "w1"}) { toTerminate
      execution { status } } }""", {"id": running["id"]})
    assert beat["executionHeartbeat"] == {"toTerminate": True, "execution": {"status": "TERMINATED"}}
    late = await gql("""mutation($id: ID!) { executionComplete(input: {id: $id, workerId: "w1"}) { errors { code } }
      }""", {"id": running["id"]})
    assert late["executionComplete"]["errors"][0]["code"] == "CONFLICT"

    rerun = await gql("""mutation($id: ID!) { executionRerun(input: {id: $id}) { execution { status attempts
      toTerminate input } errors { code } } }""", {"id": running["id"]})
    assert rerun["executionRerun"]["execution"] == {"status": "CREATED", "attempts": 0, "toTerminate": False,
                                                    "input": {}}
    not_ended = await gql("""mutation($id: ID!) { executionRerun(input: {id: $id}) { errors { code } } }""",
                          {"id": running["id"]})
    assert not_ended["executionRerun"]["errors"][0]["code"] == "CONFLICT"
    log = (await get_execution(gql, running["id"]))["statusLog"]
    assert [e["status"] for e in log] == ["CREATED", "IN_PROGRESS", "TERMINATED", "CREATED"]


async def test_trigger_validation(gql, faas):
    async def create(**spec):
        data = await gql(TRIGGER, {"input": {"serviceId": faas.service, **spec}})
        return data["triggerCreate"]

    bad = await create(functionName="describe", filter={"dir": {"regex": "x"}})
    assert bad["errors"][0]["field"] == ["filter"] and "regex" in bad["errors"][0]["message"]
    bad = await create(functionName="noop", cron="61 * * * *")
    assert bad["errors"][0]["field"] == ["cron"]
    bad = await create(functionName="nothing")
    assert bad["errors"][0]["code"] == "NOT_FOUND"
    ok = await create(functionName="describe", filter={"dir": {"glob": "/train/**"}})
    assert ok["trigger"]["resource"] == "ITEM" and ok["trigger"]["actions"] == ["CREATED"]
    assert ok["trigger"]["executionMode"] == "ONCE" and ok["trigger"]["type"] == "EVENT"
    cron = await create(functionName="noop", cron="0 3 * * *")
    assert cron["trigger"]["type"] == "CRON" and cron["trigger"]["nextFireAt"].endswith("03:00:00Z")
    off = await gql("""mutation($t: ID!) { triggerUpdate(input: {id: $t, active: false}) { trigger { active } } }""",
                    {"t": ok["trigger"]["id"]})
    assert off["triggerUpdate"]["trigger"]["active"] is False


async def test_other_projects_cannot_use_a_service(gql, faas, as_user, build):
    stranger = await as_user("stranger@else.test")
    data = await stranger(EXECUTE, {"s": faas.service, "f": "noop", "i": {}})
    assert data["executionCreate"]["errors"][0]["code"] == "NOT_FOUND"
    data = await stranger(CLAIM, {"w": "x", "s": [faas.service], "m": 1})
    assert data["executionsClaim"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await stranger("query($s: ID!) { service(id: $s) { id } }", {"s": faas.service}))["service"] is None
    # without serviceIds a worker only gets what it may work for
    await execute(gql, faas.service, "noop")
    assert (await stranger(CLAIM, {"w": "x", "s": None, "m": 5}))["executionsClaim"]["claims"] == []
    # a second deployment in the same project is independent
    _, other = await deploy(gql, faas.project, name="second")
    assert other != faas.service
