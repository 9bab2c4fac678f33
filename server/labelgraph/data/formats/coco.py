"""COCO (object detection): ``annotations/instances_<split>.json`` per split (``instances_default.json`` for items
without a split), the images under ``images/<path>`` with ``includeFiles``.

Images get ids 1… per file and ``file_name`` is the item's path in the dataset (``cars/a.jpg``): two items of the
same name in different folders stay apart. Categories are the recipe's labels sorted by tag, ids from 1 (stable
whatever the filter). Boxes: ``bbox`` [x, y, w, h] floats, ``area`` w·h, ``segmentation`` []. Polygons:
``segmentation`` [[x1, y1, …]] per ring, ``bbox`` their extent, ``area`` the shoelace area of the rings.
Annotation ids 1… unique across the file, ``iscrowd`` 0. Other annotation types are not part of COCO detection
and are counted in the result's ``skipped``."""

from __future__ import annotations

import posixpath
import zipfile
from collections import Counter
from typing import Any

import orjson

from labelgraph.data.commands import AnnotationType
from labelgraph.data.formats.common import (
    UNSPLIT,
    Found,
    InAnnotation,
    InItem,
    InLabel,
    Parsed,
    Source,
    Spool,
    ZipOut,
    box_of,
    extent,
    is_number,
    members,
    path_of,
    read_json,
    refuse,
    rings_of,
    shoelace,
)


def categories_of(labels: list[Any]) -> list[dict[str, Any]]:
    return [{"id": i, "name": label.tag, "supercategory": label.tag.rsplit(".", 1)[0] if "." in label.tag else ""}
            for i, label in enumerate(labels, 1)]


def annotation_of(ann: Any, ann_id: int, image_id: int, category_id: int) -> dict[str, Any] | None:
    box = box_of(ann)
    if box is not None:
        x1, y1, x2, y2 = box
        w, h = x2 - x1, y2 - y1
        out = {"id": ann_id, "image_id": image_id, "category_id": category_id, "bbox": [x1, y1, w, h],
               "area": float(w * h), "segmentation": [], "iscrowd": 0}
    else:
        rings = rings_of(ann)
        if rings is None:
            return None
        x1, y1, x2, y2 = extent(rings)
        out = {"id": ann_id, "image_id": image_id, "category_id": category_id,
               "bbox": [x1, y1, x2 - x1, y2 - y1], "area": float(sum(shoelace(r) for r in rings)),
               "segmentation": [[c for p in ring for c in p] for ring in rings], "iscrowd": 0}
    if ann.attributes:
        out["attributes"] = ann.attributes
    return out


async def export(source: Source, out: ZipOut, files=None, progress=None) -> dict[str, Any]:
    labels = await source.labels()
    categories = categories_of(labels)
    category_ids = {c["name"]: c["id"] for c in categories}
    result: dict[str, Any] = {"images": 0, "annotations": 0, "skipped": Counter(), "files": []}
    for split in await source.split_names() or [UNSPLIT]:
        images, anns = Spool(), Spool()
        image_id = ann_id = 0
        try:
            async for page in source.pages(split):
                for item, rows in page:
                    image_id += 1
                    images.add({"id": image_id, "file_name": path_of(item), "width": item.width or 0,
                                "height": item.height or 0})
                    for ann in rows:
                        entry = annotation_of(ann, ann_id + 1, image_id, category_ids[ann.label])
                        if entry is None:
                            result["skipped"][ann.type] += 1
                            continue
                        ann_id += 1
                        anns.add(entry)
                    if files is not None and item.sha256:
                        await out.write_stream(f"images/{path_of(item)}", files(item))
                if progress is not None:
                    await progress(len(page))
            name = f"annotations/instances_{split}.json"
            with out.member(name) as f:
                f.write(b'{"info":{"description":"labelgraph export","version":"1.0"},"licenses":[],"images":[')
                images.copy_to(f)
                f.write(b'],"categories":' + orjson.dumps(categories) + b',"annotations":[')
                anns.copy_to(f)
                f.write(b"]}")
            result["files"].append(name)
            result["images"] += image_id
            result["annotations"] += ann_id
        finally:
            images.close()
            anns.close()
    result["skipped"] = dict(result["skipped"])
    return result


# --- import --------------------------------------------------------------------------------------------------

def _split_of(name: str) -> str | None:
    base = posixpath.basename(name)
    stem = base[:-5] if base.endswith(".json") else base
    for prefix in ("instances_", "annotations_"):
        if stem.startswith(prefix) and len(stem) > len(prefix):
            split = stem[len(prefix):]
            return None if split == UNSPLIT else split
    return None


