"""Checks of data-domain input values (paths, names, annotation coordinates) returning clear messages."""

from __future__ import annotations

from typing import Any

from labelgraph.errors import Problem

MAX_NAME = 512


def check_name(value: str | None, field: list[str], what: str = "name", max_len: int = 200) -> Problem | None:
    if value is None or not value.strip():
        return Problem("INVALID", f"{what} must not be empty", field)
    if len(value) > max_len:
        return Problem("INVALID", f"{what} must be at most {max_len} characters, got {len(value)}", field)
    return None


def normalize_dir(value: str | None) -> str:
    """``"a/b/"`` → ``"/a/b"``; raises ValueError for ``.``/``..`` segments."""
    if not value:
        return "/"
    parts = [p for p in value.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise ValueError(f"dir must not contain '.' or '..' segments, got {value!r}")
    return "/" + "/".join(parts)


def join_path(dir_: str, name: str) -> str:
    return (dir_.rstrip("/") or "") + "/" + name


def check_item_name(name: str | None, field: list[str]) -> Problem | None:
    problem = check_name(name, field, "name", MAX_NAME)
    if problem:
        return problem
    if "/" in name:
        return Problem("INVALID", f"name must not contain '/': put folders in dir, got {name!r}", field)
    return None


# --- coordinates by annotation type (wire values) -----------------------------------------------------

def _num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _point(v: Any) -> bool:
    return isinstance(v, dict) and _num(v.get("x")) and _num(v.get("y")) and (
        "z" not in v or v["z"] is None or _num(v["z"])
    )


def _ring(v: Any, minimum: int) -> bool:
    return isinstance(v, list) and len(v) >= minimum and all(_point(p) for p in v)


def _box(v: Any) -> bool:
    return (
        isinstance(v, list)
        and len(v) in (2, 3)
        and _point(v[0])
        and _point(v[1])
        and (len(v) == 2 or _num(v[2]) or (isinstance(v[2], dict) and _num(v[2].get("angle"))))
    )


_CUBE_CORNERS = ("front_tl", "front_tr", "front_br", "front_bl", "back_tl", "back_tr", "back_br", "back_bl")

SHAPES: dict[str, tuple[Any, str]] = {
    "box": (_box, "[{x, y}, {x, y}] (top-left, bottom-right; an angle in degrees may follow)"),
    "class": (lambda v: v == [] or v is None or v == {}, "[] (a classification has no geometry)"),
    "point": (_point, "{x, y} (z optional)"),
    "segment": (lambda v: isinstance(v, list) and len(v) >= 1 and all(_ring(r, 3) for r in v),
                "[[{x, y}, …]]: rings of at least 3 points"),
    "polyline": (lambda v: isinstance(v, list) and len(v) >= 1 and all(_ring(r, 2) for r in v),
                 "[[{x, y}, …]]: lines of at least 2 points"),
    "ellipse": (lambda v: isinstance(v, dict) and _point(v.get("center")) and _num(v.get("rx"))
                and _num(v.get("ry")), "{center: {x, y}, rx, ry, angle?}"),
    "cube": (lambda v: isinstance(v, dict) and all(_point(v.get(c)) for c in _CUBE_CORNERS),
             "{front_tl, front_tr, front_br, front_bl, back_tl, back_tr, back_br, back_bl: {x, y, z}, angle?}"),
    "cube_3d": (lambda v: isinstance(v, dict) and all(isinstance(v.get(k), dict) for k in ("position", "scale",
                "rotation")), "{position: {x, y, z}, scale: {x, y, z}, rotation: {x, y, z}}"),
    "binary": (lambda v: isinstance(v, str) and v.startswith("data:image/png;base64,"),
               '"data:image/png;base64,…" (an RGBA PNG mask the size of the item)'),
    "pose": (lambda v: isinstance(v, dict) and isinstance(v.get("templateId"), str), "{templateId, instanceId?}"),
    "subtitle": (lambda v: isinstance(v, dict) and isinstance(v.get("text"), str), "{text}"),
    "item_description": (lambda v: isinstance(v, dict) and isinstance(v.get("text"), str), "{text}"),
    "note": (lambda v: isinstance(v, dict) and _box(v.get("box")) and isinstance(v.get("note"), dict),
             "{box: <box coordinates>, note: {messages, status, …}}"),
    "text_mark": (lambda v: isinstance(v, dict) and _num(v.get("start")) and _num(v.get("end")),
                  "{type, label, start, end, top?, left?}"),
    "comparison": (lambda v: True, "any JSON"),
}


def check_coordinates(type_: str, value: Any, field: list[str], type_name: str) -> Problem | None:
    check, shape = SHAPES[type_]
    if check(value):
        return None
    shown = repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return Problem("INVALID", f"coordinates of a {type_name} annotation must be {shape}, got {shown}", field)
