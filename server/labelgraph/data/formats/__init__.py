"""Dataset exports and imports in COCO, YOLO (Ultralytics), Pascal VOC and labelgraph's lossless JSON: one module
per format, each with ``export(source, out, files, progress)`` (streaming: the dataset is read in keyset pages and
written to a zip member by member) and ``parse(archive)`` (the whole input validated before anything is written;
``importing.import_parsed`` then writes it in one transaction). The job handlers (``export``/``import``) call
``export_dataset`` and ``import_archive``."""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import IO, Any

from labelgraph.data.formats import coco, lgjson, voc, yolo
from labelgraph.data.formats.common import UNSPLIT, ExportFormat, MatchBy, Source, ZipOut
from labelgraph.data.formats.importing import import_parsed
from labelgraph.db import Database
from labelgraph.errors import Problems

__all__ = ["UNSPLIT", "ExportFormat", "MatchBy", "Source", "export_dataset", "import_archive", "parse_format",
           "parse_match_by"]

MODULES = {ExportFormat.COCO: coco, ExportFormat.YOLO: yolo, ExportFormat.VOC: voc, ExportFormat.JSON: lgjson}


def parse_format(value: Any, field: str = "format") -> ExportFormat:
    """``value`` as an ExportFormat, or a clear INVALID naming the formats there are."""
    if isinstance(value, ExportFormat):
        return value
    try:
        return ExportFormat(str(value).upper())
    except ValueError:
        raise Problems.one("INVALID", f"{field} must be one of {', '.join(f.value for f in ExportFormat)}, got "
                           f"{value!r}", [field]) from None


def parse_match_by(value: Any) -> MatchBy:
    if value is None:
        return MatchBy.FILENAME
    if isinstance(value, MatchBy):
        return value
    try:
        return MatchBy(str(value).upper())
    except ValueError:
        raise Problems.one("INVALID", f"matchBy must be FILENAME or NAME, got {value!r}", ["matchBy"]) from None


async def export_dataset(source: Source, fmt: ExportFormat | str, target: IO[bytes] | str | Path, *,
                         files: Callable[[Any], AsyncIterator[bytes]] | None = None,
                         progress: Callable[[int], Awaitable[None]] | None = None) -> dict[str, Any]:
    """Write the zip of ``source`` in ``fmt`` to ``target``; ``files(item)`` streams an item's bytes (with
    includeFiles); ``progress(n)`` is awaited after each page of ``n`` items. Returns counts."""
    module = MODULES[parse_format(fmt)]
    out = ZipOut(str(target) if isinstance(target, Path) else target)
    try:
        result = await module.export(source, out, files=files, progress=progress)
    finally:
        out.close()
    result["format"] = parse_format(fmt).value
    return result


def open_archive(path: str | Path, fmt: ExportFormat) -> zipfile.ZipFile:
    """The uploaded file as a zip; a bare COCO JSON file is taken as a one-file archive."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        return zipfile.ZipFile(path)
    if fmt is ExportFormat.COCO:
        wrapped = path.with_name(path.name + ".zip")
        with zipfile.ZipFile(wrapped, "w") as z:
            z.write(path, "annotations/instances_default.json")
        return zipfile.ZipFile(wrapped)
    raise Problems.one("INVALID", f"the file is not a zip archive (a {fmt.value} import is a zip)", ["file"])


async def import_archive(db: Database, access: Any, content: Any, dataset_id: str, fmt: ExportFormat | str,
                         path: str | Path, *, match_by: MatchBy | str | None = None,
                         create_missing_labels: bool = False,
                         progress: Callable[[str], Awaitable[None]] | None = None,
                         finish: Callable[[Any, dict[str, Any]], Awaitable[None]] | None = None) -> dict[str, Any]:
    """Parse and validate the archive at ``path`` whole, then write it into the dataset in one transaction
    (``content``: the app's ContentServices, for the images the archive carries). Raises Problems naming the
    file and the entry; nothing is written then."""
    fmt = parse_format(fmt)
    with open_archive(path, fmt) as archive:
        parsed = MODULES[fmt].parse(archive)
        result = await import_parsed(db, access, content, dataset_id, parsed, archive,
                                     match_by=parse_match_by(match_by), create_missing_labels=create_missing_labels,
                                     progress=progress, finish=finish)
    result["format"] = fmt.value
    return result
