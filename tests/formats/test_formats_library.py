"""Exports in COCO, YOLO, VOC and JSON read back by readers nobody here wrote (pycocotools, globox), the mistakes
other platforms' users report (each its own test), imports: all or nothing, errors naming the file and the entry,
and every export imported back giving the same boxes (within half a pixel) or, for JSON, the same graph."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import orjson
import pytest
import pytest_asyncio
import sqlalchemy as sa
from formats_world import IMAGES, LABELS, box, build_world, zip_names

from labelgraph.data import models as m
from labelgraph.data.formats import Source, export_dataset, import_archive, parse_format
from labelgraph.errors import Problems

pytestmark = pytest.mark.asyncio(loop_scope="module")
PG_URL = os.environ.get("LABELGRAPH_TEST_DATABASE_URL")
ITEM, ANNOTATION = m.Item.__table__, m.Annotation.__table__
SORTED = ["car", "person", "vehicle", "vehicle.truck"]  # "vehicle" came with "vehicle.truck"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(database_template, tmp_path_factory):
    async with build_world(database_template, PG_URL, tmp_path_factory.mktemp("formats")) as w:
        yield w


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("exports")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def coco(world, out):
    path, result = await world.export("COCO", out)
    with zipfile.ZipFile(path) as z:
        docs = {n: orjson.loads(z.read(n)) for n in z.namelist() if n.endswith(".json")}
    return path, result, docs


# --- COCO ----------------------------------------------------------------------------------------------------

async def test_coco_loads_in_pycocotools_with_counts_and_coordinates_of_the_source(coco, out):
    from pycocotools.coco import COCO

    path, result, docs = coco
    assert sorted(docs) == ["annotations/instances_default.json", "annotations/instances_train.json",
                            "annotations/instances_validation.json"]
    loaded = {}
    for name, doc in docs.items():
        file = out / name.replace("/", "_")
        file.write_bytes(orjson.dumps(doc))
        loaded[name] = COCO(str(file))
    train = loaded["annotations/instances_train.json"]
    assert len(train.getImgIds()) == 2 and len(train.getAnnIds()) == 4
    (a1,) = [i for i in train.loadImgs(train.getImgIds()) if i["file_name"] == "a/img1.png"]
    assert (a1["width"], a1["height"]) == (64, 48)
    car = train.getCatIds(catNms=["car"])[0]
    (ann,) = train.loadAnns(train.getAnnIds(imgIds=[a1["id"]], catIds=[car]))
    assert ann["bbox"] == [10.25, 5.5, 20.5, 14.625]  # float precision kept
    assert ann["attributes"] == {"color": "red"}
    validation = loaded["annotations/instances_validation.json"]
    assert len(validation.getAnnIds()) == 1  # the classification and the point are not COCO detections
    assert result["skipped"] == {"class": 1, "point": 1}
    assert sum(len(c.getAnnIds()) for c in loaded.values()) == result["annotations"] == 6


async def test_coco_category_and_annotation_ids_start_at_1_and_are_unique(coco):
    for doc in coco[2].values():
        assert [c["id"] for c in doc["categories"]] == [1, 2, 3, 4]
        assert [c["name"] for c in doc["categories"]] == SORTED  # the recipe's labels, sorted: stable
        ids = [a["id"] for a in doc["annotations"]]
        assert ids == list(range(1, len(ids) + 1))
        assert [i["id"] for i in doc["images"]] == list(range(1, len(doc["images"]) + 1))


async def test_coco_polygons_are_lists_of_rings_with_their_area_and_points_inside_the_bbox(coco):
    anns = [a for doc in coco[2].values() for a in doc["annotations"] if a["segmentation"]]
    assert len(anns) == 2
    square = next(a for a in anns if len(a["segmentation"]) == 1)
    assert square["segmentation"] == [[25.0, 5.0, 25.0, 25.0, 5.0, 25.0, 5.0, 5.0]]
    assert square["area"] == 400.0 and isinstance(square["area"], float)  # the polygon's, not its box's
    two = next(a for a in anns if len(a["segmentation"]) == 2)
    assert two["area"] == 50.0 + 100.0 and two["bbox"] == [0.0, 0.0, 30.0, 30.0]
    for a in anns:
        x, y, w, h = a["bbox"]
        for ring in a["segmentation"]:
            assert all(x <= px <= x + w for px in ring[0::2]) and all(y <= py <= y + h for py in ring[1::2])
        assert a["iscrowd"] == 0
    boxes = [a for doc in coco[2].values() for a in doc["annotations"] if not a["segmentation"]]
    assert all(a["area"] == a["bbox"][2] * a["bbox"][3] and a["iscrowd"] == 0 for a in boxes)


async def test_coco_image_ids_stay_unique_when_two_items_share_a_file_name(coco):
    (train,) = [d for n, d in coco[2].items() if n.endswith("train.json")]
    names = [i["file_name"] for i in train["images"]]
    assert sorted(names) == ["a/img1.png", "b/img1.png"]
    assert len({i["id"] for i in train["images"]}) == 2


async def test_an_empty_selection_gives_a_valid_empty_export(world, out):
    from pycocotools.coco import COCO

    path, result = await world.export("COCO", out, conditions=[sa.false()], name="empty.zip")
    assert result["images"] == 0 and zip_names(path) == ["annotations/instances_default.json"]
    with zipfile.ZipFile(path) as z:
        (out / "empty.json").write_bytes(z.read("annotations/instances_default.json"))
    loaded = COCO(str(out / "empty.json"))
    assert loaded.getImgIds() == [] and len(loaded.getCatIds()) == 4


async def test_an_unknown_format_is_a_clear_error(world, out):
    with pytest.raises(Problems, match="format must be one of COCO, YOLO, VOC, JSON, got 'TFRECORD'"):
        parse_format("TFRECORD")
    with pytest.raises(Problems, match="format must be one of"):
        async with world.db.read() as conn:
            await export_dataset(Source(conn, world.dataset_id), "CSV", out / "x.zip")


# --- YOLO ----------------------------------------------------------------------------------------------------

@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def yolo(world, out):
    path, result = await world.export("YOLO", out, with_files=True)
    root = out / "yolo"
    with zipfile.ZipFile(path) as z:
        z.extractall(root)
    return root, result


def label_lines(root: Path, rel: str) -> list[list[float]]:
    return [[float(v) for v in line.split()] for line in (root / rel).read_text().splitlines() if line]


def globox_yolo(root: Path, split: str, path: str, segments: bool):
    """One label file read by globox, the image's size read from the exported image by globox."""
    from globox import Annotation
    from globox.image_utils import get_image_size

    size = get_image_size(root / "images" / split / path)
    label = root / "labels" / split / (path.rsplit(".", 1)[0] + ".txt")
    if segments:
        return size, Annotation.from_yolo_seg(label, image_size=size)
    return size, Annotation.from_yolo_v5(label, image_size=size)


