"""What the format modules share: reading a dataset in keyset pages, the zip being written, geometry, and the
neutral form an importer parses its input into (validated whole before anything is written)."""

from __future__ import annotations

import enum
import io
import math
import shutil
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import orjson
import sqlalchemy as sa

from labelgraph.data import models as m
from labelgraph.data.commands import AnnotationType
from labelgraph.errors import MAX_PROBLEMS, Problem, Problems
from labelgraph.graph.pagination import in_ids
from labelgraph.ontology.models import Label, RecipeOntology

ITEM = m.Item.__table__
ANNOTATION = m.Annotation.__table__
DATASET = m.Dataset.__table__
LABEL = Label.__table__
RECIPE_ONTOLOGY = RecipeOntology.__table__

PAGE = 500  # items per keyset page
UNSPLIT = "default"  # the split of items that have none, in formats that need one


class ExportFormat(enum.Enum):
    COCO = "COCO"
    YOLO = "YOLO"
    VOC = "VOC"
    JSON = "JSON"


class MatchBy(enum.Enum):
    FILENAME = "FILENAME"  # the item's path in the dataset (dir + name), as exports write it
    NAME = "NAME"  # the item's name alone (must be unique in the dataset)


# --- reading the dataset -------------------------------------------------------------------------------------

ITEM_COLUMNS = ("id", "name", "dir", "filename", "split", "hidden", "description", "mimetype", "size", "width",
                "height", "sha256", "fps", "duration", "metadata")
ANNOTATION_COLUMNS = ("id", "item_id", "parent_id", "type", "label", "coordinates", "attributes", "status",
                      "object_id", "frame", "end_frame", "automated", "description", "metadata")


@dataclass
class Source:
    """The rows an export reads: one dataset's items (``conditions`` select among them: a compiled filter; a
    version's rows are read through ``item_table``/``annotation_table`` with the same columns), in keyset
    pages of ``page`` items with their annotations (never the whole dataset in memory)."""

    conn: Any
    dataset_id: str
    conditions: list[Any] = field(default_factory=list)
    splits: list[str] | None = None  # only these splits (None: all)
    item_table: Any = ITEM
    annotation_table: Any = ANNOTATION
    page: int = PAGE

    def _where(self) -> list[Any]:
        t = self.item_table
        where = [t.c.dataset_id == self.dataset_id, t.c.type == "file", *self.conditions]
        if self.splits is not None:
            wanted = [s for s in self.splits if s != UNSPLIT]
            cond = t.c.split.in_(wanted) if wanted else sa.false()
            if UNSPLIT in self.splits:
                cond = sa.or_(cond, t.c.split.is_(None))
            where.append(cond)
        return where

    async def dataset(self) -> Any:
        return (await self.conn.execute(sa.select(DATASET).where(DATASET.c.id == self.dataset_id))).one()

    async def count(self) -> tuple[int, int]:
        """(items, annotations) the export reads (for progress)."""
        t, a = self.item_table, self.annotation_table
        items = (await self.conn.execute(sa.select(sa.func.count()).select_from(t).where(*self._where()))).scalar()
        anns = (await self.conn.execute(sa.select(sa.func.count()).select_from(a).where(
            a.c.item_id.in_(sa.select(t.c.id).where(*self._where()))))).scalar()
        return int(items or 0), int(anns or 0)

    async def has_type(self, type_: str) -> bool:
        """Whether a selected item has an annotation of this type."""
        t, a = self.item_table, self.annotation_table
        q = sa.select(a.c.id).where(a.c.type == type_, a.c.item_id.in_(sa.select(t.c.id).where(*self._where())))
        return (await self.conn.execute(q.limit(1))).first() is not None

    async def split_names(self) -> list[str]:
        """The splits of the selected items, sorted (``UNSPLIT`` for items without one)."""
        t = self.item_table
        rows = (await self.conn.execute(sa.select(t.c.split).where(*self._where()).distinct())).scalars().all()
        return sorted({r or UNSPLIT for r in rows})

    async def labels(self) -> list[Any]:
        """The recipe's labels (tag, display_name, color, display_data) sorted by tag, plus a bare entry for each
        label an annotation of the dataset carries that the recipe lacks: class indices are stable across
        exports (they do not depend on the filter)."""
        dataset = await self.dataset()
        rows = []
        if dataset.recipe_id:
            rows = (await self.conn.execute(
                sa.select(LABEL.c.tag, LABEL.c.display_name, LABEL.c.color, LABEL.c.display_data)
                .join(RECIPE_ONTOLOGY, RECIPE_ONTOLOGY.c.ontology_id == LABEL.c.ontology_id)
                .where(RECIPE_ONTOLOGY.c.recipe_id == dataset.recipe_id))).all()
        found = {r.tag: r for r in rows}
        a = self.annotation_table
        used = (await self.conn.execute(sa.select(a.c.label).where(a.c.dataset_id == self.dataset_id)
                                        .distinct())).scalars().all()
        for tag in used:
            if tag not in found:
                found[tag] = BareLabel(tag, tag.rsplit(".", 1)[-1], None, None)
        return [found[t] for t in sorted(found)]

    async def pages(self, split: str | None = None) -> AsyncIterator[list[tuple[Any, list[Any]]]]:
        """Pages of (item row, its annotation rows) in id order; ``split``: only that split's items."""
        t, a = self.item_table, self.annotation_table
        where = self._where()
        if split is not None:
            where.append(t.c.split.is_(None) if split == UNSPLIT else t.c.split == split)
        after = None
        while True:
            q = sa.select(*[t.c[c] for c in ITEM_COLUMNS]).where(*where)
            if after is not None:
                q = q.where(t.c.id > after)
            items = (await self.conn.execute(q.order_by(t.c.id).limit(self.page))).all()
            if not items:
                return
            ids = [r.id for r in items]
            anns: dict[str, list[Any]] = {i: [] for i in ids}
            rows = (await self.conn.execute(
                sa.select(*[a.c[c] for c in ANNOTATION_COLUMNS]).where(in_ids(a.c.item_id, ids, self.conn.dialect.name))
                .order_by(a.c.item_id, a.c.created_at, a.c.id))).all()
            for r in rows:
                anns[r.item_id].append(r)
            yield [(r, anns[r.id]) for r in items]
            after = ids[-1]


