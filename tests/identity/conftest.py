"""A world of callers for authorization tests: one organization with a project, a member for every role,
and an outsider with an organization of their own."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from support import BOX, GQL, Builder

ORG_ROLES = {"org_owner": None, "org_admin": "ADMIN", "org_member": "MEMBER", "org_worker": "WORKER"}
PROJECT_ROLES = {"engineer": "ENGINEER", "manager": "ANNOTATION_MANAGER", "annotator": "ANNOTATOR"}


@dataclass
class World:
    callers: dict[str, GQL] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


async def add_faas(owner: GQL, w: World) -> None:
    """A package, service and trigger; executions: one leased to "world-worker" (for an hour: the reaper must not
    requeue it during a test), one queued, one ended."""
    data = await owner("""mutation($p: ID!) { packageCreate(input: {projectId: $p, name: "pkg", codebase: {
        type: IMPORT, reference: "labelgraph.samples.basic:Basic"}, modules: [{functions: [{name: "noop"}]}]}) {
        package { id } } }""",
                       {"p": w.ids["project"]})
    w.ids["package"] = data["packageCreate"]["package"]["id"]
    data = await owner("""mutation($p: ID!) { serviceCreate(input: {packageId: $p}) { service { id } } }""",
                       {"p": w.ids["package"]})
    w.ids["service"] = s = data["serviceCreate"]["service"]["id"]
    data = await owner("""mutation($s: ID!) {
        trigger: triggerCreate(input: {serviceId: $s, functionName: "noop"}) { trigger { id } }
        leased: executionCreate(input: {serviceId: $s, functionName: "noop"}) { execution { id } }
        queued: executionCreate(input: {serviceId: $s, functionName: "noop"}) { execution { id } }
        ended: executionCreate(input: {serviceId: $s, functionName: "noop"}) { execution { id } } }""", {"s": s})
    w.ids["trigger"] = data["trigger"]["trigger"]["id"]
    for name in ("leased", "queued", "ended"):
        w.ids[f"execution_{name}"] = data[name]["execution"]["id"]
    await owner("""mutation($s: ID!, $e: ID!) {
        executionsClaim(input: {workerId: "world-worker", serviceIds: [$s], max: 1, leaseSeconds: 3600}) {
            errors { message } }
        executionTerminate(input: {id: $e}) { errors { message } } }""", {"s": s, "e": w.ids["execution_ended"]})


async def make_world(gql: GQL, as_user, roles: set[str] | None = None, faas: bool = False,
                     domain: str = "acme.test") -> World:
    """The world of one tenant; every email of its people ends in ``@domain``."""
    w = World()
    owner = await as_user(f"owner@{domain}")
    w.callers["org_owner"] = owner
    b = Builder(owner)
    w.ids["org"] = await b.org(domain.split(".")[0].capitalize())
    w.ids["project"] = await b.project(w.ids["org"], "Cars")
    w.ids["dataset"] = await b.dataset(w.ids["project"], "frames")
    recipe = (await owner("query($d: ID!) { dataset(id: $d) { recipe { id ontologies { id } } } }",
                          {"d": w.ids["dataset"]}))["dataset"]["recipe"]
    w.ids["recipe"], w.ids["ontology"] = recipe["id"], recipe["ontologies"][0]["id"]
    await owner("""mutation($o: ID!) { ontologyLabelsAdd(input: {ontologyId: $o, labels: [{tag: "car"},
        {tag: "person"}]}) { errors { message } } }""", {"o": w.ids["ontology"]})
    await owner("""mutation($o: ID!) { ontologyAttributesUpsert(input: {ontologyId: $o, attributes: [
        {key: "occluded", type: YES_NO}]}) { errors { message } } }""", {"o": w.ids["ontology"]})
    item = (await b.items(w.ids["dataset"], [{"name": "a.jpg"}, {"name": "b.jpg"}]))[0]
    w.ids["item"] = item["id"]
    [w.ids["annotation"]] = await b.annotations([{"itemId": item["id"], "type": "BOX", "label": "car",
                                                  "coordinates": BOX}])
    if faas:
        await add_faas(owner, w)
    add_org = ("mutation($o: ID!, $e: String!, $r: OrganizationRole!) { organizationMemberAdd(input: "
               "{organizationId: $o, email: $e, role: $r}) { errors { message } } }")
    add_project = ("mutation($p: ID!, $e: String!, $r: ProjectRole!) { projectMemberAdd(input: "
                   "{projectId: $p, email: $e, role: $r}) { errors { message } } }")
    wanted = roles or set(ORG_ROLES) | set(PROJECT_ROLES) | {"outsider"}
    for name, role in ORG_ROLES.items():
        if role and name in wanted:
            await owner(add_org, {"o": w.ids["org"], "e": f"{name}@{domain}", "r": role})
            w.callers[name] = await as_user(f"{name}@{domain}")
    for name, role in PROJECT_ROLES.items():
        if name in wanted:
            await owner(add_project, {"p": w.ids["project"], "e": f"{name}@{domain}", "r": role})
            w.callers[name] = await as_user(f"{name}@{domain}")
    # someone to change or remove in member mutations
    await owner(add_org, {"o": w.ids["org"], "e": f"target@{domain}", "r": "MEMBER"})
    await owner(add_project, {"p": w.ids["project"], "e": f"target@{domain}", "r": "ANNOTATOR"})
    task = await owner("""mutation($d: ID!, $e: String!) { taskCreate(input: {datasetId: $d, name: "Label cars",
        assignees: [{email: $e}]}) { task { id assignments { nodes { id } } } errors { message } } }""",
                       {"d": w.ids["dataset"], "e": f"target@{domain}"})
    w.ids["task"] = task["taskCreate"]["task"]["id"]
    w.ids["assignment"] = task["taskCreate"]["task"]["assignments"]["nodes"][0]["id"]
    if "outsider" in wanted:
        outsider = await as_user("outsider@other.test")
        w.callers["outsider"] = outsider
        w.ids["other_org"] = await Builder(outsider).org("Other")
    w.callers["project_owner"] = owner
    w.callers["platform_admin"] = gql
    return w


@pytest.fixture
def world(gql, as_user):
    async def build(roles: set[str] | None = None, faas: bool = False, domain: str = "acme.test") -> World:
        return await make_world(gql, as_user, roles, faas, domain)

    return build