def ltrb(boxes) -> list[tuple]:
    return sorted((b.label, round(b.xmin, 3), round(b.ymin, 3), round(b.xmax, 3), round(b.ymax, 3)) for b in boxes)


async def test_yolo_loads_in_globox_with_the_source_boxes_normalized(yolo):
    root, result = yolo
    names = (root / "data.yaml").read_text()
    assert "names:\n" + "".join(f'  {i}: "{t}"\n' for i, t in enumerate(SORTED)) in names
    assert 'train: "images/train"' in names and 'val: "images/validation"' in names
    assert result["layout"] == "segment"  # it holds polygons: every line a segment, boxes as 4 points
    size, a1 = globox_yolo(root, "train", "a/img1.png", segments=True)
    assert size == (64, 48)
    car, person, truck = (str(SORTED.index(t)) for t in ("car", "person", "vehicle.truck"))
    assert ltrb(a1.boxes) == [(car, 10.25, 5.5, 30.75, 20.125), (person, 5, 5, 25, 25),
                              (truck, 0, 0, 64, 48)]  # the truck clipped to the image


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def yolo_detect(world, out):
    """A YOLO export without polygons (the items of /b and /c): a detection dataset, ``class cx cy w h``."""
    path, result = await world.export("YOLO", out, with_files=True, conditions=[ITEM.c.dir.in_(["/b", "/c"])],
                                      name="yolo-detect.zip")
    root = out / "yolo-detect"
    with zipfile.ZipFile(path) as z:
        z.extractall(root)
    return root, result


