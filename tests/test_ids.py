"""Ids: ``<prefix>_<ULID>``, opaque to clients, sorted by creation time, typed by their prefix; ids stored by
earlier versions keep routing."""

from __future__ import annotations

import re

import pytest

from labelgraph.ids import new_id, prefix_of, type_of

pytestmark = pytest.mark.database_agnostic(
    "id generation and parsing, no database")

ULID_BODY = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")  # Crockford base32, upper case


def test_ids_are_a_type_prefix_and_a_ulid():
    id_ = new_id("itm")
    prefix, _, body = id_.partition("_")
    assert prefix == "itm" and ULID_BODY.match(body), id_
    assert (prefix_of(id_), type_of(id_)) == ("itm", "Item")


def test_ids_sort_in_creation_order_even_within_one_millisecond():
    burst = [new_id("evt") for _ in range(5000)]
    assert burst == sorted(burst) and len(set(burst)) == len(burst)
    timestamps = [id_[4:14] for id_ in burst]
    assert len(set(timestamps)) < len(burst)  # some shared a millisecond: the random part kept them in order


def test_ids_written_by_earlier_versions_still_route():
    assert type_of("ds_01JD3ZK6Q8T0V9X8ZC4N7M2B1A") == "Dataset"
    assert type_of("ds_01JD3ZK6Q8T0V9X8ZC4N7M2B1") is None  # 25 characters: not an id
    assert type_of("xyz_01JD3ZK6Q8T0V9X8ZC4N7M2B1A") is None


def test_new_ids_are_well_formed_increasing_unique_and_apart_from_new_id():
    from ulid import ULID

    from labelgraph.ids import new_ids, prefix_of

    ids = new_ids("ann", 5000)
    assert len(set(ids)) == 5000 and ids == sorted(ids)
    assert all(prefix_of(i) == "ann" and str(ULID.from_str(i[4:])) == i[4:] for i in ids)
    assert new_id("ann") not in ids and not set(ids) & set(new_ids("ann", 5000))
