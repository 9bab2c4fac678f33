"""Prefixed, time-sortable, globally unique ids: ``itm_01JD3…``.

The body is a ULID (48-bit millisecond timestamp + 80 random bits, Crockford base32, 26 characters), monotonic
within a process (one sequence for ``new_id`` and ``new_ids``): ids created in the same millisecond still sort in
creation order. The prefix names
the entity type, so ``node(id:)`` routes without a lookup table.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time

from ulid import ULID

PREFIXES: dict[str, str] = {
    "usr": "User",
    "org": "Organization",
    "prj": "Project",
    "om": "OrganizationMember",
    "pm": "ProjectMember",
    "tok": "ApiToken",
    "ds": "Dataset",
    "itm": "Item",
    "ann": "Annotation",
    "rcp": "Recipe",
    "ont": "Ontology",
    "lbl": "Label",
    "att": "AttributeDefinition",
    "tsk": "Task",
    "asg": "Assignment",
    "pkg": "Package",
    "svc": "Service",
    "trg": "Trigger",
    "exe": "Execution",
    "evt": "OutboxEvent",
    "dsv": "DatasetVersion",
    "upl": "ItemUpload",  # a direct upload in progress (data/content.py)
    "cmd": "Command",  # a tracked dataset job (jobs/)
}


def new_id(prefix: str) -> str:
    """A new id for an entity whose type prefix is ``prefix`` (see PREFIXES)."""
    return f"{prefix}_{_base32(_take(1))}"


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [a + b for a in _CROCKFORD for b in _CROCKFORD]  # 10 bits → 2 characters


_SHIFTS = tuple(range(120, -1, -10))


def _base32(value: int) -> str:
    """The 26 Crockford base32 characters of a 130-bit value (a ULID's 128 bits), two at a time."""
    return "".join([_PAIRS[(value >> s) & 1023] for s in _SHIFTS])


_lock = threading.Lock()
_last = 0  # the last value handed out in this process: new values are above it


def _take(n: int) -> int:
    """The first of ``n`` consecutive ULID values for now: the millisecond, then random bits (the lowest 25
    zero: room for the successors), or the successor of the last value handed out when that is higher (the
    same millisecond): ids of this process sort in the order they were made, as python-ulid's monotonic ones."""
    global _last
    start = (time.time_ns() // 1_000_000 << 80) | int.from_bytes(os.urandom(10), "big") >> 25 << 25
    with _lock:
        if start <= _last:
            start = _last + 1
        _last = start + n - 1
    return start


def new_ids(prefix: str, n: int) -> list[str]:
    """``n`` new ids at once, in increasing order, for a bulk write: consecutive values after ``_take`` (the
    same sequence as ``new_id``'s), several times cheaper each than ``n`` calls of ``new_id``."""
    start = _take(n)
    out = []
    head, high = "", -1
    for value in range(start, start + n):
        if value >> 20 != high:
            high = value >> 20
            head = f"{prefix}_{_base32(value)[:22]}"
        out.append(head + _PAIRS[(value >> 10) & 1023] + _PAIRS[value & 1023])
    return out


def derived_id(prefix: str, seed: str) -> str:
    """A well-formed id that is a function of ``seed`` (the same seed, the same id): for rows found again by
    what they belong to, without a lookup."""
    return f"{prefix}_{ULID.from_bytes(hashlib.sha256(seed.encode()).digest()[:16])}"


def prefix_of(id_: str) -> str | None:
    """The type prefix of an id, or None when the id carries none."""
    head, sep, body = id_.partition("_")
    if not sep or len(body) != 26 or head not in PREFIXES:
        return None
    return head


def type_of(id_: str) -> str | None:
    """The GraphQL type name an id belongs to, or None for a malformed id."""
    prefix = prefix_of(id_)
    return PREFIXES.get(prefix) if prefix else None
