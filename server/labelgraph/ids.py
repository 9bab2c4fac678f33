"""Prefixed, time-sortable, globally unique ids: ``itm_01JD3…``.

The body is a ULID (48-bit millisecond timestamp + 80 random bits, Crockford base32, 26 characters; python-ulid),
monotonic within a process: ids created in the same millisecond still sort in creation order. The prefix names
the entity type, so ``node(id:)`` routes without a lookup table.
"""

from __future__ import annotations

import hashlib

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
    "upl": "ItemUpload",  # a direct upload in progress (data/content.py)
    "cmd": "Command",  # a tracked dataset job (jobs/)
}


def new_id(prefix: str) -> str:
    """A new id for an entity whose type prefix is ``prefix`` (see PREFIXES)."""
    return f"{prefix}_{ULID()}"


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
