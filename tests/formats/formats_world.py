"""A small dataset for the format tests, built once per module through the services: four images with content
(two of the same name in different folders, a non-square one), labels in the recipe, boxes (one reaching out of
its image), polygons, a point whose parent is a box, a classification, attributes and splits."""

from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PIL import Image
from support import empty_tables

from labelgraph.columns import utcnow
from labelgraph.data import content as content_mod
from labelgraph.data import models as m
from labelgraph.data.commands import AnnotationCreate, AnnotationsCreate, AnnotationType, DatasetCreate, ProjectCreate
from labelgraph.data.content import ContentItem, create_content_items, probe_spooled, store_many
from labelgraph.data.formats import Source, export_dataset
from labelgraph.data.service import create_annotations, create_dataset, create_project
from labelgraph.db import Database
from labelgraph.ids import new_id
from labelgraph.ontology.commands import NewLabel
from labelgraph.ontology.models import RecipeOntology
from labelgraph.ontology.service.labels import add_new_labels
from labelgraph.settings import Settings
from labelgraph.storage.store import blob_key

LABELS = ["person", "car", "vehicle.truck"]
# (dir, name, width, height, split)
IMAGES = [("/a", "img1.png", 64, 48, "train"), ("/b", "img1.png", 64, 48, "train"),
          ("/c", "wide.png", 80, 20, "validation"), ("/", "plain.png", 32, 32, None)]


def png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def box(x1, y1, x2, y2):
    return [{"x": x1, "y": y1}, {"x": x2, "y": y2}]


@dataclass
class World:
    db: Database
    content: Any
    project_id: str
    dataset_id: str
    items: dict[str, str] = field(default_factory=dict)  # path → id
    root: Path | None = None

    def files(self, item):
        return self.content.storage.read(blob_key(item.sha256))

    async def export(self, fmt, tmp: Path, dataset_id: str | None = None, conditions=(), splits=None,
                     with_files=False, name: str | None = None) -> tuple[Path, dict]:
        target = tmp / (name or f"{fmt}.zip")
        async with self.db.read() as conn:
            result = await export_dataset(Source(conn, dataset_id or self.dataset_id, list(conditions), splits),
                                          fmt, target, files=self.files if with_files else None)
        return target, result

    async def dataset(self, name: str) -> str:
        async with self.db.transaction() as uow:
            return await create_dataset(uow, DatasetCreate(project_id=self.project_id, name=name))

    async def count(self, table, dataset_id: str) -> int:
        async with self.db.read() as conn:
            return (await conn.execute(sa.select(sa.func.count()).select_from(table).where(
                table.c.dataset_id == dataset_id))).scalar()

    async def boxes(self, dataset_id: str) -> dict[str, list[tuple]]:
        """path → sorted (label, x1, y1, x2, y2) of the dataset's boxes."""
        item, ann = m.Item.__table__, m.Annotation.__table__
        async with self.db.read() as conn:
            rows = (await conn.execute(sa.select(item.c.filename, ann.c.label, ann.c.coordinates).join(
                ann, ann.c.item_id == item.c.id).where(item.c.dataset_id == dataset_id,
                                                       ann.c.type == "box"))).all()
        out: dict[str, list[tuple]] = {}
        for r in rows:
            (p, q) = r.coordinates
            out.setdefault(r.filename.lstrip("/"), []).append((r.label, p["x"], p["y"], q["x"], q["y"]))
        return {k: sorted(v) for k, v in out.items()}


