"""Every mutation × every role: allowed ("ok"), refused with FORBIDDEN, or NOT_FOUND for callers who cannot
see the target at all. The expectations are the README's role matrix, written out by hand.

The world is built once per session (``world_template``); the cases share one app, and every case runs on a fresh
copy of the world, put back in place before it (``WorldTemplate.restore``): every mutation × role is still checked
from the same starting point, at the cost of a file copy (SQLite) or a table refill (PostgreSQL) per case instead of
an app's start and stop."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from support import BOX, GQL

from labelgraph.app import create_app

ROLES = ["platform_admin", "org_owner", "org_admin", "org_member", "org_worker", "engineer", "manager",
         "annotator", "outsider"]

# mutation -> (document, variables from the world's ids)
MUTATIONS = {
    "organizationUpdate": ('mutation($o: ID!) { organizationUpdate(input: {id: $o, name: "Acme 2"}) '
                           '{ errors { code } } }', lambda i: {"o": i["org"]}),
    "organizationDelete": ("mutation($o: ID!) { organizationDelete(input: {id: $o, confirm: true}) "
                           "{ errors { code } } }", lambda i: {"o": i["org"]}),
    "organizationMemberAdd": ('mutation($o: ID!) { organizationMemberAdd(input: {organizationId: $o, '
                              'email: "new@acme.test", role: MEMBER}) { errors { code } } }',
                              lambda i: {"o": i["org"]}),
    "organizationMemberUpdate": ('mutation($o: ID!) { organizationMemberUpdate(input: {organizationId: $o, '
                                 'email: "target@acme.test", role: ADMIN}) { errors { code } } }',
                                 lambda i: {"o": i["org"]}),
    "organizationMemberRemove": ('mutation($o: ID!) { organizationMemberRemove(input: {organizationId: $o, '
                                 'email: "target@acme.test"}) { errors { code } } }', lambda i: {"o": i["org"]}),
    "projectCreate": ('mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "Bikes"}) '
                      '{ errors { code } } }', lambda i: {"o": i["org"]}),
    "projectUpdate": ('mutation($p: ID!) { projectUpdate(input: {id: $p, name: "Cars 2"}) { errors { code } } }',
                      lambda i: {"p": i["project"]}),
    "projectDelete": ("mutation($p: ID!) { projectDelete(input: {id: $p, confirm: true}) { errors { code } } }",
                      lambda i: {"p": i["project"]}),
    "projectMemberAdd": ('mutation($p: ID!) { projectMemberAdd(input: {projectId: $p, email: "new@acme.test", '
                         'role: ANNOTATOR}) { errors { code } } }', lambda i: {"p": i["project"]}),
    "projectMemberUpdate": ('mutation($p: ID!) { projectMemberUpdate(input: {projectId: $p, '
                            'email: "target@acme.test", role: ENGINEER}) { errors { code } } }',
                            lambda i: {"p": i["project"]}),
    "projectMemberRemove": ('mutation($p: ID!) { projectMemberRemove(input: {projectId: $p, '
                            'email: "target@acme.test"}) { errors { code } } }', lambda i: {"p": i["project"]}),
    "botCreate": ('mutation($p: ID!) { botCreate(input: {projectId: $p, name: "worker-1"}) { errors { code } } }',
                  lambda i: {"p": i["project"]}),
    "datasetCreate": ('mutation($p: ID!) { datasetCreate(input: {projectId: $p, name: "more"}) { errors { code } } }',
                      lambda i: {"p": i["project"]}),
    "datasetUpdate": ('mutation($d: ID!) { datasetUpdate(input: {id: $d, name: "renamed"}) { errors { code } } }',
                      lambda i: {"d": i["dataset"]}),
    "datasetDelete": ("mutation($d: ID!) { datasetDelete(input: {id: $d, confirm: true}) { errors { code } } }",
                      lambda i: {"d": i["dataset"]}),
    "datasetIndexCreate": ('mutation($d: ID!) { datasetIndexCreate(input: {datasetId: $d, path: "user.score"}) '
                           '{ errors { code } } }', lambda i: {"d": i["dataset"]}),
    "itemsCreate": ('mutation($d: ID!) { itemsCreate(input: {datasetId: $d, items: [{name: "z.jpg"}]}) '
                    '{ errors { code } } }', lambda i: {"d": i["dataset"]}),
    "datasetExport": ('mutation($d: ID!) { datasetExport(input: {datasetId: $d, format: COCO}) { errors { code } } }',
                      lambda i: {"d": i["dataset"]}),
    # no file in a JSON request: INVALID once the caller is known to may import (tests/formats: with a file)
    "datasetImport": ('mutation($d: ID!) { datasetImport(input: {datasetId: $d, format: COCO}) { errors { code } } }',
                      lambda i: {"d": i["dataset"]}),
    "itemUploadsCreate": ('mutation($d: ID!) { itemUploadsCreate(input: {datasetId: $d, files: [{name: "z.bin", '
                          'size: 1}]}) { errors { code } } }', lambda i: {"d": i["dataset"]}),
    # files cannot travel in JSON: with none, a caller who may write gets INVALID (files are checked after access)
    "itemsUpload": ('mutation($d: ID!) { itemsUpload(input: {datasetId: $d, files: []}) { errors { code } } }',
                    lambda i: {"d": i["dataset"]}),
    "datasetVersionCreate": ('mutation($d: ID!) { datasetVersionCreate(input: {datasetId: $d, name: "v1"}) '
                             '{ errors { code } } }', lambda i: {"d": i["dataset"]}),
    "itemsSplitSet": ('mutation($d: ID!) { itemsSplitSet(input: {datasetId: $d, filter: {}, split: "train"}) '
                      '{ errors { code } } }', lambda i: {"d": i["dataset"]}),
    "datasetSplit": ('mutation($d: ID!) { datasetSplit(input: {datasetId: $d, ratios: {train: 1}}) '
                     '{ errors { code } } }', lambda i: {"d": i["dataset"]}),
    "itemUpdate": ('mutation($id: ID!) { itemUpdate(input: {id: $id, metadata: {x: 1}}) { errors { code } } }',
                   lambda i: {"id": i["item"]}),
    "itemsDelete": ("mutation($id: ID!) { itemsDelete(input: {ids: [$id]}) { errors { code } } }",
                    lambda i: {"id": i["item"]}),
    "annotationsCreate": ("mutation($id: ID!, $c: JSON) { annotationsCreate(input: {annotations: [{itemId: $id, "
                          'type: BOX, label: "car", coordinates: $c}]}) { errors { code } } }',
                          lambda i: {"id": i["item"], "c": BOX}),
    "annotationUpdate": ('mutation($id: ID!) { annotationUpdate(input: {id: $id, label: "person"}) '
                         '{ errors { code } } }', lambda i: {"id": i["annotation"]}),
    "annotationsDelete": ("mutation($id: ID!) { annotationsDelete(input: {ids: [$id]}) { errors { code } } }",
                          lambda i: {"id": i["annotation"]}),
    "itemsUpdate": ("mutation($d: ID!) { itemsUpdate(input: {datasetId: $d, filter: {}, hidden: true}) "
                    "{ errors { code } } }", lambda i: {"d": i["dataset"]}),
    "annotationsUpdate": ('mutation($id: ID!) { annotationsUpdate(input: {annotations: [{id: $id, label: "person"}]}) '
                          "{ errors { code } } }", lambda i: {"id": i["annotation"]}),
    "recipeCreate": ('mutation($p: ID!) { recipeCreate(input: {projectId: $p, title: "R2"}) { errors { code } } }',
                     lambda i: {"p": i["project"]}),
    "recipeUpdate": ('mutation($r: ID!) { recipeUpdate(input: {id: $r, title: "R3"}) { errors { code } } }',
                     lambda i: {"r": i["recipe"]}),
    "recipeDelete": ("mutation($r: ID!) { recipeDelete(input: {id: $r}) { errors { code } } }",
                     lambda i: {"r": i["recipe"]}),
    "ontologyCreate": ('mutation($p: ID!) { ontologyCreate(input: {projectId: $p, title: "O2"}) { errors { code } } }',
                       lambda i: {"p": i["project"]}),
    "ontologyUpdate": ('mutation($o: ID!) { ontologyUpdate(input: {id: $o, title: "O3"}) { errors { code } } }',
                       lambda i: {"o": i["ontology"]}),
    "ontologyDelete": ("mutation($o: ID!) { ontologyDelete(input: {id: $o}) { errors { code } } }",
                       lambda i: {"o": i["ontology"]}),
    "ontologyLabelsAdd": ('mutation($o: ID!) { ontologyLabelsAdd(input: {ontologyId: $o, labels: [{tag: "bike"}]}) '
                          '{ errors { code } } }', lambda i: {"o": i["ontology"]}),
    "ontologyLabelsUpdate": ('mutation($o: ID!) { ontologyLabelsUpdate(input: {ontologyId: $o, labels: '
                             '[{tag: "car", color: "#ffffff"}]}) { errors { code } } }',
                             lambda i: {"o": i["ontology"]}),
    "ontologyLabelsDelete": ('mutation($o: ID!) { ontologyLabelsDelete(input: {ontologyId: $o, tags: ["person"]}) '
                             '{ errors { code } } }', lambda i: {"o": i["ontology"]}),
    "labelMove": ('mutation($o: ID!) { labelMove(input: {ontologyId: $o, tag: "person", newName: "human"}) '
                  '{ errors { code } } }', lambda i: {"o": i["ontology"]}),
    "ontologyAttributesUpsert": ('mutation($o: ID!) { ontologyAttributesUpsert(input: {ontologyId: $o, attributes: '
                                 '[{key: "note", type: FREE_TEXT}]}) { errors { code } } }',
                                 lambda i: {"o": i["ontology"]}),
    "ontologyAttributesDelete": ('mutation($o: ID!) { ontologyAttributesDelete(input: {ontologyId: $o, '
                                 'keys: ["occluded"]}) { errors { code } } }', lambda i: {"o": i["ontology"]}),
    "taskCreate": ('mutation($d: ID!) { taskCreate(input: {datasetId: $d, name: "T2", assignees: '
                   '[{email: "target@acme.test"}]}) { errors { code } } }', lambda i: {"d": i["dataset"]}),
    "taskUpdate": ('mutation($t: ID!) { taskUpdate(input: {id: $t, name: "T3"}) { errors { code } } }',
                   lambda i: {"t": i["task"]}),
    "taskDelete": ("mutation($t: ID!) { taskDelete(input: {id: $t}) { errors { code } } }",
                   lambda i: {"t": i["task"]}),
    "taskAddItems": ("mutation($t: ID!, $i: ID!) { taskAddItems(input: {taskId: $t, itemIds: [$i]}) "
                     "{ errors { code } } }", lambda i: {"t": i["task"], "i": i["item"]}),
    "taskRemoveItems": ("mutation($t: ID!, $i: ID!) { taskRemoveItems(input: {taskId: $t, itemIds: [$i]}) "
                        "{ errors { code } } }", lambda i: {"t": i["task"], "i": i["item"]}),
    "assignmentReassign": ('mutation($a: ID!) { assignmentReassign(input: {assignmentId: $a, '
                           'email: "owner@acme.test"}) { errors { code } } }', lambda i: {"a": i["assignment"]}),
    "assignmentRedistribute": ('mutation($a: ID!) { assignmentRedistribute(input: {assignmentId: $a, workload: '
                               '[{email: "owner@acme.test"}, {email: "target@acme.test"}]}) { errors { code } } }',
                               lambda i: {"a": i["assignment"]}),
    "itemStatusSet": ('mutation($t: ID!, $i: ID!) { itemStatusSet(input: {taskId: $t, itemId: $i, '
                      'status: "completed"}) { errors { code } } }', lambda i: {"t": i["task"], "i": i["item"]}),
    "itemsStatusSet": ("mutation($t: ID!, $i: ID!) { itemsStatusSet(input: {taskId: $t, itemIds: [$i], "
                       "status: null}) { errors { code } } }", lambda i: {"t": i["task"], "i": i["item"]}),
}
# the execution plane (the world gets a package, service, trigger and executions for these: add_faas)
_W = '"world-worker"'
FAAS_MUTATIONS = {
    "packageCreate": ('mutation($p: ID!) { packageCreate(input: {projectId: $p, name: "p2", codebase: {reference: '
                      '"labelgraph.samples.basic:Basic"}, modules: [{functions: [{name: "noop"}]}]}) '
                      '{ errors { code } } }', lambda i: {"p": i["project"]}),
    "packageUpdate": ('mutation($id: ID!) { packageUpdate(input: {id: $id, version: "2.0.0"}) { errors { code } } }',
                      lambda i: {"id": i["package"]}),
    "packageDelete": ("mutation($id: ID!) { packageDelete(input: {id: $id, confirm: true}) { errors { code } } }",
                      lambda i: {"id": i["package"]}),
    "serviceCreate": ('mutation($id: ID!) { serviceCreate(input: {packageId: $id, name: "s2"}) { errors { code } } }',
                      lambda i: {"id": i["package"]}),
    "serviceUpdate": ("mutation($id: ID!) { serviceUpdate(input: {id: $id, concurrency: 2}) { errors { code } } }",
                      lambda i: {"id": i["service"]}),
    "servicePause": ("mutation($id: ID!) { servicePause(input: {id: $id}) { errors { code } } }",
                     lambda i: {"id": i["service"]}),
    "serviceResume": ("mutation($id: ID!) { serviceResume(input: {id: $id}) { errors { code } } }",
                      lambda i: {"id": i["service"]}),
    "serviceDelete": ("mutation($id: ID!) { serviceDelete(input: {id: $id, confirm: true}) { errors { code } } }",
                      lambda i: {"id": i["service"]}),
    "triggerCreate": ('mutation($id: ID!) { triggerCreate(input: {serviceId: $id, functionName: "noop", '
                      'cron: "0 3 * * *"}) { errors { code } } }', lambda i: {"id": i["service"]}),
    "triggerUpdate": ("mutation($id: ID!) { triggerUpdate(input: {id: $id, active: false}) { errors { code } } }",
                      lambda i: {"id": i["trigger"]}),
    "triggerDelete": ("mutation($id: ID!) { triggerDelete(input: {id: $id}) { errors { code } } }",
                      lambda i: {"id": i["trigger"]}),
    "executionCreate": ('mutation($id: ID!) { executionCreate(input: {serviceId: $id, functionName: "noop"}) '
                        '{ errors { code } } }', lambda i: {"id": i["service"]}),
    "executionTerminate": ("mutation($id: ID!) { executionTerminate(input: {id: $id}) { errors { code } } }",
                           lambda i: {"id": i["execution_queued"]}),
    "executionRerun": ("mutation($id: ID!) { executionRerun(input: {id: $id}) { errors { code } } }",
                       lambda i: {"id": i["execution_ended"]}),
    "executionsClaim": ('mutation($id: ID!) { executionsClaim(input: {workerId: "w2", serviceIds: [$id], max: 5}) '
                        '{ errors { code } } }', lambda i: {"id": i["service"]}),
    "executionHeartbeat": (f"mutation($id: ID!) {{ executionHeartbeat(input: {{id: $id, workerId: {_W}}}) "
                           "{ errors { code } } }", lambda i: {"id": i["execution_leased"]}),
    "executionProgress": (f"mutation($id: ID!) {{ executionProgress(input: {{id: $id, workerId: {_W}, "
                          "percentComplete: 5}) { errors { code } } }", lambda i: {"id": i["execution_leased"]}),
    "executionLogsAppend": (f"mutation($id: ID!) {{ executionLogsAppend(input: {{id: $id, workerId: {_W}, "
                            'lines: [{stream: STDOUT, text: "x"}]}) { errors { code } } }',
                            lambda i: {"id": i["execution_leased"]}),
    "executionComplete": (f"mutation($id: ID!) {{ executionComplete(input: {{id: $id, workerId: {_W}}}) "
                          "{ errors { code } } }", lambda i: {"id": i["execution_leased"]}),
    "executionsComplete": (f"mutation($id: ID!) {{ executionsComplete(input: {{workerId: {_W}, completions: "
                           "[{id: $id}]}) { errors { code } } }", lambda i: {"id": i["execution_leased"]}),
    "executionFail": (f'mutation($id: ID!) {{ executionFail(input: {{id: $id, workerId: {_W}, error: "x"}}) '
                      "{ errors { code } } }", lambda i: {"id": i["execution_leased"]}),
    "executionRelease": (f"mutation($id: ID!) {{ executionRelease(input: {{id: $id, workerId: {_W}}}) "
                         "{ errors { code } } }", lambda i: {"id": i["execution_leased"]}),
}
MUTATIONS.update(FAAS_MUTATIONS)
JOBS_MUTATIONS = {  # dataset jobs: creating or aborting one needs write access to the datasets ("dataset.write")
    "datasetClone": ('mutation($id: ID!) { datasetClone(input: {datasetId: $id, name: "copy"}) '
                     "{ errors { code } } }", lambda i: {"id": i["dataset"]}),
    # the same dataset twice: refused as INVALID once access is granted (a merge needs a world of two datasets)
    "datasetsMerge": ('mutation($id: ID!) { datasetsMerge(input: {datasetIds: [$id, $id], name: "m"}) '
                      "{ errors { code } } }", lambda i: {"id": i["dataset"]}),
    "commandAbort": ("mutation($id: ID!) { commandAbort(input: {id: $id}) { errors { code } } }",
                     lambda i: {"id": i["command"]}),
}
MUTATIONS.update(JOBS_MUTATIONS)

OK, F, NF, INV = "ok", "FORBIDDEN", "NOT_FOUND", "INVALID"
#                          admin owner oadmin member worker engineer manager annotator outsider
EXPECTED = {
    "organizationUpdate":       [OK, OK, OK, F, F, F, F, F, NF],
    "organizationDelete":       [OK, OK, F, F, F, F, F, F, NF],
    "organizationMemberAdd":    [OK, OK, OK, F, F, F, F, F, NF],
    "organizationMemberUpdate": [OK, OK, OK, F, F, F, F, F, NF],
    "organizationMemberRemove": [OK, OK, OK, F, F, F, F, F, NF],
    "projectCreate":            [OK, OK, OK, OK, F, F, F, F, NF],
    "projectUpdate":            [OK, OK, OK, NF, NF, F, F, F, NF],
    "projectDelete":            [OK, OK, OK, NF, NF, F, F, F, NF],
    "projectMemberAdd":         [OK, OK, OK, NF, NF, F, F, F, NF],
    "projectMemberUpdate":      [OK, OK, OK, NF, NF, F, F, F, NF],
    "projectMemberRemove":      [OK, OK, OK, NF, NF, F, F, F, NF],
    "botCreate":                [OK, OK, OK, NF, NF, F, F, F, NF],
    "datasetCreate":            [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetUpdate":            [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetDelete":            [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetIndexCreate":       [OK, OK, OK, NF, NF, F, F, F, NF],
    "itemsCreate":              [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetExport":            [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetImport":            [INV, INV, INV, NF, NF, INV, F, F, NF],
    "itemUploadsCreate":        [OK, OK, OK, NF, NF, OK, F, F, NF],
    "itemsUpload":              [INV, INV, INV, NF, NF, INV, F, F, NF],
    "itemUpdate":               [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetVersionCreate":     [OK, OK, OK, NF, NF, OK, F, F, NF],
    "itemsSplitSet":            [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetSplit":             [OK, OK, OK, NF, NF, OK, F, F, NF],
    "itemsDelete":              [OK, OK, OK, NF, NF, OK, F, F, NF],
    "annotationsCreate":        [OK, OK, OK, NF, NF, OK, OK, OK, NF],
    "annotationUpdate":         [OK, OK, OK, NF, NF, OK, OK, OK, NF],
    "annotationsDelete":        [OK, OK, OK, NF, NF, OK, OK, OK, NF],
    "itemsUpdate":              [OK, OK, OK, NF, NF, OK, F, F, NF],
    "annotationsUpdate":        [OK, OK, OK, NF, NF, OK, OK, OK, NF],
    "recipeCreate":             [OK, OK, OK, NF, NF, OK, F, F, NF],
    "recipeUpdate":             [OK, OK, OK, NF, NF, OK, F, F, NF],
    "recipeDelete":             [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyCreate":           [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyUpdate":           [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyDelete":           [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyLabelsAdd":        [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyLabelsUpdate":     [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyLabelsDelete":     [OK, OK, OK, NF, NF, OK, F, F, NF],
    "labelMove":                [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyAttributesUpsert": [OK, OK, OK, NF, NF, OK, F, F, NF],
    "ontologyAttributesDelete": [OK, OK, OK, NF, NF, OK, F, F, NF],
    "taskCreate":               [OK, OK, OK, NF, NF, OK, OK, F, NF],
    # an annotator sees only their own tasks and assignments: the world's task is someone else's (not found)
    "taskUpdate":               [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    "taskDelete":               [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    "taskAddItems":             [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    "taskRemoveItems":          [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    "assignmentReassign":       [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    "assignmentRedistribute":   [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    "itemStatusSet":            [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    "itemsStatusSet":           [OK, OK, OK, NF, NF, OK, OK, NF, NF],
    # packages, services, triggers ("faas.write"), executions ("execution.write"), the worker protocol
    # ("execution.work"): owners and engineers (bots are engineers)
    **{m: [OK, OK, OK, NF, NF, OK, F, F, NF] for m in FAAS_MUTATIONS},
    "datasetClone":             [OK, OK, OK, NF, NF, OK, F, F, NF],
    "datasetsMerge":            [INV, INV, INV, NF, NF, INV, F, F, NF],
    "commandAbort":             [OK, OK, OK, NF, NF, OK, F, F, NF],
}
CASES = [(m, role, EXPECTED[m][i]) for m in MUTATIONS for i, role in enumerate(ROLES)]


def outcome(body: dict, key: str) -> str:
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    errors = body["data"][key]["errors"]
    return errors[0]["code"] if errors else OK


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def matrix_http(world_template, tmp_path_factory) -> AsyncIterator[httpx.AsyncClient]:
    """One app for every case of the matrix, on a copy of the world (starting an app per case cost more than the
    cases themselves); each case puts the world back first (``world``)."""
    root = tmp_path_factory.mktemp("matrix")
    async with world_template.copy(root) as settings:
        app = create_app(settings, migrate=False)
        async with (app.router.lifespan_context(app),
                    httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://labelgraph.test") as h):
            h.database_url = settings.database_url  # where ``world`` puts the world back
            yield h


@pytest_asyncio.fixture(loop_scope="module")
async def world(world_template, matrix_http) -> dict[str, str]:
    """The world as it was built, whatever the case before did: a fresh copy in place. Returns its ids."""
    await world_template.restore(matrix_http.database_url)
    return world_template.ids


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("mutation", "role", "expected"), CASES, ids=[f"{m}-{r}" for m, r, _ in CASES])
async def test_mutation_by_role(world_template, matrix_http, world, mutation, role, expected):
    document, variables = MUTATIONS[mutation]
    body = await GQL(matrix_http, world_template.tokens[role]).raw(document, variables(world))
    assert outcome(body, mutation) == expected


def test_every_mutation_is_in_the_matrix():
    from labelgraph.schema import schema

    self_service = {"organizationCreate", "tokenCreate", "tokenRevoke"}  # tested in test_tokens.py
    names = set(schema._schema.mutation_type.fields)
    assert names - self_service == set(MUTATIONS)
