"""Prefixed, time-sortable, globally unique ids: ``itm_01JD3…``.

The body is a ULID (48-bit millisecond timestamp + 80 random bits, Crockford base32, 26 characters), made
monotonic within a process so ids created in the same millisecond still sort in creation order. The prefix
names the entity type, so ``node(id:)`` routes without a lookup table.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_lock = threading.Lock()
_last_ms = 0
_last_rand = 0

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
}


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A new id for an entity whose type prefix is ``prefix`` (see PREFIXES)."""
    global _last_ms, _last_rand
    with _lock:
        now = time.time_ns() // 1_000_000
        if now <= _last_ms:
            now = _last_ms
            _last_rand += 1
            if _last_rand >= 1 << 80:  # pragma: no cover - 2^80 ids in one millisecond
                now += 1
                _last_rand = int.from_bytes(os.urandom(10), "big") >> 1
        else:
            _last_rand = int.from_bytes(os.urandom(10), "big") >> 1  # room to increment
        _last_ms = now
        body = _encode(now, 10) + _encode(_last_rand, 16)
    return f"{prefix}_{body}"


def derived_id(prefix: str, seed: str) -> str:
    """A well-formed id that is a function of ``seed`` (the same seed, the same id): for rows found again by
    what they belong to, without a lookup."""
    digest = hashlib.sha256(seed.encode()).digest()
    return f"{prefix}_{_encode(int.from_bytes(digest[:17], 'big') >> 6, 26)}"


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
