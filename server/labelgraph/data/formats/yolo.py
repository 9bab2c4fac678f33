"""YOLO, Ultralytics layout: ``labels/<split>/<path>.txt`` (one line per object: ``class cx cy w h``, fractions of
the image's width and height, boxes clipped to the image; polygons as segments ``class x1 y1 x2 y2 …``, one line
per ring), the images under ``images/<split>/<path>`` with ``includeFiles``, and ``data.yaml`` with the split
paths and ``names`` (the recipe's labels sorted by tag: class indices stable across exports). Items keep their
folders below the split (Ultralytics finds a label file by replacing ``images/`` with ``labels/``). When the
export holds a polygon it is a segmentation dataset and boxes are written as 4-point segments too (Ultralytics
reads a whole dataset one way; a rectangle of 4 points in that order is read back as a box). Items whose
size is unknown cannot be normalized: their annotations are counted in ``skipped``."""

from __future__ import annotations

import posixpath
import zipfile
from collections import Counter
from typing import Any

import orjson

from labelgraph.data.commands import AnnotationType
from labelgraph.data.formats.common import (
    IMAGE_SUFFIXES,
    UNSPLIT,
    Found,
    InAnnotation,
    InItem,
    InLabel,
    Parsed,
    Source,
    ZipOut,
    box_of,
    clip,
    members,
    path_of,
    refuse,
    rings_of,
    stem_path,
    text_lines,
)

YOLO_SPLITS = {"validation": "val"}  # data.yaml keys of labelgraph split names


def _f(v: float) -> str:
    return f"{v:.6f}"


def lines_of(ann: Any, cls: int, width: int, height: int, segments: bool = False) -> list[str] | None:
    box = box_of(ann)
    if box is not None:
        x1, y1, x2, y2 = (clip(box[0], 0, width), clip(box[1], 0, height), clip(box[2], 0, width),
                          clip(box[3], 0, height))
        if x2 <= x1 or y2 <= y1:
            return []  # entirely outside the image
        if segments:  # a segmentation dataset: every line a polygon (Ultralytics reads a file one way)
            x1, x2, y1, y2 = x1 / width, x2 / width, y1 / height, y2 / height
            return [f"{cls} " + " ".join(f"{_f(x)} {_f(y)}" for x, y in ((x1, y1), (x2, y1), (x2, y2), (x1, y2)))]
        return [f"{cls} {_f((x1 + x2) / 2 / width)} {_f((y1 + y2) / 2 / height)} {_f((x2 - x1) / width)} "
                f"{_f((y2 - y1) / height)}"]
    rings = rings_of(ann)
    if rings is None:
        return None
    return [f"{cls} " + " ".join(f"{_f(clip(x / width, 0, 1))} {_f(clip(y / height, 0, 1))}" for x, y in ring)
            for ring in rings]


def yaml_str(value: str) -> str:
    return orjson.dumps(value).decode()  # a JSON string is a YAML string


async def export(source: Source, out: ZipOut, files=None, progress=None) -> dict[str, Any]:
    labels = await source.labels()
    classes = {label.tag: i for i, label in enumerate(labels)}
    result: dict[str, Any] = {"images": 0, "annotations": 0, "skipped": Counter(), "files": []}
    splits = await source.split_names() or [UNSPLIT]
    segments = await source.has_type(AnnotationType.POLYGON.value)
    result["layout"] = "segment" if segments else "detect"
    for split in splits:
        async for page in source.pages(split):
            for item, rows in page:
                result["images"] += 1
                lines: list[str] = []
                for ann in rows:
                    if not item.width or not item.height:
                        result["skipped"]["unknownSize"] += 1
                        continue
                    found = lines_of(ann, classes[ann.label], item.width, item.height, segments)
                    if found is None:
                        result["skipped"][ann.type] += 1
                        continue
                    result["annotations"] += 1
                    lines += found
                out.write_bytes(f"labels/{split}/{stem_path(item)}.txt",
                                ("\n".join(lines) + "\n" if lines else "").encode())
                if files is not None and item.sha256:
                    await out.write_stream(f"images/{split}/{path_of(item)}", files(item))
            if progress is not None:
                await progress(len(page))
    keys = {}
    for split in splits:
        keys[YOLO_SPLITS.get(split, split)] = f"images/{split}"
    keys.setdefault("train", keys.get("val") or next(iter(keys.values())))
    keys.setdefault("val", keys["train"])
    body = ["# labelgraph export (Ultralytics YOLO)", "path: ."]
    body += [f"{k}: {yaml_str(v)}" for k, v in keys.items()]
    body += [f"nc: {len(labels)}", "names:"]
    body += [f"  {i}: {yaml_str(label.tag)}" for i, label in enumerate(labels)]
    out.write_bytes("data.yaml", ("\n".join(body) + "\n").encode())
    result["files"].append("data.yaml")
    result["skipped"] = dict(result["skipped"])
    return result


# --- import --------------------------------------------------------------------------------------------------