@dataclass
class BareLabel:
    tag: str
    display_name: str
    color: str | None
    display_data: Any


def path_of(item: Any) -> str:
    """The item's path as exports write it: its filename without the leading slash ("cars/a.jpg")."""
    return item.filename.lstrip("/")


def stem_path(item: Any) -> str:
    """``path_of`` without the name's extension ("cars/a")."""
    path = path_of(item)
    head, _, name = path.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return f"{head}/{stem}" if head else stem


# --- writing the zip -----------------------------------------------------------------------------------------

class ZipOut:
    """A zip being written to a file: members are streamed (``member`` gives a writable binary file), parts of
    a member that must be written out of order are spooled to temporary files first (``Spool``)."""

    def __init__(self, target: IO[bytes] | str) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.names: set[str] = set()

    def member(self, name: str) -> IO[bytes]:
        self.names.add(name)
        return self.zip.open(name, "w", force_zip64=True)

    def write_bytes(self, name: str, data: bytes) -> None:
        with self.member(name) as f:
            f.write(data)

    async def write_stream(self, name: str, chunks: AsyncIterator[bytes]) -> None:
        with self.member(name) as f:
            async for chunk in chunks:
                f.write(chunk)

    def close(self) -> None:
        self.zip.close()


class Spool:
    """A temporary file collecting the elements of a JSON array (``add``), copied into a zip member later."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        self.count = 0

    def add(self, value: Any) -> None:
        if self.count:
            self.file.write(b",")
        self.file.write(orjson.dumps(value))
        self.count += 1

    def copy_to(self, out: IO[bytes]) -> None:
        self.file.seek(0)
        shutil.copyfileobj(self.file, out, 1024 * 1024)

    def close(self) -> None:
        self.file.close()


# --- geometry ------------------------------------------------------------------------------------------------

def box_of(ann: Any) -> tuple[float, float, float, float] | None:
    """(x1, y1, x2, y2) of a box annotation (corners in any order); None for another type."""
    if ann.type != AnnotationType.BOX.value:
        return None
    (p, q) = ann.coordinates[0], ann.coordinates[1]
    x1, x2 = sorted((float(p["x"]), float(q["x"])))
    y1, y2 = sorted((float(p["y"]), float(q["y"])))
    return x1, y1, x2, y2


def rings_of(ann: Any) -> list[list[tuple[float, float]]] | None:
    """The rings of a polygon annotation; None for another type."""
    if ann.type != AnnotationType.POLYGON.value:
        return None
    return [[(float(p["x"]), float(p["y"])) for p in ring] for ring in ann.coordinates]


def shoelace(ring: list[tuple[float, float]]) -> float:
    n = len(ring)
    total = 0.0
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        total += x1 * y2 - x2 * y1
    return abs(total) / 2.0


def extent(rings: Iterable[Iterable[tuple[float, float]]]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for ring in rings:
        for x, y in ring:
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def clip(v: float, lo: float, hi: float) -> float:
    return min(max(v, lo), hi)


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


# --- what importers parse into -------------------------------------------------------------------------------

@dataclass(slots=True)
class InAnnotation:
    type: AnnotationType
    label: str
    coordinates: Any
    where: str  # "instances_train.json: annotations[17]": names the entry in errors
    normalized: bool = False  # YOLO: coordinates are fractions of the image's width and height
    ref: str | None = None  # the JSON format's annotation id (parent links)
    parent_ref: str | None = None
    attributes: Any = None
    status: str | None = None
    object_id: str | None = None
    frame: int | None = None
    end_frame: int | None = None
    automated: bool = False
    description: str | None = None
    metadata: Any = None


@dataclass(slots=True)
class InItem:
    path: str  # "cars/a.jpg": the item's dir + name, as exports write it
    where: str
    file: str | None = None  # the zip member holding its bytes
    split: str | None = None
    width: int | None = None
    height: int | None = None
    hidden: bool = False
    description: str | None = None
    metadata: Any = None  # the user space
    mimetype: str | None = None
    annotations: list[InAnnotation] = field(default_factory=list)
    has_split: bool = False  # the input says which split it is in
    by_stem: bool = False  # ``path`` lacks the name's extension (a YOLO label file without its image)
    n_annotations: int | None = None  # streamed (Parsed.reread): how many annotations ``annotations`` lacks
    normalized: bool = False  # streamed: whether one of them has normalized coordinates

    @property
    def count(self) -> int:
        return len(self.annotations) if self.n_annotations is None else self.n_annotations


@dataclass
class InLabel:
    tag: str
    display_name: str | None = None
    color: str | None = None
    display_data: Any = None


@dataclass
class Parsed:
    """What an importer parsed. Either every item carries its annotations, or (a streamed parse, for inputs
    that can be read twice: the JSON format's items.jsonl) the items carry only their count (``n_annotations``,
    ``normalized``), ``used`` names each label used with the first entry using it, and ``reread()`` yields the
    items' annotation lists again, in the order of ``items``, when they are written: memory holds the items,
    never all the annotations."""

    items: list[InItem] = field(default_factory=list)
    labels: list[InLabel] = field(default_factory=list)  # labels the input declares (its ontology)
    creates_items: bool = False  # items missing from the dataset are created even without a file (JSON)
    reread: Callable[[], Iterable[list[InAnnotation]]] | None = None
    used: dict[str, str] = field(default_factory=dict)  # streamed: label tag → the first entry naming it

    def used_labels(self) -> dict[str, str]:
        """Every label tag the annotations use → the first entry using it."""
        if self.reread is not None:
            return self.used
        out: dict[str, str] = {}
        for i in self.items:
            for a in i.annotations:
                out.setdefault(a.label, a.where)
        return out

    def annotation_lists(self) -> Iterable[list[InAnnotation]]:
        """The items' annotation lists, in the order of ``items``."""
        return self.reread() if self.reread is not None else (i.annotations for i in self.items)


