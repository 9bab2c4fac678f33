"""The executor's rows short cut (graph/extensions.py, ``DirectFields.complete_list_value``): a list of objects
whose selection is plain values (leaves, ``__typename``, a reference's ``id`` from its foreign key) is built in one
loop per item: a bulk create's 1,000 payload objects, a page's nodes. The answers must be the executor's own:
aliases, fragments, ``__typename``, directives, enums, null references, and the usual way for anything else."""

from __future__ import annotations

from typing import Any

import pytest
from support import BOX

import labelgraph.graph.extensions as extensions
from labelgraph.graph.compiler import COMPILER_HEADER

ITEM_SELECTIONS = [
    # the generated client's ItemFields
    """id name dir filename type hidden mimetype size width height description metadata annotated
       annotationsCount createdAt updatedAt dataset { id }""",
    # aliases, __typename, a reference's id under an alias and its __typename
    "i: id n: name t: __typename d: dataset { __typename k: id } again: dataset { id }",
    # fragments (named and inline), a field selected twice, directives the collection resolves
    """id ...F ... on Item { id name } dir @skip(if: true) filename @include(if: true)
       dataset @include(if: $yes) { id }""",
    # a reference selecting more than its id: read the usual way (through the loader)
    "id dataset { id name }",
    # a leaf with arguments (a resolver): the usual way
    "id url",
]
ANNOTATION_SELECTIONS = [
    # the generated client's AnnotationFields: an enum, JSON, nullable leaves, a null reference (parent)
    """id type label coordinates attributes status objectId frame endFrame automated description metadata
       createdAt updatedAt item { id } parent { id }""",
    "__typename t: type item { __typename } p: parent { __typename id } i: item { id }",
]
FRAGMENT = "fragment F on Item { metadata createdAt }"


def _without_short_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extensions.DirectFields, "_rows_plan", lambda self, item_type, details: None)