async def test_yolo_detection_boxes_load_in_globox_heights_normalized_by_height(yolo_detect):
    root, result = yolo_detect
    assert result["layout"] == "detect"
    size, wide = globox_yolo(root, "validation", "c/wide.png", segments=False)
    assert size == (80, 20)
    assert ltrb(wide.boxes) == [(str(SORTED.index("car")), 40, 2, 80, 18)]
    (line,) = label_lines(root, "labels/validation/c/wide.txt")  # 80 × 20: box 40,2 → 80,18
    assert line == [SORTED.index("car"), 0.75, 0.5, 0.5, 0.8]


async def test_yolo_coordinates_stay_within_0_and_1(yolo, yolo_detect):
    for root in (yolo[0], yolo_detect[0]):
        for path in root.glob("labels/**/*.txt"):
            for line in label_lines(root, str(path.relative_to(root))):
                assert all(0 <= v <= 1 for v in line[1:]), (path, line)


async def test_yolo_polygons_are_written_as_segments(yolo):
    root, result = yolo
    lines = label_lines(root, "labels/default/plain.txt")
    assert len(lines) == 2 and [len(line) for line in lines] == [7, 9]  # class + 3 and 4 points, not empty
    assert lines[0] == [SORTED.index("car"), 0.0, 0.0, 10 / 32, 0.0, 0.0, 10 / 32]
    assert result["skipped"] == {"class": 1, "point": 1}


async def test_yolo_class_indices_are_stable_across_exports(yolo, yolo_detect):
    def names(root):
        text = (root / "data.yaml").read_text()
        return text[text.index("names:"):]

    assert names(yolo[0]) == names(yolo_detect[0]) == "names:\n" + "".join(
        f'  {i}: "{t}"\n' for i, t in enumerate(SORTED))  # sorted tags, whatever the export holds
    (line,) = label_lines(yolo_detect[0], "labels/train/b/img1.txt")
    assert line[0] == SORTED.index("person")


# --- VOC -----------------------------------------------------------------------------------------------------

async def test_voc_loads_in_globox_with_1_based_pixel_coordinates(world, out):
    from globox import Annotation

    path, result = await world.export("VOC", out)
    root = out / "voc"
    with zipfile.ZipFile(path) as z:
        z.extractall(root)
    a1 = Annotation.from_pascal_voc(root / "Annotations/a/img1.xml")
    assert a1.image_size == (64, 48)
    boxes = {b.label: (b.xmin, b.ymin, b.xmax, b.ymax) for b in a1.boxes}
    assert boxes["car"] == (11, 7, 31, 20)  # round(10.25) + 1, round(5.5) + 1, round(30.75), round(20.125)
    assert boxes["vehicle.truck"] == (1, 1, 64, 48)  # clipped to the image, 1-based
    assert boxes["person"] == (6, 6, 25, 25)  # a polygon as the box of its extent
    assert (root / "ImageSets/Main/train.txt").read_text().split() == ["a/img1", "b/img1"]
    assert len(list(root.glob("Annotations/**/*.xml"))) == len(IMAGES)
    assert result["annotations"] == 6 and result["skipped"] == {"class": 1, "point": 1}


