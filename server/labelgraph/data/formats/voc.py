"""Pascal VOC: one ``Annotations/<path>.xml`` per image (``folder``, ``filename``, ``size``, one ``object`` per box
with ``name`` and ``bndbox``), ``ImageSets/Main/<split>.txt`` listing each split's images, the images under
``JPEGImages/<path>`` with ``includeFiles``. Pixel coordinates are 1-based whole numbers as in VOC: a box from x1
to x2 (labelgraph's continuous coordinates) is written ``xmin = round(x1) + 1``, ``xmax = round(x2)``, clipped to
the image when its size is known, and read back as ``x1 = xmin - 1``, ``x2 = xmax``. A polygon is written as
the box of its extent; other types are counted in ``skipped``."""

from __future__ import annotations

import posixpath
import zipfile
from collections import Counter
from typing import Any
from xml.etree import ElementTree as ET

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
    extent,
    members,
    path_of,
    refuse,
    rings_of,
    stem_path,
)


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    node = ET.SubElement(parent, tag)
    if text is not None:
        node.text = str(text)
    return node


def pixel_box(box: tuple[float, float, float, float], width: int | None, height: int | None
              ) -> tuple[int, int, int, int]:
    x1, y1, x2, y2 = box
    xmin, ymin, xmax, ymax = round(x1) + 1, round(y1) + 1, round(x2), round(y2)
    if width:
        xmin, xmax = min(max(xmin, 1), width), min(max(xmax, 1), width)
    if height:
        ymin, ymax = min(max(ymin, 1), height), min(max(ymax, 1), height)
    return xmin, ymin, max(xmax, xmin), max(ymax, ymin)


def document(item: Any, objects: list[tuple[str, tuple[int, int, int, int], Any]]) -> bytes:
    root = ET.Element("annotation")
    path = path_of(item)
    _sub(root, "folder", posixpath.dirname(path))
    _sub(root, "filename", item.name)
    _sub(root, "path", path)
    source = _sub(root, "source")
    _sub(source, "database", "labelgraph")
    size = _sub(root, "size")
    _sub(size, "width", item.width or 0)
    _sub(size, "height", item.height or 0)
    _sub(size, "depth", 3)
    _sub(root, "segmented", 0)
    for name, (xmin, ymin, xmax, ymax), attributes in objects:
        obj = _sub(root, "object")
        _sub(obj, "name", name)
        _sub(obj, "pose", "Unspecified")
        _sub(obj, "truncated", 0)
        _sub(obj, "difficult", 1 if (attributes or {}).get("difficult") is True else 0)
        bnd = _sub(obj, "bndbox")
        for tag, v in (("xmin", xmin), ("ymin", ymin), ("xmax", xmax), ("ymax", ymax)):
            _sub(bnd, tag, v)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


async def export(source: Source, out: ZipOut, files=None, progress=None) -> dict[str, Any]:
    result: dict[str, Any] = {"images": 0, "annotations": 0, "skipped": Counter(), "files": []}
    for split in await source.split_names() or [UNSPLIT]:
        listed: list[str] = []
        async for page in source.pages(split):
            for item, rows in page:
                result["images"] += 1
                objects = []
                for ann in rows:
                    box = box_of(ann)
                    if box is None:
                        rings = rings_of(ann)
                        if rings is None:
                            result["skipped"][ann.type] += 1
                            continue
                        box = extent(rings)
                    objects.append((ann.label, pixel_box(box, item.width, item.height),
                                    ann.attributes if isinstance(ann.attributes, dict) else None))
                    result["annotations"] += 1
                out.write_bytes(f"Annotations/{stem_path(item)}.xml", document(item, objects))
                listed.append(stem_path(item))
                if files is not None and item.sha256:
                    await out.write_stream(f"JPEGImages/{path_of(item)}", files(item))
            if progress is not None:
                await progress(len(page))
        out.write_bytes(f"ImageSets/Main/{split}.txt", ("\n".join(listed) + "\n" if listed else "").encode())
    result["skipped"] = dict(result["skipped"])
    return result


# --- import --------------------------------------------------------------------------------------------------

def _int(node: ET.Element | None, tag: str) -> float | None:
    if node is None:
        return None
    text = node.findtext(tag)
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def parse(archive: zipfile.ZipFile) -> Parsed:
    names = members(archive, lambda n: n.startswith("Annotations/") and n.endswith(".xml"))
    if not names:
        raise refuse("the archive holds no VOC file: expected Annotations/<name>.xml")
    found = Found()
    parsed = Parsed()
    labels: dict[str, InLabel] = {}
    all_files = set(archive.namelist())
    splits: dict[str, str] = {}
    for listing in members(archive, lambda n: n.startswith("ImageSets/Main/") and n.endswith(".txt")):
        split = posixpath.basename(listing)[:-4]
        with archive.open(listing) as f:
            for line in f.read().decode("utf-8", "replace").splitlines():
                if line.strip():
                    splits[line.strip().split()[0]] = split
    for name in names:
        try:
            with archive.open(name) as f:
                root = ET.parse(f).getroot()
        except ET.ParseError as exc:
            found.add(f"{name}: not valid XML ({exc})")
            continue
        stem = name[len("Annotations/"):-len(".xml")]
        filename = root.findtext("filename")
        if not filename or not filename.strip():
            found.add(f"{name}: filename: missing")
            continue
        folder = posixpath.dirname(stem)
        path = f"{folder}/{filename.strip()}" if folder else filename.strip()
        size = root.find("size")
        width, height = _int(size, "width"), _int(size, "height")
        member = next((c for c in (f"JPEGImages/{path}",) if c in all_files), None)
        if member is None:
            member = next((f"JPEGImages/{stem}{s}" for s in IMAGE_SUFFIXES if f"JPEGImages/{stem}{s}" in all_files),
                          None)
        split = splits.get(stem)
        item = InItem(path=path, where=name, file=member, split=None if split in (None, UNSPLIT) else split,
                      has_split=split is not None, width=int(width) if width else None,
                      height=int(height) if height else None)
        for i, obj in enumerate(root.findall("object")):
            at = f"{name}: object[{i}]"
            label = (obj.findtext("name") or "").strip()
            if not label:
                found.add(f"{at}.name: missing")
                continue
            box = obj.find("bndbox")
            values = [_int(box, t) for t in ("xmin", "ymin", "xmax", "ymax")]
            if box is None or any(v is None for v in values):
                found.add(f"{at}.bndbox: expected xmin, ymin, xmax and ymax as numbers")
                continue
            xmin, ymin, xmax, ymax = values
            if xmax < xmin or ymax < ymin:
                found.add(f"{at}.bndbox: xmax/ymax must not be less than xmin/ymin")
                continue
            labels.setdefault(label, InLabel(label))
            item.annotations.append(InAnnotation(AnnotationType.BOX, label,
                                                 [{"x": xmin - 1, "y": ymin - 1}, {"x": xmax, "y": ymax}], at))
        parsed.items.append(item)
    found.raise_if()
    parsed.labels = list(labels.values())
    return parsed
