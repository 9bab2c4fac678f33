"""Bad filters are refused before any SQL runs, naming their place inside the filter; type mismatches are not
errors but type-exact comparisons (README, Filters)."""

from __future__ import annotations

from support import Builder
from test_dql import LIST, filenames


def nested(depth: int) -> dict:
    f: dict = {"name": {"eq": "a.jpg"}}
    for _ in range(depth - 1):
        f = {"not": f}
    return f


async def test_bad_typed_filters_are_refused_naming_the_place(gql):
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    await b.items(dataset, [{"name": "a.jpg", "metadata": {"n": 5}}, {"name": "b.jpg", "metadata": {"n": "x"}}])
    cases = [
        (nested(11), "LIMIT_EXCEEDED", "filter is nested more than 10 levels deep"),
        ({"name": {"glob": ""}}, "BAD_USER_INPUT", "filter.name.glob: a glob is a non-empty string"),
        ({"or": [{"metadata": [{"path": "user.n", "gt": True}]}]}, "BAD_USER_INPUT",
         "filter.or[0].metadata[0].gt: gt compares numbers or strings"),
        ({"annotations": {"item": {"createdAt": {"gt": "2026-01-01T00:00:00Z"}, "metadata": [{"path": "x"}]}}},
         "BAD_USER_INPUT", "filter.annotations.item.metadata[0].path: path must start with one of user, system"),
    ]
    for f, code, says in cases:
        body = await gql.raw(LIST, {"d": dataset, "f": f})
        [error] = body["errors"]
        assert error["extensions"]["code"] == code and error["message"].startswith(says), (f, error)
    # ten levels are fine; a mismatched type selects by type, it is no error
    assert await filenames(gql, dataset, f=nested(10)) == ["/b.jpg"]  # nine nots: name is not a.jpg
    # a.jpg's 5 is a number: never "greater than" a string; b.jpg's "x" is
    assert await filenames(gql, dataset, f={"metadata": [{"path": "user.n", "gt": "abc"}]}) == ["/b.jpg"]
    assert await filenames(gql, dataset, f={"metadata": [{"path": "user.n", "gte": 5}]}) == ["/a.jpg"]
    assert await filenames(gql, dataset, f={"metadata": [{"path": "user.n", "lt": "y"}]}) == ["/b.jpg"]


async def test_string_ranges_compare_by_code_point(gql):
    b = Builder(gql)
    dataset = await b.dataset(await b.project())
    await b.items(dataset, [{"name": n} for n in ("B.jpg", "a.jpg", "b.jpg", "é.jpg")])
    assert sorted(await filenames(gql, dataset, f={"name": {"gte": "a", "lt": "c"}})) == ["/a.jpg", "/b.jpg"]
    assert sorted(await filenames(gql, dataset, f={"name": {"gt": "b.jpg"}})) == ["/é.jpg"]
    assert await filenames(gql, dataset, f={"name": {"lte": "B.jpg"}}) == ["/B.jpg"]
