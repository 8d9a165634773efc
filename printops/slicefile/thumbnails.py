"""`thumbnail_bytes(path, index)`: one listed thumbnail as PNG bytes (QOI and JPG converted)."""

from __future__ import annotations

import io
import os

from printops.slicefile.errors import SliceFileError
from printops.slicefile.reader import parse

MAX_PIXELS = 16_000_000


def thumbnail_bytes(path: str | os.PathLike[str], index: int) -> tuple[str, bytes]:
    """("png", bytes) of the `index`-th entry of `read(path).thumbnails`."""
    _draft, loaders = parse(path)
    if not 0 <= index < len(loaders):
        raise SliceFileError(f"The file has {len(loaders)} thumbnails; there is no number {index}.")
    kind, data = loaders[index]()
    if kind == "png" and data.startswith(b"\x89PNG"):
        return "png", data
    return "png", _to_png(data)


def _to_png(data: bytes) -> bytes:
    from PIL import Image, UnidentifiedImageError  # imported only when converting

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise SliceFileError(f"The thumbnail image cannot be decoded ({exc}).") from None
