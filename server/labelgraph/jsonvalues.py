"""One check of JSON values wherever JSON enters: request bodies and WebSocket messages (``decode``), JSON
arguments (the ``JSON`` scalar, graph/scalars.py).

What it refuses would otherwise fail deep inside the server: values nested so deep that a recursive walk (the
GraphQL coercion, orjson's encoder, the database driver) overflows; integers outside signed 64 bits (SQLite,
PostgreSQL and orjson have no bigger ones); infinite numbers (JSON has none: orjson would write null); text
with lone surrogates (not encodable as UTF-8) or NUL characters (PostgreSQL refuses them), so not storable.
The messages say where and what the limit is.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

MAX_DEPTH = 64  # nested objects/arrays in one JSON value (a request body counts as one)
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class JSONValueError(ValueError):
    """A JSON value the server refuses; the message names where it is and what is allowed."""


class UndecodableJSON(json.JSONDecodeError):
    """A JSON text that does not decode, or decodes to a value ``check`` refuses. A ``JSONDecodeError`` so that
    strawberry treats it as such (a 400 for an HTTP body, a closed connection for a WebSocket message); its
    message is the whole explanation."""

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        self.msg, self.doc, self.pos, self.lineno, self.colno = message, "", 0, 1, 1


def _at(keys: list[str | int], limit: int = 4) -> str:
    """`` at variables.input.items[0]…`` (the first ``limit`` keys), or nothing at the top."""
    if not keys:
        return ""
    shown = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys[:limit]).lstrip(".")
    return f" at {shown}{'…' if len(keys) > limit else ''}"


TEXT_RULE = "text must be valid Unicode, without NUL characters"


def text_problem(text: str) -> str | None:
    """What makes ``text`` unstorable, or None: a NUL character (PostgreSQL refuses it in text and JSON) or a
    lone surrogate (not encodable as UTF-8)."""
    nul = text.find("\x00")
    if nul >= 0:
        return f"a NUL character (\\u0000) as character {nul} of a text"
    if text.isascii():
        return None
    try:
        text.encode()
    except UnicodeEncodeError as exc:
        return f"a lone surrogate ({text[exc.start]!r}) as character {exc.start} of a text"
    return None


def _acceptable(value: Any, max_depth: int) -> bool:
    """Whether ``check`` accepts ``value``: the same rules, without keeping paths, every leaf checked in place (a
    body of 100,000 ids is measured in milliseconds, where the path-keeping walk took most of a second)."""
    if type(value) is not dict and type(value) is not list:
        return _leaf_acceptable(value)
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            return False
        if type(item) is dict:
            for key in item:
                if "\x00" in key or (not key.isascii() and text_problem(key)):
                    return False
            children = item.values()
        else:
            children = item
        for child in children:  # the usual leaves checked in line (no call): most values are leaves
            kind = type(child)
            if kind is str:
                if "\x00" in child or (not child.isascii() and text_problem(child)):
                    return False
            elif kind is int:
                if not INT_MIN <= child <= INT_MAX:
                    return False
            elif kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif kind is bool or child is None:
                continue
            elif not _leaf_acceptable(child):
                return False
    return True


def _leaf_acceptable(value: Any) -> bool:
    kind = type(value)
    if kind is int:
        return INT_MIN <= value <= INT_MAX
    if kind is float:
        return math.isfinite(value)
    if kind is str:
        return text_problem(value) is None
    return True


def check(value: Any, name: str = "the JSON value", max_depth: int = MAX_DEPTH) -> None:
    """Raise ``JSONValueError`` unless ``value`` (decoded JSON) nests at most ``max_depth`` objects/arrays, holds
    integers within signed 64 bits only and text without lone surrogates. Iterative: any depth is measured.
    Accepted values take the fast walk; a refused one is walked again to say where the problem is."""
    if _acceptable(value, max_depth):
        return
    deepest, deepest_link = 0, None
    stack: list[tuple[Any, int, tuple | None]] = [(value, 0, None)]  # (value, depth, (parent entry, key))

    def keys_of(link: tuple | None) -> list[str | int]:
        keys: list[str | int] = []
        while link is not None:
            entry, key = link
            keys.append(key)
            link = entry[2]
        return keys[::-1]

    while stack:
        entry = stack.pop()
        item, depth, link = entry
        if isinstance(item, dict):
            depth += 1
            if depth > deepest:
                deepest, deepest_link = depth, link
            for key, child in item.items():
                if isinstance(key, str) and (problem := text_problem(key)):
                    raise JSONValueError(f"{name} holds {problem} key{_at(keys_of(link))}; {TEXT_RULE}")
                stack.append((child, depth, (entry, key)))
        elif isinstance(item, list):
            depth += 1
            if depth > deepest:
                deepest, deepest_link = depth, link
            stack.extend((child, depth, (entry, i)) for i, child in enumerate(item))
        elif isinstance(item, str):
            if problem := text_problem(item):
                raise JSONValueError(f"{name} holds {problem}{_at(keys_of(link))}; {TEXT_RULE}")
        elif isinstance(item, int) and not isinstance(item, bool) and not INT_MIN <= item <= INT_MAX:
            raise JSONValueError(f"{name} holds the integer {item}{_at(keys_of(link))}, outside 64 bits; integers "
                                 f"must be between {INT_MIN} and {INT_MAX}")
        elif isinstance(item, float) and not math.isfinite(item):
            raise JSONValueError(f"{name} holds the number {item}{_at(keys_of(link))}, which JSON cannot hold; "
                                 "numbers must be finite (within ±1.8e308)")
    if deepest > max_depth:
        raise JSONValueError(f"{name} nests {deepest:,} levels deep{_at(keys_of(deepest_link), 2)}; the limit "
                             f"is {max_depth}")


def decode(data: str | bytes, name: str = "the JSON") -> Any:
    """Decode and ``check`` a JSON text; ``UndecodableJSON`` says what is wrong (invalid UTF-8 and where, a
    syntax error, or what ``check`` refuses, with its path)."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise UndecodableJSON(_explain(data, name, exc)) from None
    try:
        check(value, name)
    except JSONValueError as exc:
        raise UndecodableJSON(str(exc)) from None
    return value


def _explain(data: str | bytes, name: str, exc: orjson.JSONDecodeError) -> str:
    """Why orjson refused ``data``, in the user's terms. orjson refuses invalid UTF-8, lone surrogates and
    nesting beyond 1,024 levels outright; the standard library's decoder accepts lone surrogates and reaches
    Python's recursion limit instead, so it is asked again to find where the problem is."""
    if isinstance(data, bytes | bytearray):
        try:
            data.decode()
        except UnicodeDecodeError as bad:
            return f"{name} is not valid UTF-8: byte 0x{data[bad.start]:02x} at position {bad.start}"
    try:
        check(json.loads(data), name)
    except RecursionError:
        return f"{name} nests more than {MAX_DEPTH} levels deep; the limit is {MAX_DEPTH}"
    except JSONValueError as refused:
        return str(refused)
    except ValueError:
        pass
    return f"{name} is not valid JSON: {exc}"
