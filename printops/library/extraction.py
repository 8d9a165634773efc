"""Reading a stored file with printops.slicefile: metadata, the best thumbnail as PNG.

Parsing runs in a limited child process (sandbox.py); here we turn its outcome into what the
library stores, and keep an unreadable file as a file with the reason.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

from printops.library.grouping import strip_suffix
from printops.library.sandbox import read_in_sandbox

logger = logging.getLogger(__name__)

SLICED_EXTENSIONS = (".gcode.3mf", ".gcode", ".bgcode", ".3mf", ".ufp", ".gx", ".stl")


@dataclass
class Extraction:
    metadata: dict[str, Any] = field(default_factory=dict)
    unreadable_reason: str = ""
    thumbnail_png: bytes | None = None
    needs_render: bool = False  # a mesh without a picture: rendered later, in a task


def file_suffix(original_name: str) -> str:
    lower = original_name.lower()
    for suffix in SLICED_EXTENSIONS:
        if lower.endswith(suffix):
            return suffix
    stem = strip_suffix(original_name)
    return original_name[len(stem) :] if stem != original_name else ""


def extract(local: IO[bytes], original_name: str) -> Extraction:
    """Metadata and thumbnail of a file, or the sentence saying why it cannot be read.

    The parsing runs in a child process with memory and CPU limits (see sandbox.py).
    """
    suffix = file_suffix(original_name)
    # slicefile reads a path; give it one with the original extension (it checks content too).
    with tempfile.TemporaryDirectory(prefix="printops-extract-") as folder:
        path = os.path.join(folder, f"upload{suffix}")
        with open(path, "wb") as target:
            local.seek(0)
            shutil.copyfileobj(local, target, 1024 * 1024)
        out_dir = os.path.join(folder, "out")
        os.mkdir(out_dir)
        metadata, thumbnail, reason = read_in_sandbox(path, out_dir)
        if metadata is None:
            return Extraction(unreadable_reason=reason)
        return Extraction(
            metadata=metadata,
            thumbnail_png=thumbnail,
            needs_render=metadata.get("geometry") is not None and not thumbnail,
        )


MAX_RENDER_BYTES = 200 * 1024 * 1024


def render_mesh_png(local: IO[bytes], original_name: str) -> bytes | None:
    """A shaded PNG of an STL mesh, or None when it cannot be drawn (the file stays filed)."""
    from printops.library.render import render_stl_png

    if not original_name.lower().endswith(".stl"):
        return None
    local.seek(0, os.SEEK_END)
    if local.tell() > MAX_RENDER_BYTES:
        return None
    try:
        with tempfile.NamedTemporaryFile(suffix=".stl") as copy:
            local.seek(0)
            shutil.copyfileobj(local, copy, 1024 * 1024)
            copy.flush()
            return render_stl_png(copy.name)
    except Exception:  # a mesh we cannot draw still gets filed, just without a picture
        logger.warning("could not render a thumbnail for %s", original_name, exc_info=True)
        return None


def png_stream(data: bytes) -> IO[bytes]:
    return io.BytesIO(data)