def parse(archive: zipfile.ZipFile) -> Parsed:
    names = members(archive, lambda n: n.endswith(".json") and (n.startswith("annotations/") or "/" not in n))
    if not names:
        raise refuse("the archive holds no COCO file: expected annotations/instances_<split>.json")
    found = Found()
    parsed = Parsed()
    files = set(archive.namelist())
    labels: dict[str, InLabel] = {}
    for name in names:
        doc = read_json(archive, name)
        where = posixpath.basename(name)
        if not isinstance(doc, dict):
            found.add(f"{where}: expected a JSON object with images, categories and annotations")
            continue
        lists = {}
        for key in ("images", "categories", "annotations"):
            value = doc.get(key, [])
            if not isinstance(value, list):
                found.add(f"{where}: {key}: expected a list")
                value = []
            lists[key] = value
        categories: dict[Any, str] = {}
        for i, c in enumerate(lists["categories"]):
            at = f"{where}: categories[{i}]"
            if not isinstance(c, dict) or not isinstance(c.get("id"), int) or isinstance(c.get("id"), bool):
                found.add(f"{at}.id: expected an integer")
            elif not isinstance(c.get("name"), str) or not c["name"].strip():
                found.add(f"{at}.name: expected a non-empty string")
            else:
                categories[c["id"]] = c["name"].strip()
                labels.setdefault(c["name"].strip(), InLabel(c["name"].strip()))
        images: dict[Any, InItem] = {}
        split = _split_of(name)
        for i, img in enumerate(lists["images"]):
            at = f"{where}: images[{i}]"
            if not isinstance(img, dict) or not isinstance(img.get("id"), int | str) or isinstance(img.get("id"), bool):
                found.add(f"{at}.id: expected an integer")
                continue
            file_name = img.get("file_name")
            if not isinstance(file_name, str) or not file_name.strip("/ "):
                found.add(f"{at}.file_name: expected a non-empty string")
                continue
            if img["id"] in images:
                found.add(f"{at}.id: image id {img['id']} appears twice")
                continue
            size = []
            for key in ("width", "height"):
                v = img.get(key)
                if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
                    found.add(f"{at}.{key}: expected a whole number of pixels")
                    v = None
                size.append(v or None)
            path = file_name.strip("/")
            member = next((c for c in (f"images/{path}", f"images/{split or UNSPLIT}/{path}", path)
                           if c in files), None)
            item = InItem(path=path, where=at, file=member, split=split, has_split=True, width=size[0],
                          height=size[1])
            images[img["id"]] = item
            parsed.items.append(item)
        for i, a in enumerate(lists["annotations"]):
            at = f"{where}: annotations[{i}]"
            if not isinstance(a, dict):
                found.add(f"{at}: expected an object")
                continue
            item = images.get(a.get("image_id"))
            if item is None:
                found.add(f"{at}.image_id: no image with id {a.get('image_id')!r} in this file")
                continue
            label = categories.get(a.get("category_id"))
            if label is None:
                found.add(f"{at}.category_id: no category with id {a.get('category_id')!r} in this file")
                continue
            bbox = a.get("bbox")
            if not (isinstance(bbox, list) and len(bbox) == 4 and all(is_number(v) for v in bbox)):
                found.add(f"{at}.bbox: expected 4 numbers [x, y, width, height]")
                continue
            if bbox[2] < 0 or bbox[3] < 0:
                found.add(f"{at}.bbox: width and height must not be negative")
                continue
            seg = a.get("segmentation")
            attributes = a.get("attributes")
            if attributes is not None and not isinstance(attributes, dict):
                found.add(f"{at}.attributes: expected an object")
                continue
            if isinstance(seg, list) and seg:
                rings = []
                for r, ring in enumerate(seg):
                    if not (isinstance(ring, list) and len(ring) >= 6 and len(ring) % 2 == 0
                            and all(is_number(v) for v in ring)):
                        found.add(f"{at}.segmentation[{r}]: expected a polygon [x1, y1, x2, y2, …] of at least "
                                  "3 points")
                        rings = None
                        break
                    rings.append([{"x": ring[k], "y": ring[k + 1]} for k in range(0, len(ring), 2)])
                if rings is None:
                    continue
                item.annotations.append(InAnnotation(AnnotationType.POLYGON, label, rings, at,
                                                     attributes=attributes))
            else:  # a box (an RLE mask comes in as its box)
                x, y, w, h = (float(v) for v in bbox)
                item.annotations.append(InAnnotation(AnnotationType.BOX, label,
                                                     [{"x": x, "y": y}, {"x": x + w, "y": y + h}], at,
                                                     attributes=attributes))
    found.raise_if()
    parsed.labels = list(labels.values())
    return parsed