# --- imports -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["COCO", "YOLO", "VOC"])
async def test_each_export_imported_back_gives_the_same_boxes_within_half_a_pixel(world, out, fmt):
    path, _ = await world.export(fmt, out, with_files=True, name=f"{fmt}-files.zip")
    target = await world.dataset(f"back-{fmt}")
    result = await import_archive(world.db, None, world.content, target, fmt, path, create_missing_labels=True)
    assert result["itemsCreated"] == len(IMAGES)
    source, back = await world.boxes(world.dataset_id), await world.boxes(target)
    if fmt == "VOC":  # polygons come back as the boxes of their extent
        assert back.pop("plain.png") == [("car", 0, 0, 30, 30)]
        assert ("person", 5, 5, 25, 25) in back["a/img1.png"]
        back["a/img1.png"].remove(("person", 5, 5, 25, 25))
    assert sorted(source) == sorted(back)
    sizes = {f"{d.strip('/')}/{n}".lstrip("/"): (w, h) for d, n, w, h, _ in IMAGES}
    for path_, boxes in source.items():
        if fmt in ("YOLO", "VOC"):  # clipped to the image
            w, h = sizes[path_]
            boxes = sorted((b[0], max(b[1], 0), max(b[2], 0), min(b[3], w), min(b[4], h)) for b in boxes)
        assert len(back[path_]) == len(boxes)
        for want, got in zip(boxes, back[path_], strict=True):
            assert want[0] == got[0] and all(abs(w - g) <= 0.5 for w, g in zip(want[1:], got[1:], strict=True)), \
                (fmt, path_, want, got)
    item = m.Item.__table__
    async with world.db.read() as conn:
        splits = dict((await conn.execute(sa.select(item.c.filename, item.c.split).where(
            item.c.dataset_id == target))).all())
    assert splits == {f"{d.rstrip('/')}/{n}": s for d, n, _, _, s in IMAGES}


async def test_json_export_imported_into_an_empty_dataset_gives_the_same_graph(world, out):
    path, _ = await world.export("JSON", out)
    target = await world.dataset("restored")
    await import_archive(world.db, None, world.content, target, "JSON", path, create_missing_labels=True)
    assert await graph(world, target) == await graph(world, world.dataset_id)
    again, _ = await world.export("JSON", out, dataset_id=target, name="again.zip")
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(again) as b:
        assert orjson.loads(a.read("labelgraph.json"))["labels"] == orjson.loads(b.read("labelgraph.json"))["labels"]


async def graph(world, dataset_id: str) -> list:
    async with world.db.read() as conn:
        items = (await conn.execute(sa.select(ITEM).where(ITEM.c.dataset_id == dataset_id))).mappings().all()
        anns = (await conn.execute(sa.select(ANNOTATION).where(ANNOTATION.c.dataset_id == dataset_id))
                ).mappings().all()
    by_id = {a["id"]: a for a in anns}

    def ann(a):
        parent = by_id.get(a["parent_id"])
        return (a["type"], a["label"], orjson.dumps(a["coordinates"], option=orjson.OPT_SORT_KEYS),
                orjson.dumps(a["attributes"], option=orjson.OPT_SORT_KEYS), a["status"], a["object_id"],
                a["frame"], a["end_frame"], a["automated"], a["description"],
                orjson.dumps(a["metadata"]["user"]), parent and (parent["type"], parent["label"]))

    return sorted((i["filename"], i["split"], i["hidden"], i["description"], i["width"], i["height"],
                   orjson.dumps(i["metadata"]["user"], option=orjson.OPT_SORT_KEYS),
                   sorted(ann(a) for a in anns if a["item_id"] == i["id"])) for i in items)


def coco_zip(out: Path, name: str, doc: dict) -> Path:
    path = out / name
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("annotations/instances_train.json", orjson.dumps(doc))
    return path


async def test_a_malformed_entry_fails_naming_the_file_and_entry_and_writes_nothing(world, out, coco):
    doc = orjson.loads(orjson.dumps(coco[2]["annotations/instances_train.json"]))
    doc["annotations"][1]["bbox"] = [1, 2, 3]
    target = await world.dataset("malformed")
    before = await world.count(ANNOTATION, world.dataset_id)
    with pytest.raises(Problems) as caught:
        await import_archive(world.db, None, world.content, world.dataset_id, "COCO",
                             coco_zip(out, "bad.zip", doc), create_missing_labels=True)
    assert str(caught.value) == "instances_train.json: annotations[1].bbox: expected 4 numbers [x, y, width, height]"
    assert await world.count(ANNOTATION, world.dataset_id) == before
    assert await world.count(ITEM, target) == 0


