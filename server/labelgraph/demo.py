"""``labelgraph demo``: load a small sample organization into a running gateway, through its GraphQL API.

It draws a few hundred small JPEGs with Pillow (circles, squares and triangles on a plain background), uploads
them with the client's ``upload_files`` (as a user would: small files go in multipart ``itemsUpload`` batches)
and adds, per image, a BOX annotation around every shape (labelled with the shape) and a CLASSIFICATION with its
largest shape. In GraphiQL the items' ``url`` and ``thumbnailUrl`` open in a browser.
"""

from __future__ import annotations

import os
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

SHAPES = ["circle", "square", "triangle"]
SIZE = (320, 240)


class DemoError(RuntimeError):
    pass


@dataclass
class Shape:
    kind: str
    box: tuple[int, int, int, int]  # left, top, right, bottom (pixels, inclusive of the drawing)


def _token(data_dir: Path) -> str | None:
    if os.environ.get("LABELGRAPH_TOKEN"):
        return os.environ["LABELGRAPH_TOKEN"]
    path = data_dir / "admin-token"
    return path.read_text().strip() if path.exists() else None


def draw_image(path: Path, rng: random.Random) -> list[Shape]:
    """A JPEG at ``path`` with 1-3 shapes that do not overlap; returns them with their bounding boxes."""
    from PIL import Image, ImageDraw

    w, h = SIZE
    image = Image.new("RGB", SIZE, tuple(rng.randint(170, 240) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    shapes: list[Shape] = []
    for _ in range(rng.randint(1, 3)):
        for _attempt in range(20):
            side = rng.randint(30, 90)
            x, y = rng.randint(0, w - side - 1), rng.randint(0, h - side - 1)
            box = (x, y, x + side, y + side)
            if all(box[2] < s.box[0] or box[0] > s.box[2] or box[3] < s.box[1] or box[1] > s.box[3] for s in shapes):
                break
        else:
            continue
        kind = rng.choice(SHAPES)
        color = tuple(rng.randint(0, 120) for _ in range(3))
        if kind == "circle":
            draw.ellipse(box, fill=color)
        elif kind == "square":
            draw.rectangle(box, fill=color)
        else:
            draw.polygon([(box[0], box[3]), (box[2], box[3]), ((box[0] + box[2]) // 2, box[1])], fill=color)
        shapes.append(Shape(kind, box))
    image.save(path, "JPEG", quality=85)
    return shapes


def _annotations(item_id: str, shapes: list[Shape]) -> list[dict]:
    largest = max(shapes, key=lambda s: (s.box[2] - s.box[0]))
    out = [{"itemId": item_id, "type": "CLASSIFICATION", "label": largest.kind, "coordinates": []}]
    out += [{"itemId": item_id, "type": "BOX", "label": s.kind,
             "coordinates": [{"x": s.box[0], "y": s.box[1]}, {"x": s.box[2], "y": s.box[3]}]} for s in shapes]
    return out


async def load_demo(url: str, items_per_dataset: int = 150, data_dir: Path = Path(".labelgraph"),
                    progress: bool = False) -> str:
    from labelgraph_client import Client, LabelgraphError, TransportError

    rng = random.Random(7)
    try:
        async with Client(url, _token(data_dir) or "", timeout=60, retry=False) as client:
            try:
                org = (await client.create_organization(name="Demo Org")).organization
            except TransportError:
                raise DemoError(f"no gateway answers at {url}: start it first with `make run`") from None
            project = (await client.create_project(organization_id=org.id, name="Shapes")).project
            total_items = total_annotations = 0
            with tempfile.TemporaryDirectory(prefix="labelgraph-demo-") as tmp:
                for ds_name, dirs in (("shapes-train", ["a", "b", "c"]), ("shapes-val", [""])):
                    ds = (await client.create_dataset(project_id=project.id, name=ds_name)).dataset
                    root = Path(tmp) / ds_name
                    drawn: dict[str, list[Shape]] = {}
                    for i in range(items_per_dataset):
                        sub = dirs[i % len(dirs)]
                        (root / sub).mkdir(parents=True, exist_ok=True)
                        name = f"img-{i:04d}.jpg"
                        drawn["/" + "/".join(p for p in (sub, name) if p)] = draw_image(root / sub / name, rng)
                    report = await client.upload_files(ds.id, root, dir="/", progress=progress)
                    if report.failed:
                        path, reason = next(iter(report.failed.items()))
                        raise DemoError(f"{len(report.failed)} uploads failed, e.g. {path}: {reason}")
                    annotations = [a for item in report.uploaded for a in _annotations(item.id, drawn[item.filename])]
                    for start in range(0, len(annotations), 1000):
                        await client.create_annotations(annotations=annotations[start:start + 1000])
                    total_items += len(report.uploaded)
                    total_annotations += len(annotations)
    except LabelgraphError as exc:
        raise DemoError(str(exc)) from None
    return (f"labelgraph demo: organization 'Demo Org', project 'Shapes' ({project.id}) with 2 datasets, "
            f"{total_items} items (JPEGs drawn by Pillow) and {total_annotations} annotations (boxes around the "
            f"shapes).\nTry it in GraphiQL with the variables {{\"projectId\": \"{project.id}\"}}: "
            "project(id: $projectId) { datasets { nodes { items(first: 5) { nodes { filename url thumbnailUrl "
            "annotations { nodes { type label coordinates } } } } } } }")
