"""Prefixed, time-sortable, globally unique ids: ``itm_01JD3…``.

The body is a ULID (48-bit millisecond timestamp + 80 random bits, Crockford base32, 26 characters; python-ulid),
monotonic within a process: ids created in the same millisecond still sort in creation order. The prefix names
the entity type, so ``node(id:)`` routes without a lookup table.
"""

from __future__ import annotations

import hashlib
import os
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
    return f"{prefix}_{ULID()}"


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PAIRS = [a + b for a in _CROCKFORD for b in _CROCKFORD]  # 10 bits → 2 characters


def _base32(value: int) -> str:
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_ids(prefix: str, n: int) -> list[str]:
    """``n`` new ids at once, in increasing order, for a bulk write: the ULID of now with fresh random bits
    (independent of ``new_id``'s monotonic sequence: a collision is as likely as between two random 80-bit
    values), then its successors. The same form as ``new_id``'s, several times cheaper each."""
    start = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big") >> 25 << 25  # low bits: room
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