def _count_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of objects each list the short cut built held."""
    built: list[int] = []
    original = extensions._build_rows

    def counted(rows: Any, items: list, info: Any) -> Any:
        out = original(rows, items, info)
        if out is not None:
            built.append(len(out))
        return out

    monkeypatch.setattr(extensions, "_build_rows", counted)
    return built


async def _items(gql, selection: str, ds: str) -> dict:
    fragment = FRAGMENT if "...F" in selection else ""
    yes = ", $yes: Boolean = true" if "$yes" in selection else ""
    return await gql(f"""query($d: ID!{yes}) {{ dataset(id: $d) {{
        items(first: 50) {{ nodes {{ {selection} }} }} }} }} {fragment}""", {"d": ds},
                     headers={COMPILER_HEADER: "off"})


async def _annotations(gql, selection: str, ds: str) -> dict:
    return await gql(f"""query($d: ID!) {{ dataset(id: $d) {{ annotations(first: 50) {{ nodes {{ {selection} }}
        }} }} }}""", {"d": ds}, headers={COMPILER_HEADER: "off"})


async def test_pages_read_with_the_short_cut_answer_as_without_it(gql, build, monkeypatch):
    project = await build.project()
    ds = await build.dataset(project)
    items = await build.items(ds, [{"name": f"{i}.jpg", "dir": "/a", "metadata": {"i": i}} for i in range(5)])
    await build.annotations([{"itemId": it["id"], "type": "BOX", "label": "car", "coordinates": BOX}
                             for it in items])
    data = (await gql("""mutation($a: [AnnotationCreateInput!]!) { annotationsCreate(input: {annotations: $a}) {
        annotations { id } errors { message } } }""", {"a": [{"itemId": items[0]["id"], "type": "CLASSIFICATION",
                                                            "label": "bus", "status": "done", "frame": 3}]}))
    assert data["annotationsCreate"]["errors"] == []
    with_short_cut: list[dict] = []
    built = _count_rows(monkeypatch)
    for selection in ITEM_SELECTIONS:
        with_short_cut.append(await _items(gql, selection, ds))
    for selection in ANNOTATION_SELECTIONS:
        with_short_cut.append(await _annotations(gql, selection, ds))
    # taken for the plain selections (2 + 1 of items, 2 of annotations); not for `dataset { id name }` or `url`
    assert built == [5, 5, 5, 6, 6]
    _without_short_cut(monkeypatch)
    without = [await _items(gql, s, ds) for s in ITEM_SELECTIONS]
    without += [await _annotations(gql, s, ds) for s in ANNOTATION_SELECTIONS]
    assert with_short_cut == without
    nodes = with_short_cut[1]["dataset"]["items"]["nodes"]
    assert nodes[0] == {"i": items[0]["id"], "n": "0.jpg", "t": "Item", "d": {"__typename": "Dataset", "k": ds},
                        "again": {"id": ds}}
    assert list(with_short_cut[2]["dataset"]["items"]["nodes"][0]) == ["id", "metadata", "createdAt", "name",
                                                                       "filename", "dataset"]
    classification = [a for a in with_short_cut[5]["dataset"]["annotations"]["nodes"]
                      if a["type"] == "CLASSIFICATION"]
    assert classification[0]["status"] == "done" and classification[0]["frame"] == 3
    assert classification[0]["parent"] is None
    assert with_short_cut[6]["dataset"]["annotations"]["nodes"][0]["item"] == {"__typename": "Item"}


async def test_a_bulk_create_payload_is_built_by_the_short_cut(gql, build, monkeypatch):
    ds = await build.dataset(await build.project())
    built = _count_rows(monkeypatch)
    data = (await gql("""mutation($d: ID!, $items: [ItemCreateInput!]!) {
        itemsCreate(input: {datasetId: $d, items: $items}) {
          items { key: id name type hidden metadata createdAt updatedAt dataset { id } __typename }
          errors { field } } }""",
                      {"d": ds, "items": [{"name": f"{i}.jpg", "metadata": {"i": i}} for i in range(300)]}))
    items = data["itemsCreate"]["items"]
    assert built == [300]
    assert data["itemsCreate"]["errors"] == []
    assert [it["name"] for it in items[:3]] == ["0.jpg", "1.jpg", "2.jpg"]
    first = items[0]
    assert first["key"].startswith("itm_") and first["dataset"] == {"id": ds} and first["__typename"] == "Item"
    assert (first["type"], first["hidden"], first["metadata"]["user"]) == ("file", False, {"i": 0})
    assert first["createdAt"].endswith("Z") and first["createdAt"] == items[-1]["updatedAt"]
    read = await gql("query($id: ID!) { item(id: $id) { createdAt metadata } }", {"id": items[299]["key"]})
    assert read["item"] == {"createdAt": items[299]["createdAt"], "metadata": items[299]["metadata"]}


class _Row:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


@pytest.mark.parametrize("bad", [{"name": None}, {"name": object()}, {"hidden": "yes"}])
def test_an_item_that_does_not_fit_sends_the_list_the_usual_way(bad):
    """A null in a non-null field, a value of no plain type, a value its scalar refuses: no list is built (the
    executor then completes it, reporting the error at its path)."""
    from graphql import GraphQLBoolean, GraphQLNonNull, GraphQLString

    def column(name: str, scalar: Any) -> extensions._Column:
        basic = extensions._Basic(type("F", (), {"type": GraphQLNonNull(scalar)})(), name, True, False,
                                  scalar.coerce_output_value)
        return extensions._leaf_column(extensions._LEAF, name, basic)

    rows = extensions._Rows((column("name", GraphQLString), column("hidden", GraphQLBoolean)), None)
    good = {"name": "a.jpg", "hidden": False}
    assert extensions._build_rows(rows, [_Row(**good)], None) == [good]
    assert extensions._build_rows(rows, [_Row(**good), _Row(**{**good, **bad})], None) is None