async def test_an_unknown_label_is_an_error_naming_it_unless_missing_labels_are_created(world, out, coco):
    doc = orjson.loads(orjson.dumps(coco[2]["annotations/instances_train.json"]))
    doc["categories"].append({"id": 9, "name": "bicycle"})
    doc["annotations"][0]["category_id"] = 9
    target = await world.dataset("labels")
    await world.add_labels(target, LABELS)
    item = m.Item.__table__
    async with world.db.transaction() as uow:
        await uow.conn.execute(sa.insert(item), [
            {"id": f"itm_lbl{n}", "project_id": world.project_id, "dataset_id": target, "name": "img1.png",
             "dir": d, "filename": f"{d}/img1.png", "width": 64, "height": 48, "metadata": {}}
            for n, d in enumerate(("/a", "/b"))])
    path = coco_zip(out, "bicycle.zip", doc)
    with pytest.raises(Problems, match="instances_train.json: annotations\\[0\\]: label 'bicycle' is not in the "
                       "dataset's recipe"):
        await import_archive(world.db, None, world.content, target, "COCO", path)
    assert await world.count(ANNOTATION, target) == 0
    result = await import_archive(world.db, None, world.content, target, "COCO", path, create_missing_labels=True)
    assert result["labelsCreated"] == ["bicycle"] and result["itemsMatched"] == 2 and result["annotations"] == 4
    with pytest.raises(Problems, match="instances_train.json: images\\[0\\]: 2 items of the dataset are named "
                       "'img1.png'; match them by FILENAME"):
        await import_archive(world.db, None, world.content, target, "COCO", path, match_by="NAME")
    assert await world.count(ANNOTATION, target) == 4


async def test_paths_leaving_the_dataset_and_entity_declarations_are_refused(world, out):
    target = await world.dataset("hostile")
    path = out / "hostile.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("labelgraph.json", orjson.dumps({"format": "labelgraph", "version": 1, "labels": []}))
        z.writestr("items.jsonl", orjson.dumps({"path": "../../etc/passwd.png", "annotations": []}) + b"\n")
    with pytest.raises(Problems, match=r"items.jsonl: line 1: '../../etc/passwd.png': dir must not contain"):
        await import_archive(world.db, None, world.content, target, "JSON", path)
    voc = out / "entities.zip"
    with zipfile.ZipFile(voc, "w") as z:
        z.writestr("Annotations/x.xml", '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><annotation>'
                   "<filename>x.png</filename></annotation>")
    with pytest.raises(Problems, match="Annotations/x.xml: a document type or entity declaration is not allowed"):
        await import_archive(world.db, None, world.content, target, "VOC", voc)
    assert await world.count(ITEM, target) == 0