def _names(archive: zipfile.ZipFile) -> list[str]:
    """The class names of data.yaml (``names:`` as a list or an index → name map; a small reader of that key)."""
    if "data.yaml" not in archive.namelist():
        raise refuse("data.yaml: missing (it holds the class names)")
    lines = [line for _, line in text_lines(archive, "data.yaml")]
    names: dict[int, str] = {}
    inside = False
    for n, line in enumerate(lines, 1):
        stripped = line.split(" #", 1)[0].rstrip()
        if stripped.startswith("names:"):
            rest = stripped[len("names:"):].strip()
            if rest.startswith("["):
                try:
                    values = orjson.loads(rest.replace("'", '"'))
                except orjson.JSONDecodeError:
                    raise refuse(f"data.yaml: line {n}: names: expected a list of strings") from None
                return [str(v) for v in values]
            inside = True
            continue
        if inside:
            if not stripped.strip():
                continue
            if not line.startswith((" ", "\t", "-")):
                break
            entry = stripped.strip()
            if entry.startswith("- "):
                names[len(names)] = _unquote(entry[2:])
            elif ":" in entry:
                key, _, value = entry.partition(":")
                if not key.strip().isdigit():
                    raise refuse(f"data.yaml: line {n}: names: expected `index: name`")
                names[int(key)] = _unquote(value.strip())
    if not names:
        raise refuse("data.yaml: names: missing or empty")
    if sorted(names) != list(range(len(names))):
        raise refuse("data.yaml: names: class indices must be 0, 1, … without gaps")
    return [names[i] for i in range(len(names))]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return orjson.loads(value)
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _rectangle(v: list[float]) -> bool:
    """Four points x1 y1, x2 y1, x2 y2, x1 y2 (how a box is written in a segmentation dataset)."""
    return v[1] == v[3] and v[2] == v[4] and v[5] == v[7] and v[6] == v[0] and v[0] != v[2] and v[1] != v[5]


def parse(archive: zipfile.ZipFile) -> Parsed:
    names = _names(archive)
    found = Found()
    parsed = Parsed(labels=[InLabel(n) for n in names])
    images: dict[str, str] = {}  # "<split>/<stem path>" → image member
    for name in members(archive, lambda n: n.startswith("images/") and n.lower().endswith(IMAGE_SUFFIXES)):
        rel = name[len("images/"):]
        images[posixpath.splitext(rel)[0]] = name
    label_files = members(archive, lambda n: n.startswith("labels/") and n.endswith(".txt"))
    seen: set[str] = set()
    for name in label_files:
        rel = name[len("labels/"):-len(".txt")]
        split, _, stem = rel.partition("/")
        if not stem:
            found.add(f"{name}: expected labels/<split>/<name>.txt")
            continue
        image = images.get(rel)
        path = image.split("/", 2)[2] if image else stem
        seen.add(rel)
        item = InItem(path=path, where=name, file=image, split=None if split == UNSPLIT else split, has_split=True,
                      by_stem=image is None)
        for n, line in text_lines(archive, name):
            if not line.strip():
                continue
            at = f"{name}: line {n}"
            parts = line.split()
            try:
                cls = int(parts[0])
                values = [float(v) for v in parts[1:]]
            except ValueError:
                found.add(f"{at}: expected `class cx cy w h` or `class x1 y1 x2 y2 …` (numbers)")
                continue
            if not 0 <= cls < len(names):
                found.add(f"{at}: class {cls} is not in data.yaml names (0–{len(names) - 1})")
                continue
            if any(not 0 <= v <= 1 for v in values):
                found.add(f"{at}: coordinates must be fractions of the image size, from 0 to 1")
                continue
            if len(values) == 4:
                cx, cy, w, h = values
                item.annotations.append(InAnnotation(
                    AnnotationType.BOX, names[cls],
                    [{"x": cx - w / 2, "y": cy - h / 2}, {"x": cx + w / 2, "y": cy + h / 2}], at, normalized=True))
            elif len(values) == 8 and _rectangle(values):  # a box written as a segment
                xs, ys = values[0::2], values[1::2]
                item.annotations.append(InAnnotation(
                    AnnotationType.BOX, names[cls], [{"x": min(xs), "y": min(ys)}, {"x": max(xs), "y": max(ys)}],
                    at, normalized=True))
            elif len(values) >= 6 and len(values) % 2 == 0:
                ring = [{"x": values[k], "y": values[k + 1]} for k in range(0, len(values), 2)]
                item.annotations.append(InAnnotation(AnnotationType.POLYGON, names[cls], [ring], at,
                                                     normalized=True))
            else:
                found.add(f"{at}: expected 4 numbers (a box) or an even count of at least 6 (a polygon), got "
                          f"{len(values)}")
        parsed.items.append(item)
    for rel, image in sorted(images.items()):  # images without a label file: background images
        if rel not in seen:
            split, _, stem = rel.partition("/")
            parsed.items.append(InItem(path=image.split("/", 2)[2] if "/" in rel else rel, where=image, file=image,
                                       split=None if split == UNSPLIT else split, has_split=True))
    found.raise_if()
    return parsed
