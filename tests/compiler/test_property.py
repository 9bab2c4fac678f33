"""Property: for random valid queries and several callers, the compiled path answers byte for byte what the
resolver path answers (same data, same key order, same errors; see ``same`` for the one allowance)."""

from __future__ import annotations

import os

from compiler_support import both, same
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import queries
from querygen import QueryGen

EXAMPLES = int(os.environ.get("LABELGRAPH_PROPERTY_EXAMPLES", "150"))


async def test_compiled_equals_resolvers_for_random_queries(compiler_world):
    w = compiler_world
    gen = QueryGen(9, w.ids, w.cursors)
    compiled = total = 0
    for n in range(EXAMPLES):
        q = gen.query()
        for name, caller in w.callers.items():
            on, off, was_compiled = await both(caller, q.query, q.variables)
            assert same(on, off), f"example {n}, caller {name}:\n{q.query}\n{q.variables}\ncompiled: {on[:3000]}\n" \
                              f"resolvers: {off[:3000]}"
            compiled += was_compiled
            total += 1
    # most generated queries stay within what the compiler expresses: the comparison is not vacuous
    print(f"compiled {compiled} of {total}")
    assert compiled > total * 0.4, f"only {compiled} of {total} responses were compiled"


def _hypothesis_queries(count: int) -> list[str]:
    """Queries hypothesis-graphql draws from the schema for the root fields the compiler answers (random
    arguments: mostly ids that do not exist and page sizes the resolver path refuses)."""
    from labelgraph.schema import schema

    out: list[str] = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(queries(str(schema), fields=["organization", "project", "dataset", "item", "annotation",
                                        "organizations"]))
    def collect(q: str) -> None:
        out.append(q)

    collect()
    return out


async def test_compiled_equals_resolvers_for_hypothesis_graphql_queries(compiler_world):
    w = compiler_world
    for q in _hypothesis_queries(40):
        for name in ("platform_admin", "annotator"):
            on, off, _ = await both(w.callers[name], q)
            assert same(on, off), f"caller {name}:\n{q}\ncompiled: {on[:2000]}\nresolvers: {off[:2000]}"
