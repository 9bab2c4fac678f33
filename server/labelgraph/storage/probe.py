"""What the server learns from the bytes it stores: the mimetype from the content (magic bytes through the
pure-Python ``filetype``, never the file's extension), and for images their width and height as displayed
(Pillow, with the EXIF orientation applied: a portrait photo stored sideways is taller than wide), for videos
their width, height, frame rate and duration (PyAV, the FFmpeg libraries in its wheels: no system ffmpeg).

Images are probed from their header only (Pillow reads the markers up to the image data, the EXIF block
included: well under a millisecond, against a few for decoding a 150 KB JPEG whole); the pixels are decoded when
a thumbnail is first made. A file that claims to be an image or a video (by its magic bytes) but whose header
cannot be read is still stored: its width/height stay null and ``probeError`` says what failed. An image whose
header is intact but whose data is cut short is stored with its width/height; its thumbnail URL answers 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import filetype

EXIF_ORIENTATION = 0x0112
ROTATED = {5, 6, 7, 8}  # orientations that swap width and height


def probe(path: Path) -> dict[str, Any]:
    """``{"mimetype", "width"?, "height"?, "fps"?, "duration"?, "probeError"?}``."""
    kind = filetype.guess(str(path))
    mimetype = kind.mime if kind else _text_or_binary(path)
    found: dict[str, Any] = {"mimetype": mimetype}
    try:
        if mimetype.startswith("image/"):
            found.update(_image(path))
        elif mimetype.startswith("video/"):
            found.update(_video(path))
    except Exception as exc:  # a corrupt file: stored, with the reason
        found["probeError"] = f"{type(exc).__name__}: {exc}"[:500]
    return found


def probe_bytes(data: bytes, path: Path) -> dict[str, Any]:
    """``probe`` of a file whose bytes are in memory already (a small upload): the magic bytes and an image's
    header are read from ``data``, no file is opened; a video is still probed from ``path`` (the same bytes)."""
    kind = filetype.guess(data[:8192])
    mimetype = kind.mime if kind else _text_or_binary_head(data[:4096])
    found: dict[str, Any] = {"mimetype": mimetype}
    try:
        if mimetype.startswith("image/"):
            import io

            found.update(_image(io.BytesIO(data)))
        elif mimetype.startswith("video/"):
            found.update(_video(path))
    except Exception as exc:  # as in probe
        found["probeError"] = f"{type(exc).__name__}: {exc}"[:500]
    return found


def _text_or_binary_head(head: bytes) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def _text_or_binary(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(4096)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def _image(path: Any) -> dict[str, Any]:
    from PIL import Image

    with Image.open(path) as image:  # the header only: a file cut short within it fails here
        width, height = image.size
        orientation = image.getexif().get(EXIF_ORIENTATION)
    if orientation in ROTATED:
        width, height = height, width
    return {"width": width, "height": height}


def _video(path: Path) -> dict[str, Any]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        found: dict[str, Any] = {"width": stream.codec_context.width, "height": stream.codec_context.height}
        if stream.average_rate:
            found["fps"] = round(float(stream.average_rate), 3)
        if container.duration:
            found["duration"] = round(container.duration / 1_000_000, 3)
        elif stream.duration and stream.time_base:
            found["duration"] = round(float(stream.duration * stream.time_base), 3)
    return found


def thumbnail(path: Path, mimetype: str, size: int, out: Path) -> None:
    """A JPEG of at most ``size``×``size`` pixels (aspect kept, EXIF orientation applied); a video's first
    frame."""
    from PIL import Image, ImageOps

    if mimetype.startswith("video/"):
        import av

        with av.open(str(path)) as container:
            frame = next(container.decode(video=0))
            image = frame.to_image()
    else:
        image = ImageOps.exif_transpose(Image.open(path))
    image.thumbnail((size, size))
    image.convert("RGB").save(out, "JPEG", quality=85)
