"""Reading a stored file with printops.slicefile: metadata, the best thumbnail as PNG.

slicefile bounds its own time and memory on hostile input; here we only turn its outcome into
what the library stores, and keep an unreadable file as a file with the reason.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

from printops import slicefile
from printops.library.grouping import strip_suffix

logger = logging.getLogger(__name__)

SLICED_EXTENSIONS = (".gcode.3mf", ".gcode", ".bgcode", ".3mf", ".ufp", ".gx", ".stl")


@dataclass
class Extraction:
    metadata: dict[str, Any] = field(default_factory=dict)
    unreadable_reason: str = ""
    thumbnail_png: bytes | None = None


def file_suffix(original_name: str) -> str:
    lower = original_name.lower()
    for suffix in SLICED_EXTENSIONS:
        if lower.endswith(suffix):
            return suffix
    stem = strip_suffix(original_name)
    return original_name[len(stem) :] if stem != original_name else ""


def extract(local: IO[bytes], original_name: str) -> Extraction:
    """Metadata and thumbnail of a file, or the sentence saying why it cannot be read."""
    suffix = file_suffix(original_name)
    # slicefile reads a path; give it one with the original extension (it checks content too).
    with tempfile.TemporaryDirectory(prefix="printops-extract-") as folder:
        path = os.path.join(folder, f"upload{suffix}")
        with open(path, "wb") as target:
            local.seek(0)
            shutil.copyfileobj(local, target, 1024 * 1024)
        try:
            metadata = slicefile.read(path)
        except slicefile.SliceFileError as error:
            return Extraction(unreadable_reason=str(error))
        result = Extraction(metadata=metadata.to_dict())
        if metadata.thumbnails:
            largest = max(
                range(len(metadata.thumbnails)),
                key=lambda i: metadata.thumbnails[i].width * metadata.thumbnails[i].height,
            )
            try:
                _, result.thumbnail_png = slicefile.thumbnail_bytes(path, largest)
            except slicefile.SliceFileError as error:
                result.metadata.setdefault("warnings", []).append(f"thumbnail: {error}")
        elif metadata.geometry is not None:
            result.thumbnail_png = _render_mesh(path)
    return result


def _render_mesh(path: str) -> bytes | None:
    """A PNG silhouette of an STL mesh, when the mesh renderer can read it."""
    from printops.library.render import render_stl_png

    try:
        return render_stl_png(path)
    except Exception:  # a mesh we cannot draw still gets filed, just without a picture
        logger.warning("could not render a thumbnail for %s", path, exc_info=True)
        return None


def png_stream(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)
