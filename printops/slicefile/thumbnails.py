"""Thumbnails as bounded PNG: `thumbnail_bytes(path, index)` for one listed thumbnail and
`read_with_thumbnail(path)` for the metadata plus the best thumbnail that decodes.

Every thumbnail is decoded and re-encoded, PNG included: a PNG passed through untouched could
declare 20000 × 20000 pixels (1.6 GB once a browser decodes it) in a few hundred bytes, and
would reach every member's browser from the library grid.
"""

from __future__ import annotations

import io
import os
import struct

from printops.slicefile.errors import SliceFileError
from printops.slicefile.model import SliceMetadata
from printops.slicefile.reader import MAX_THUMBNAIL_PIXELS, parse

MAX_PIXELS = MAX_THUMBNAIL_PIXELS
# What is served: large enough for the version page at 2× pixel density, small enough that a
# grid of 48 cards stays light.
MAX_SERVED_SIDE_PX = 1024


def thumbnail_bytes(path: str | os.PathLike[str], index: int) -> tuple[str, bytes]:
    """("png", bytes) of the `index`-th entry of `read(path).thumbnails`, at most
    MAX_SERVED_SIDE_PX on its longest side; SliceFileError when it does not decode safely."""
    _draft, loaders = parse(path)
    if not 0 <= index < len(loaders):
        raise SliceFileError(f"The file has {len(loaders)} thumbnails; there is no number {index}.")
    _kind, data = loaders[index]()
    return "png", bounded_png(data)


def read_with_thumbnail(path: str | os.PathLike[str]) -> tuple[SliceMetadata, bytes | None]:
    """The metadata and the largest thumbnail that decodes, as bounded PNG (None when none
    does); each thumbnail that fails adds a warning to the metadata."""
    draft, loaders = parse(path)
    order = sorted(
        range(len(loaders)),
        key=lambda i: draft.thumbnails[i].width * draft.thumbnails[i].height,
        reverse=True,
    )
    png: bytes | None = None
    for index in order:
        thumb = draft.thumbnails[index]
        try:
            _kind, data = loaders[index]()
            png = bounded_png(data)
        except SliceFileError as error:
            draft.warnings.append(f"Thumbnail {thumb.width}×{thumb.height} left out: {error}")
            continue
        break
    return draft.freeze(), png


def bounded_png(data: bytes, *, max_side_px: int = MAX_SERVED_SIDE_PX) -> bytes:
    """Decode an image (PNG, QOI, JPG, BMP) whose stated size is at most MAX_PIXELS and
    re-encode it as PNG no larger than `max_side_px` on its longest side."""
    from PIL import Image, UnidentifiedImageError  # imported only when converting

    stated = _png_header_size(data)
    if stated is not None and stated[0] * stated[1] > MAX_PIXELS:
        raise SliceFileError(_too_large(*stated))
    # Pillow refuses beyond twice this on open; the explicit check below refuses beyond it.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size  # from the header: nothing is decoded yet
            if width * height > MAX_PIXELS:
                raise SliceFileError(_too_large(width, height))
            image.load()
            picture: Image.Image = image
            if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                picture = image.convert("RGBA")  # CMYK JPGs, 16-bit PNGs, QOI variants
            if max(width, height) > max_side_px:
                picture = picture.copy()
                picture.thumbnail((max_side_px, max_side_px))
            out = io.BytesIO()
            picture.save(out, format="PNG")
            return out.getvalue()
    except Image.DecompressionBombError:
        raise SliceFileError("The thumbnail declares more than 16 million pixels.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise SliceFileError(f"The thumbnail image cannot be decoded ({exc}).") from None


def _png_header_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk, read before any decoding."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None


def _too_large(width: int, height: int) -> str:
    return (
        f"The thumbnail declares {width} × {height} pixels, more than the "
        f"{MAX_PIXELS // 1_000_000} million allowed."
    )