async def test_an_import_emits_one_event_per_item_not_per_annotation_and_keeps_the_counters(world, out, coco):
    from labelgraph.events.models import OutboxEvent

    outbox, dataset = OutboxEvent.__table__, m.Dataset.__table__
    doc = orjson.loads(orjson.dumps(coco[2]["annotations/instances_train.json"]))
    target = await world.dataset("events")
    await world.add_labels(target, LABELS)
    async with world.db.transaction() as uow:
        await uow.conn.execute(sa.insert(ITEM), [
            {"id": f"itm_evt{n}", "project_id": world.project_id, "dataset_id": target, "name": "img1.png",
             "dir": d, "filename": f"{d}/img1.png", "width": 64, "height": 48, "metadata": {}}
            for n, d in enumerate(("/a", "/b"))])
    result = await import_archive(world.db, None, world.content, target, "COCO", coco_zip(out, "events.zip", doc))
    assert result["itemsMatched"] == 2 and result["annotations"] == 4
    async with world.db.read() as conn:
        events = (await conn.execute(sa.select(outbox.c.resource, outbox.c.action, outbox.c.entity_id,
                                               outbox.c.payload).where(outbox.c.entity_id.like("itm_evt%")))).all()
        ann_events = (await conn.execute(sa.select(sa.func.count()).select_from(outbox).where(
            outbox.c.resource == "annotation", outbox.c.entity_id.in_(
                sa.select(ANNOTATION.c.id).where(ANNOTATION.c.dataset_id == target))))).scalar()
        counts = dict((await conn.execute(sa.select(ITEM.c.id, ITEM.c.annotations_count).where(
            ITEM.c.dataset_id == target))).all())
        annotated = (await conn.execute(sa.select(dataset.c.annotated_count).where(dataset.c.id == target))).scalar()
    assert sorted((e.resource, e.action, e.entity_id) for e in events) == [
        ("item", "updated", "itm_evt0"), ("item", "updated", "itm_evt1")]
    assert all(e.payload["datasetId"] == target and e.payload["annotated"] is True for e in events)
    assert ann_events == 0
    assert sum(counts.values()) == 4 and all(counts.values()) and annotated == 2


async def test_json_parent_links_are_written_parents_first_and_a_cycle_is_refused(world, out):
    target = await world.dataset("parents")

    def archive(name, anns):
        path = out / name
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("labelgraph.json", orjson.dumps({"format": "labelgraph", "version": 1, "labels": []}))
            z.writestr("items.jsonl", orjson.dumps({"path": f"{name}.png", "width": 10, "height": 10,
                                                    "annotations": anns}) + b"\n")
        return path

    def ann(id_, parent):
        return {"id": id_, "parentId": parent, "type": "box", "label": "car", "coordinates": box(1, 1, 5, 5)}

    with pytest.raises(Problems, match=r"line 1: annotations\[0\].parentId: the parent links form a cycle"):
        await import_archive(world.db, None, world.content, target, "JSON",
                             archive("cycle", [ann("a", "b"), ann("b", "a")]), create_missing_labels=True)
    assert await world.count(ITEM, target) == 0
    await import_archive(world.db, None, world.content, target, "JSON",
                         archive("chain", [ann("c", "b"), ann("b", "a"), ann("a", None)]), create_missing_labels=True)
    async with world.db.read() as conn:
        rows = (await conn.execute(sa.select(ANNOTATION.c.id, ANNOTATION.c.parent_id).where(
            ANNOTATION.c.dataset_id == target))).all()
    parents = dict(rows)
    roots = [i for i, p in parents.items() if p is None]
    assert len(rows) == 3 and len(roots) == 1
    child = next(i for i, p in parents.items() if p == roots[0])
    assert next(i for i, p in parents.items() if p == child)