class Found:
    """Problems collected while parsing (at most MAX_PROBLEMS kept); ``raise_if`` refuses with all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem("INVALID", message))  # the message names the file and the entry

    def raise_if(self) -> None:
        if self.problems:
            raise Problems(self.problems)


def refuse(message: str) -> Problems:
    return Problems.one("INVALID", message)


MAX_DOCUMENT = 1 << 30  # a JSON or XML member is read whole: at most this many bytes (uncompressed)


def check_size(archive: zipfile.ZipFile, name: str) -> None:
    size = archive.getinfo(name).file_size  # the declared size: zipfile reads no further
    if size > MAX_DOCUMENT:
        raise refuse(f"{name}: {size:,} bytes uncompressed, over the limit of {MAX_DOCUMENT:,} for one document")


def read_json(archive: zipfile.ZipFile, name: str) -> Any:
    check_size(archive, name)
    try:
        with archive.open(name) as f:
            return orjson.loads(f.read())
    except orjson.JSONDecodeError as exc:
        raise refuse(f"{name}: not valid JSON ({exc})") from None


def text_lines(archive: zipfile.ZipFile, name: str) -> Iterable[tuple[int, str]]:
    with archive.open(name) as f:
        for n, line in enumerate(io.TextIOWrapper(f, encoding="utf-8", errors="replace"), 1):
            yield n, line.rstrip("\r\n")


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp")


def members(archive: zipfile.ZipFile, keep: Callable[[str], bool]) -> list[str]:
    return sorted(n for n in archive.namelist() if not n.endswith("/") and keep(n))