@contextlib.asynccontextmanager
async def build_world(database_template, pg_url: str | None, root: Path):
    if pg_url:
        url = database_template
    else:
        path = root / "labelgraph.db"
        shutil.copyfile(database_template, path)
        url = f"sqlite:///{path}"
    settings = Settings(data_dir=root / "data", database_url=url)
    db = Database(settings.database_url)
    content = content_mod.services({}, settings)
    try:
        async with db.transaction() as uow:
            org = new_id("org")
            now = utcnow()
            await uow.conn.execute(sa.insert(m.Organization.__table__).values(
                id=org, name="Formats", plan="freemium", created_at=now, updated_at=now))
            project = await create_project(uow, ProjectCreate(organization_id=org, name="formats"))
            dataset = await create_dataset(uow, DatasetCreate(project_id=project, name="source"))
        world = World(db, content, project, dataset, root=root)
        await world.add_labels(dataset, LABELS)
        received = []
        for _dir, _name, w, h, _ in IMAGES:
            data = png(w, h)

            async def chunks(data=data):
                yield data

            spooled = await content.storage.spool(chunks(), 10**6)
            received.append((spooled, await probe_spooled(spooled)))
        await store_many(db, content, received)
        async with db.transaction() as uow:
            ids = await create_content_items(uow, dataset, [
                ContentItem(name=name, dir=dir_, stored=stored, metadata={"camera": i})
                for i, ((dir_, name, *_), (_, stored)) in enumerate(zip(IMAGES, received, strict=True))],
                overwrite=False)
            item = m.Item.__table__
            for (dir_, name, *_, split), id_ in zip(IMAGES, ids, strict=True):
                world.items[f"{dir_.strip('/')}/{name}".lstrip("/")] = id_
                await uow.conn.execute(sa.update(item).where(item.c.id == id_).values(split=split))
            a1, b1, wide, plain = ids
            B, P = AnnotationType.BOX, AnnotationType.POLYGON
            first = await create_annotations(uow, AnnotationsCreate(limit=100, annotations=[
                AnnotationCreate(item_id=a1, type=B, label="car", coordinates=box(10.25, 5.5, 30.75, 20.125),
                                 attributes={"color": "red"}),
                AnnotationCreate(item_id=a1, type=P, label="person",
                                 coordinates=[[{"x": 25, "y": 5}, {"x": 25, "y": 25}, {"x": 5, "y": 25},
                                               {"x": 5, "y": 5}]]),
                AnnotationCreate(item_id=a1, type=B, label="vehicle.truck", coordinates=box(-5, -4, 70, 50)),
                AnnotationCreate(item_id=b1, type=B, label="person", coordinates=box(1, 2, 3.5, 40)),
                AnnotationCreate(item_id=wide, type=B, label="car", coordinates=box(40, 2, 80, 18),
                                 status="approved", object_id="7", frame=0, metadata={"by": "test"}),
                AnnotationCreate(item_id=wide, type=AnnotationType.CLASSIFICATION, label="car", coordinates=[]),
                AnnotationCreate(item_id=plain, type=P, label="car", coordinates=[
                    [{"x": 0, "y": 0}, {"x": 10, "y": 0}, {"x": 0, "y": 10}],
                    [{"x": 30, "y": 20}, {"x": 30, "y": 30}, {"x": 20, "y": 30}, {"x": 20, "y": 20}]]),
            ]))
            await create_annotations(uow, AnnotationsCreate(limit=10, annotations=[
                AnnotationCreate(item_id=wide, type=AnnotationType.POINT, label="car", coordinates={"x": 50, "y": 9},
                                 parent_id=first[4])]))
        yield world
    finally:
        await db.dispose()
        if pg_url:
            await empty_tables(url)


async def _add_labels(self: World, dataset_id: str, tags: list[str]) -> None:
    dataset, link = m.Dataset.__table__, RecipeOntology.__table__
    async with self.db.transaction() as uow:
        recipe = (await uow.conn.execute(sa.select(dataset.c.recipe_id).where(dataset.c.id == dataset_id))).scalar()
        onto = (await uow.conn.execute(sa.select(link.c.ontology_id).where(link.c.recipe_id == recipe))).scalar()
        await add_new_labels(uow, onto, [NewLabel(tag=t) for t in tags])


World.add_labels = _add_labels


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return sorted(z.namelist())