async def test_a_large_json_import_streams_keeps_links_counters_and_one_event_per_item(world, out):
    """1,200 new items with a parent and a child annotation each: over the write chunk (children written after
    their parents across chunks) and over the item count whose events are written set-based (COPY / one
    executemany, published by the sweep)."""
    from labelgraph.data.formats.importing import EVENTS_DIRECT, WRITE_CHUNK
    from labelgraph.events.models import OutboxEvent

    n = 1200
    assert n > EVENTS_DIRECT and 2 * n > WRITE_CHUNK
    outbox, dataset = OutboxEvent.__table__, m.Dataset.__table__
    target = await world.dataset("large")
    path = out / "large.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("labelgraph.json", orjson.dumps({"format": "labelgraph", "version": 1, "labels": []}))
        z.writestr("items.jsonl", b"".join(orjson.dumps({
            "path": f"big/{k:05}.png", "width": 10, "height": 10, "split": "train" if k % 2 else None,
            "annotations": [{"id": "c", "parentId": "p", "type": "box", "label": "car", "coordinates": box(2, 2, 3, 3)},
                            {"id": "p", "type": "box", "label": "car", "coordinates": box(1, 1, 5, 5)}]}) + b"\n"
            for k in range(n)))
    result = await import_archive(world.db, None, world.content, target, "JSON", path, create_missing_labels=True)
    assert result["itemsCreated"] == n and result["annotations"] == 2 * n
    async with world.db.read() as conn:
        items = (await conn.execute(sa.select(ITEM.c.id, ITEM.c.annotations_count, ITEM.c.annotated, ITEM.c.split)
                                    .where(ITEM.c.dataset_id == target))).all()
        links = (await conn.execute(sa.select(ANNOTATION.c.item_id, ANNOTATION.c.parent_id).where(
            ANNOTATION.c.dataset_id == target))).all()
        parent_item = dict((await conn.execute(sa.select(ANNOTATION.c.id, ANNOTATION.c.item_id).where(
            ANNOTATION.c.dataset_id == target, ANNOTATION.c.parent_id.is_(None)))).all())
        events = (await conn.execute(sa.select(outbox.c.action, outbox.c.payload).where(
            outbox.c.resource == "item", outbox.c.entity_id.in_([i.id for i in items])))).all()
        counters = (await conn.execute(sa.select(dataset.c.items_count, dataset.c.annotated_count).where(
            dataset.c.id == target))).one()
    assert len(items) == n and all(i.annotations_count == 2 and i.annotated for i in items)
    assert sum(i.split == "train" for i in items) == n // 2
    children = [lk for lk in links if lk.parent_id is not None]
    assert len(children) == n and all(parent_item[c.parent_id] == c.item_id for c in children)
    assert len(events) == n and {e.action for e in events} == {"created"}
    assert all(e.payload["datasetId"] == target and e.payload["annotated"] is True for e in events)
    assert tuple(counters) == (n, n)


async def test_a_bad_entry_found_after_chunks_were_written_still_writes_nothing(world, out):
    """Attributes are checked while the rows are written (the second pass): a bad one in the last item, after
    two chunks went out, rolls the whole import back and names the line and the annotation."""
    n = 1200
    target = await world.dataset("late failure")
    path = out / "late.zip"

    def entry(k):
        attributes = 5 if k == n - 1 else {"occluded": False}
        return {"path": f"late/{k:05}.png", "width": 10, "height": 10, "annotations": [
            {"type": "box", "label": "car", "coordinates": box(1, 1, 5, 5), "attributes": attributes}] * 2}

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("labelgraph.json", orjson.dumps({"format": "labelgraph", "version": 1, "labels": []}))
        z.writestr("items.jsonl", b"".join(orjson.dumps(entry(k)) + b"\n" for k in range(n)))
    with pytest.raises(Problems, match=rf"items.jsonl: line {n}: annotations\[0\]: attributes must be an object"):
        await import_archive(world.db, None, world.content, target, "JSON", path, create_missing_labels=True)
    assert await world.count(ITEM, target) == 0 and await world.count(ANNOTATION, target) == 0


