"""Support for the compiler tests. A world for comparing the compiled path with the resolver path: two
organizations, three projects, datasets with items in folders, annotations with children, and callers with
different reach (platform admin, org owner, org worker, project annotator, outsider)."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson
from support import BOX, GQL, Builder

from labelgraph.graph.compiler import COMPILED_HEADER, COMPILER_HEADER

ADD_ORG = ("mutation($o: ID!, $e: String!, $r: OrganizationRole!) { organizationMemberAdd(input: "
           "{organizationId: $o, email: $e, role: $r}) { errors { message } } }")
ADD_PROJECT = ("mutation($p: ID!, $e: String!, $r: ProjectRole!) { projectMemberAdd(input: "
               "{projectId: $p, email: $e, role: $r}) { errors { message } } }")


@dataclass
class CompilerWorld:
    callers: dict[str, GQL] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)
    cursors: dict[str, list[str]] = field(default_factory=dict)


async def both(caller: GQL, query: str, variables: dict | None = None) -> tuple[bytes, bytes, bool]:
    """The response (without extensions) on the compiled path and on the resolver path, and whether the first
    was compiled."""
    try:
        on = await caller.raw(query, variables)
        compiled = caller.last_response.headers.get(COMPILED_HEADER) == "1"
    except BaseException as exc:  # noqa: BLE001 - compared below
        on, compiled = {"exception": type(exc).__name__}, False
    try:
        off = await caller.raw(query, variables, headers={COMPILER_HEADER: "off"})
        assert caller.last_response.headers.get(COMPILED_HEADER) is None
    except BaseException as exc:  # noqa: BLE001 - the resolver path itself may fail (see the report of issue 9)
        off = {"exception": type(exc).__name__}
    for body in (on, off):
        body.pop("extensions", None)
        if body.get("errors"):  # concurrent resolvers report errors in completion order
            body["errors"].sort(key=orjson.dumps)
    return orjson.dumps(on), orjson.dumps(off), compiled


def same(on: bytes, off: bytes) -> bool:
    """The two responses of ``both`` agree: byte for byte — except that when a non-null root field fails (data
    null), graphql-core stops waiting for the other root fields, so whether *their* errors are listed depends on
    timing (on either path). Then both must have null data and one error list must hold the other."""
    if on == off:
        return True
    a, b = orjson.loads(on), orjson.loads(off)
    if a.keys() != b.keys() or "data" not in a or a["data"] is not None or b["data"] is not None:
        return False
    short, long = sorted((a.get("errors") or [], b.get("errors") or []), key=len)
    return bool(short) and all(e in long for e in short)


# Item.size is a Long: sizes past 32 bits, past a double's exact integers, the largest (and none)
SIZES = [None, 150_000, 2**31, 2**53 + 1, 2**63 - 1]


async def _items(b: Builder, ds: str, n: int, offset: int = 0) -> list[str]:
    specs = [{"name": f"f{i}.jpg", "dir": "/train" if i % 3 else "/val", "mimetype": "image/jpeg" if i % 4 else None,
              "size": SIZES[i % len(SIZES)], "metadata": {"split": "train" if i % 3 else "val", "n": i}}
             for i in range(offset, offset + n)]
    return [it["id"] for it in await b.items(ds, specs)]


async def build_world(gql: GQL, as_user) -> CompilerWorld:
    w = CompilerWorld()
    owner = await as_user("owner@acme.test")
    b = Builder(owner)
    org = await b.org("Acme")
    cars = await b.project(org, "Cars")
    bikes = await b.project(org, "Bikes")
    datasets, items, annotations = [], [], []
    for n in range(3):
        ds = await b.dataset(cars, f"ds-{n}")
        datasets.append(ds)
        its = await _items(b, ds, 6 + 2 * n)
        items += its
        annotations += await b.annotations(
            [{"itemId": i, "type": "BOX" if k % 2 else "CLASSIFICATION", "label": "car" if k % 3 else "person",
              "coordinates": BOX if k % 2 else None, "metadata": {"k": k}} for k, i in enumerate(its[:-2])
             for _ in range(2)])
    annotations += await b.annotations([{"itemId": items[0], "type": "POINT", "label": "car", "parentId": a,
                                         "coordinates": {"x": 1, "y": 2.5}} for a in annotations[:2]])
    bds = await b.dataset(bikes, "bikes")
    datasets.append(bds)
    items += await _items(b, bds, 3)

    for email, role in (("worker@acme.test", "WORKER"),):
        await owner(ADD_ORG, {"o": org, "e": email, "r": role})
    await owner(ADD_PROJECT, {"p": cars, "e": "annotator@acme.test", "r": "ANNOTATOR"})

    outsider = await as_user("outsider@other.test")
    ob = Builder(outsider)
    other_org = await ob.org("Other")
    zed = await ob.project(other_org, "Zed")
    zds = await ob.dataset(zed, "zed-data")
    zitems = await _items(ob, zds, 4)
    zann = await ob.annotations([{"itemId": zitems[0], "type": "BOX", "label": "car", "coordinates": BOX}])

    w.callers = {"platform_admin": gql, "org_owner": owner, "org_worker": await as_user("worker@acme.test"),
                 "annotator": await as_user("annotator@acme.test"), "outsider": outsider}
    w.ids = {"Organization": [org, other_org], "Project": [cars, bikes, zed], "Dataset": [*datasets, zds],
             "Item": [*items[:6], items[-1], zitems[0]], "Annotation": [*annotations[:4], annotations[-1], zann[0]]}
    await _collect_cursors(gql, w, org, cars, datasets[1], items[0], annotations[0])
    return w


async def _collect_cursors(gql: GQL, w: CompilerWorld, org: str, project: str, dataset: str, item: str,
                           annotation: str) -> None:
    async def take(key: str, query: str, variables: dict, path: list[str]) -> None:
        data = await gql(query, variables, headers={COMPILER_HEADER: "off"})
        for p in path:
            data = data[p]
        w.cursors[key] = [e["cursor"] for e in data["edges"][:3]]

    await take("Organization:CREATED_AT", "{ organizations { edges { cursor } } }", {}, ["organizations"])
    await take("Annotation:CREATED_AT", "query($a: ID!) { annotation(id: $a) { children { edges { cursor } } } }",
               {"a": annotation}, ["annotation", "children"])
    for target, parent, field_name, root, pid in (("Project", "organization", "projects", "organization", org),
                                                  ("Dataset", "project", "datasets", "project", project),
                                                  ("Item", "dataset", "items", "dataset", dataset),
                                                  ("Annotation", "item", "annotations", "item", item)):
        from querygen import ORDERS  # noqa: PLC0415

        for order in ORDERS[target]:
            for direction in ("ASC", "DESC"):
                q = (f"query($i: ID!) {{ {root}(id: $i) {{ {field_name}(orderBy: [{{field: {order}, "
                     f"direction: {direction}}}]) {{ edges {{ cursor }} }} }} }}")
                key = f"{target}:{order}{'-' if direction == 'DESC' else ''}"
                await take(key, q, {"i": pid}, [root, field_name])
        del parent
