"""The check schemathesis runs on every response of the fuzz run (loaded through ``SCHEMATHESIS_HOOKS``).

schemathesis's own ``not_a_server_error`` takes every GraphQL error with a ``path`` and no Apollo code for a
server failure, so it reports this server's refusals (``LIMIT_EXCEEDED`` for ``first: 5000``, ``NOT_FOUND``,
``FORBIDDEN`` at a field) as bugs. The server itself tells its failures apart: an HTTP 5xx, or an error it
masked as ``internal error`` (``extensions.code: INTERNAL``). That is what is checked here.
"""

from __future__ import annotations

import schemathesis


@schemathesis.check
def no_server_error(ctx, response, case) -> None:  # noqa: ANN001 - schemathesis's check signature
    """No HTTP 5xx, a JSON body, and no error the server masked as internal."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:1000]}")
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"HTTP {response.status_code} with a body that is not JSON: "
                             f"{response.text[:1000]}") from None
    errors = body.get("errors") if isinstance(body, dict) else None
    for error in errors or []:
        if (error.get("extensions") or {}).get("code") == "INTERNAL":
            raise AssertionError(f"internal error at {error.get('path')}: {error.get('message')}")


# Files travel as multipart parts, never inside a GraphQL document: the fuzzer sends a string where an Upload is
# expected (itemsUpload), which the server must refuse as bad input, not fail on
import graphql  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis_graphql import nodes  # noqa: E402

schemathesis.graphql.scalar("Upload", st.just("not-a-file").map(nodes.String))

# Long (byte counts: itemUploadsCreate's required file size, itemsCreate's size, droppedBytes): any 64-bit integer,
# often one at a boundary (32 bits, a double's exact integers, the ends); without a strategy a required Long field
# (itemUploadsCreate) would go untested
schemathesis.graphql.scalar("Long", st.one_of(
    st.sampled_from([0, -1, 2**31, 2**53 + 1, 2**63 - 1, -(2**63)]), st.integers(-(2**63), 2**63 - 1)).map(nodes.Int))


# JSON (metadata, DQL documents, split ratios): scalars and small objects of them, written as GraphQL literals. A
# required JSON argument (datasetSplit's ratios) cannot be left out, so without a strategy the field goes untested.
def _json_field(pair):
    return graphql.ObjectFieldNode(name=graphql.NameNode(value=pair[0]), value=pair[1])


_JSON_SCALARS = st.one_of(st.text(max_size=8).map(nodes.String), st.integers(-3, 3).map(nodes.Int),
                          st.floats(-2, 2, allow_nan=False).map(nodes.Float), st.booleans().map(nodes.Boolean),
                          st.just(nodes.Null))
schemathesis.graphql.scalar("JSON", st.one_of(_JSON_SCALARS, st.lists(
    st.tuples(st.sampled_from(["train", "validation", "test", "user", "filter", "$and"]), _JSON_SCALARS),
    max_size=3, unique_by=lambda pair: pair[0]).map(lambda pairs: nodes.Object([_json_field(p) for p in pairs]))))


# schemathesis builds its GraphQL strategy anew for every example it draws (``gql_st.queries(schema,
# fields=[name], custom_scalars={...})``: a list and a dict, so hypothesis's own strategy cache cannot key them), and
# hypothesis then validates the fresh strategy graph and works out its recursive properties again each time: most
# of the fuzz run's CPU went there rather than into the requests. A strategy is immutable and draws the same values
# from the same choices, so the one built for the same arguments is reused: the cases stay exactly the same.
def _reusing(factory):
    built = {}

    def strategy(schema, *, fields=None, custom_scalars=None, **options):
        key = (id(schema), tuple(fields) if fields is not None else None,
               tuple(sorted((name, id(value)) for name, value in (custom_scalars or {}).items())),
               tuple(sorted(options.items(), key=lambda kv: kv[0])))
        if key not in built:
            built[key] = (schema, custom_scalars, factory(schema, fields=fields, custom_scalars=custom_scalars,
                                                          **options))
        return built[key][2]

    return strategy


from hypothesis_graphql import strategies as _gql_strategies  # noqa: E402

_gql_strategies.queries = _reusing(_gql_strategies.queries)
_gql_strategies.mutations = _reusing(_gql_strategies.mutations)