async def test_the_json_first_pass_names_every_bad_entry_and_accepts_every_valid_shape(world, out):
    """The first pass settles the common shapes without building annotations and sends the rest to the full
    checks: each kind of bad entry is still named (nothing written), and valid shapes off the common path (a box
    with an angle or a null z, a point with z, rings, a classification, strings with spaces) are imported."""
    target = await world.dataset("first pass")

    def archive(name, anns):
        path = out / f"{name}.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("labelgraph.json", orjson.dumps({"format": "labelgraph", "version": 1, "labels": []}))
            z.writestr("items.jsonl", orjson.dumps({"path": f"{name}.png", "width": 10, "height": 10,
                                                    "annotations": anns}) + b"\n")
        return path

    good = {"type": "box", "label": "car", "coordinates": box(1, 1, 5, 5)}
    bad = [
        ({**good, "coordinates": [{"x": 1, "y": True}, {"x": 5, "y": 5}]}, r"annotations\[1\].coordinates: "
         r"coordinates of a BOX annotation must be"),
        ({**good, "type": ["box"]}, r"annotations\[1\].type: \['box'\] is not an annotation type"),
        ({**good, "label": "  "}, r"annotations\[1\].label: expected a non-empty string"),
        ({**good, "frame": True}, r"annotations\[1\].frame: expected int"),
        ({**good, "status": 3}, r"annotations\[1\].status: expected str"),
        ({**good, "parentId": "nobody"}, r"annotations\[1\].parentId: no annotation 'nobody' on this item"),
        ({**good, "type": "segment", "coordinates": [[{"x": 1, "y": 1}, {"x": 2, "y": 2}]]},
         r"annotations\[1\].coordinates: coordinates of a POLYGON annotation must be"),
        ("not an object", r"annotations\[1\]: expected an object"),
    ]
    for k, (entry, message) in enumerate(bad):
        with pytest.raises(Problems, match=r"items.jsonl: line 1: " + message):
            await import_archive(world.db, None, world.content, target, "JSON", archive(f"bad{k}", [good, entry]),
                                 create_missing_labels=True)
    assert await world.count(ITEM, target) == 0 and await world.count(ANNOTATION, target) == 0
    shapes = [
        good,
        {**good, "label": " car ", "frame": 2, "endFrame": 4, "status": "issue", "objectId": "7", "id": "p"},
        {**good, "coordinates": [*box(1, 1, 5, 5), {"angle": 30}], "parentId": "p"},
        {**good, "coordinates": [{"x": 1, "y": 1, "z": None}, {"x": 5.5, "y": 5}]},
        {"type": "point", "label": "person", "coordinates": {"x": 1, "y": 2, "z": 3}},
        {"type": "segment", "label": "person", "coordinates": [[{"x": 1, "y": 1}, {"x": 4, "y": 1}, {"x": 4, "y": 4}]]},
        {"type": "class", "label": "vehicle", "coordinates": []},
    ]
    result = await import_archive(world.db, None, world.content, target, "JSON", archive("shapes", shapes),
                                  create_missing_labels=True)
    assert result["annotations"] == len(shapes)
    async with world.db.read() as conn:
        rows = (await conn.execute(sa.select(ANNOTATION.c.type, ANNOTATION.c.label, ANNOTATION.c.coordinates,
                                             ANNOTATION.c.frame, ANNOTATION.c.parent_id).where(
            ANNOTATION.c.dataset_id == target))).all()
    assert sorted(r.type for r in rows) == sorted(s["type"] for s in shapes)
    assert {r.label for r in rows} == {"car", "person", "vehicle"}
    assert sum(r.parent_id is not None for r in rows) == 1 and {r.frame for r in rows} == {None, 2}
    assert [r.coordinates for r in rows if r.type == "point"] == [{"x": 1, "y": 2, "z": 3}]


async def test_deleting_an_imported_dataset_deletes_its_annotations(world, out):
    """annotation has no foreign key to dataset or project on PostgreSQL (0013_import4): deleting the dataset
    still deletes its annotations, through their items."""
    from labelgraph.data.commands import Delete
    from labelgraph.data.service.datasets import delete_dataset

    target = await world.dataset("deleted after import")
    path = out / "deleted.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("labelgraph.json", orjson.dumps({"format": "labelgraph", "version": 1, "labels": []}))
        z.writestr("items.jsonl", b"".join(orjson.dumps({"path": f"gone/{k}.png", "width": 10, "height": 10,
                                                         "annotations": [{"type": "box", "label": "car",
                                                                          "coordinates": box(1, 1, 5, 5)}] * 3})
                                           + b"\n" for k in range(4)))
    await import_archive(world.db, None, world.content, target, "JSON", path, create_missing_labels=True)
    assert await world.count(ANNOTATION, target) == 12
    async with world.db.transaction() as uow:
        await delete_dataset(uow, Delete(id=target, confirm=True))
    assert await world.count(ITEM, target) == 0 and await world.count(ANNOTATION, target) == 0
