"""labelgraph's own lossless format, for backup and migration: ``labelgraph.json`` (the format version, the
dataset's name, description and metadata, the recipe's labels with display names, colors and display data) and
``items.jsonl``, one item per line with its annotations (type, label, coordinates, attributes, status, object
id, frames, metadata, and the parent links by the annotation ids of the export), the files under
``files/<path>`` with ``includeFiles``. Importing it creates the items it names that the dataset lacks (with
their files when the zip carries them)."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from typing import Any

import orjson

from labelgraph.data.commands import AnnotationType
from labelgraph.data.formats.common import (
    Found,
    InAnnotation,
    InItem,
    InLabel,
    Parsed,
    Source,
    ZipOut,
    check_size,
    path_of,
    refuse,
    text_lines,
)
from labelgraph.data.validation import check_coordinates

FORMAT_VERSION = 1
TYPES = {t.value: t for t in AnnotationType}


def _user(meta: Any) -> Any:
    return (meta or {}).get("user") or {}


def item_entry(item: Any, rows: list[Any], file: str | None) -> dict[str, Any]:
    return {
        "path": path_of(item), "name": item.name, "dir": item.dir, "split": item.split, "hidden": bool(item.hidden),
        "description": item.description, "metadata": _user(item.metadata), "system": (item.metadata or {}).get(
            "system") or {}, "mimetype": item.mimetype, "size": item.size, "width": item.width, "height": item.height,
        "sha256": item.sha256, "file": file,
        "annotations": [{
            "id": a.id, "parentId": a.parent_id, "type": a.type, "label": a.label, "coordinates": a.coordinates,
            "attributes": a.attributes, "status": a.status, "objectId": a.object_id, "frame": a.frame,
            "endFrame": a.end_frame, "automated": bool(a.automated), "description": a.description,
            "metadata": _user(a.metadata)} for a in rows],
    }


async def export(source: Source, out: ZipOut, files=None, progress=None) -> dict[str, Any]:
    dataset = await source.dataset()
    labels = await source.labels()
    head = {"format": "labelgraph", "version": FORMAT_VERSION,
            "dataset": {"name": dataset.name, "description": dataset.description,
                        "metadata": dataset.metadata if isinstance(dataset.metadata, dict) else {}},
            "labels": [{"tag": label.tag, "displayName": label.display_name, "color": label.color,
                        "displayData": label.display_data} for label in labels]}
    out.write_bytes("labelgraph.json", orjson.dumps(head, option=orjson.OPT_INDENT_2))
    result: dict[str, Any] = {"images": 0, "annotations": 0, "skipped": {}, "files": ["labelgraph.json",
                                                                                     "items.jsonl"]}
    lines = tempfile.TemporaryFile()  # noqa: SIM115  (closed below); items.jsonl is spooled while the files go into the zip
    try:
        async for page in source.pages():
            for item, rows in page:
                file = f"files/{path_of(item)}" if files is not None and item.sha256 else None
                lines.write(orjson.dumps(item_entry(item, rows, file)) + b"\n")
                result["images"] += 1
                result["annotations"] += len(rows)
                if file:
                    await out.write_stream(file, files(item))
            if progress is not None:
                await progress(len(page))
        lines.seek(0)
        with out.member("items.jsonl") as f:
            shutil.copyfileobj(lines, f, 1024 * 1024)
    finally:
        lines.close()
    return result


# --- import --------------------------------------------------------------------------------------------------

def _opt(entry: dict, key: str, kind: type | tuple, found: Found, at: str) -> Any:
    value = entry.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is not bool):
        found.add(f"{at}.{key}: expected {getattr(kind, '__name__', 'a value of another type')}")
        return None
    return value


def parse(archive: zipfile.ZipFile) -> Parsed:
    if "labelgraph.json" not in archive.namelist() or "items.jsonl" not in archive.namelist():
        raise refuse("the archive is not a labelgraph JSON export: expected labelgraph.json and items.jsonl")
    check_size(archive, "labelgraph.json")
    with archive.open("labelgraph.json") as f:
        try:
            head = orjson.loads(f.read())
        except orjson.JSONDecodeError as exc:
            raise refuse(f"labelgraph.json: not valid JSON ({exc})") from None
    if not isinstance(head, dict) or head.get("format") != "labelgraph":
        raise refuse('labelgraph.json: expected {"format": "labelgraph", …}')
    if head.get("version") != FORMAT_VERSION:
        raise refuse(f"labelgraph.json: version {head.get('version')!r} is not supported (this server reads "
                     f"version {FORMAT_VERSION})")
    found = Found()
    parsed = Parsed(creates_items=True)
    for i, label in enumerate(head.get("labels") or []):
        if not isinstance(label, dict) or not isinstance(label.get("tag"), str) or not label["tag"].strip():
            found.add(f"labelgraph.json: labels[{i}].tag: expected a non-empty string")
            continue
        parsed.labels.append(InLabel(label["tag"], label.get("displayName"), label.get("color"),
                                     label.get("displayData")))
    files = set(archive.namelist())
    for n, line in text_lines(archive, "items.jsonl"):
        item = _item(n, line, files, found, parsed)
        if item is not None:  # its annotations are read again when written (``reread``)
            parsed.items.append(item)
    found.raise_if()

    def reread() -> Iterator[list[InAnnotation]]:
        """The second pass: the same lines, checked whole by the first (so no check here), annotations only."""
        for n, line in text_lines(archive, "items.jsonl"):
            if line.strip():
                yield _annotations_again(n, line)

    parsed.reread = reread
    return parsed


def _annotations_again(n: int, line: str) -> list[InAnnotation]:
    """The annotations of a line ``_item`` found valid (every field of the type it must have)."""
    at = f"items.jsonl: line {n}: annotations"
    out = []
    for k, a in enumerate(orjson.loads(line).get("annotations") or ()):
        ref, meta = a.get("id"), a.get("metadata")
        out.append(InAnnotation(TYPES[a["type"]], a["label"].strip(), a.get("coordinates"), f"{at}[{k}]", False,
                                ref if isinstance(ref, str) and ref else None, a.get("parentId"),
                                a.get("attributes"), a.get("status"), a.get("objectId"), a.get("frame"),
                                a.get("endFrame"), bool(a.get("automated")), a.get("description"),
                                meta if isinstance(meta, dict) else None))
    return out


def _item(n: int, line: str, files: set[str], found: Found, parsed: Parsed) -> InItem | None:
    """The first pass over one line of items.jsonl (``n``: its number): the item (without its annotations: their
    count in ``n_annotations``, their labels noted in ``parsed.used`` with the first entry using each) with
    every entry checked, problems added to ``found``; None for a blank line or one that is not an item."""
    if not line.strip():
        return None
    at = f"items.jsonl: line {n}"
    try:
        entry = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        found.add(f"{at}: not valid JSON ({exc})")
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not entry["path"].strip("/"):
        found.add(f"{at}.path: expected the item's path (a non-empty string)")
        return None
    file = entry.get("file")
    if file is not None and file not in files:
        found.add(f"{at}.file: {file!r} is not in the archive")
        file = None
    metadata = entry.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        found.add(f"{at}.metadata: expected an object")
    item = InItem(path=entry["path"].strip("/"), where=at, file=file, split=_opt(entry, "split", str, found, at),
                  has_split=True, width=_opt(entry, "width", int, found, at),
                  height=_opt(entry, "height", int, found, at), hidden=bool(entry.get("hidden")),
                  description=_opt(entry, "description", str, found, at),
                  metadata=metadata if isinstance(metadata, dict) else None,
                  mimetype=_opt(entry, "mimetype", str, found, at))
    anns = entry.get("annotations") or []
    if not isinstance(anns, list):
        found.add(f"{at}.annotations: expected a list")
        anns = []
    # Checked without building an annotation (``reread`` builds them when they are written): the common shape
    # (known type, label, optional fields absent or of their type, coordinates passing the type's fast check) is
    # settled here; anything else goes through ``_annotation`` (the full checks and their messages).
    used = parsed.used
    refs = set()
    parents: list[tuple[int, Any]] = []
    count = 0
    for k, a in enumerate(anns):
        if type(a) is dict:
            t, label, c = a.get("type"), a.get("label"), a.get("coordinates")
            fast = _FAST.get(t) if type(t) is str else None
            tag = label.strip() if type(label) is str else ""
            if tag and fast is not None and _plain_optionals(a) and (
                    fast(c) or check_coordinates(t, c, [], TYPES[t].name) is None):
                count += 1
                if tag not in used:
                    used[tag] = f"{at}: annotations[{k}]"
                ref = a.get("id")
                if ref and type(ref) is str:
                    refs.add(ref)
                parent = a.get("parentId")
                if parent is not None:
                    parents.append((k, parent))
                continue
        ann = _annotation(a, f"{at}: annotations[{k}]", found)
        if ann is None:
            continue
        count += 1
        if ann.label not in used:
            used[ann.label] = ann.where
        if ann.ref:
            refs.add(ann.ref)
        if ann.parent_ref is not None:
            parents.append((k, ann.parent_ref))
    for k, parent in parents:
        if type(parent) is not str or parent not in refs:
            found.add(f"{at}: annotations[{k}].parentId: no annotation {parent!r} on this item")
    item.n_annotations = count  # the JSON format's coordinates are pixels: ``normalized`` stays False
    return item


def _annotation(a: Any, aat: str, found: Found) -> InAnnotation | None:
    """One annotation entry fully checked (problems added to ``found``; None when it cannot be read at all)."""
    if not isinstance(a, dict):
        found.add(f"{aat}: expected an object")
        return None
    t = a.get("type")
    type_ = TYPES.get(t) if isinstance(t, str) else None
    if type_ is None:
        found.add(f"{aat}.type: {t!r} is not an annotation type ({', '.join(TYPES)})")
        return None
    label = a.get("label")
    if not isinstance(label, str) or not label.strip():
        found.add(f"{aat}.label: expected a non-empty string")
        return None
    problem = check_coordinates(type_.value, a.get("coordinates"), [], type_.name)
    if problem:
        found.add(f"{aat}.coordinates: {problem.message}")
        return None
    ref = a.get("id") if isinstance(a.get("id"), str) else None
    return InAnnotation(
        type_, label.strip(), a.get("coordinates"), aat, ref=ref or None, parent_ref=a.get("parentId"),
        attributes=a.get("attributes"), status=_opt(a, "status", str, found, aat),
        object_id=_opt(a, "objectId", str, found, aat), frame=_opt(a, "frame", int, found, aat),
        end_frame=_opt(a, "endFrame", int, found, aat), automated=bool(a.get("automated")),
        description=_opt(a, "description", str, found, aat),
        metadata=a.get("metadata") if isinstance(a.get("metadata"), dict) else None)


# --- the first pass's fast checks: True settles it, False sends the value to the full check ---------------------

_NUMS = frozenset((int, float))  # exact types (orjson makes no subclasses; bool is not among them)


def _plain_optionals(a: dict) -> bool:
    """status, objectId, description: None or a string; frame, endFrame: None or an int (not a bool)."""
    s, o, d, f, e = a.get("status"), a.get("objectId"), a.get("description"), a.get("frame"), a.get("endFrame")
    return ((s is None or type(s) is str) and (o is None or type(o) is str) and (d is None or type(d) is str)
            and (f is None or type(f) is int) and (e is None or type(e) is int))


def _fast_point(p: Any) -> bool:
    return type(p) is dict and len(p) == 2 and type(p.get("x")) in _NUMS and type(p.get("y")) in _NUMS


def _fast_box(v: Any) -> bool:
    return type(v) is list and len(v) == 2 and _fast_point(v[0]) and _fast_point(v[1])


def _fast_rings(minimum: int) -> Any:
    def check(v: Any) -> bool:
        if type(v) is not list or not v:
            return False
        for ring in v:
            if type(ring) is not list or len(ring) < minimum:
                return False
            for p in ring:
                if not (type(p) is dict and len(p) == 2 and type(p.get("x")) in _NUMS and type(p.get("y")) in _NUMS):
                    return False
        return True
    return check


def _never(v: Any) -> bool:
    return False


# every type has an entry (``_never``: the full check decides)
_FAST = {t: _never for t in TYPES} | {"box": _fast_box, "point": _fast_point, "segment": _fast_rings(3),
                                      "polyline": _fast_rings(2)}

