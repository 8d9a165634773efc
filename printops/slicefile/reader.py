"""`read(path)`: open the file, recognise its container by content (the extension only breaks
ties), and hand it to the container's reader."""

from __future__ import annotations

import os
import stat
import struct
import zipfile
import zlib
from typing import BinaryIO

from printops.slicefile.draft import Draft
from printops.slicefile.errors import SliceFileError
from printops.slicefile.gcode_file import ThumbLoader
from printops.slicefile.model import SliceMetadata

# A thumbnail stating more pixels than this is left out: 16 Mpx is 4000 × 4000, far beyond any
# slicer's preview (Bambu writes 512 × 512), and 64 MB once decoded.
MAX_THUMBNAIL_PIXELS = 16_000_000


def _open(path: str | os.PathLike[str]) -> tuple[BinaryIO, int]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SliceFileError(f"There is no file at {os.fspath(path)}.") from None
    except OSError as exc:
        raise SliceFileError(f"{os.fspath(path)} cannot be read ({exc.strerror}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise SliceFileError(f"{os.fspath(path)} is a directory, not a sliced file.")
    if not stat.S_ISREG(info.st_mode):
        raise SliceFileError(f"{os.fspath(path)} is not a regular file.")
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as exc:
        raise SliceFileError(f"{os.fspath(path)} cannot be opened ({exc.strerror}).") from None
    return handle, info.st_size


def parse(path: str | os.PathLike[str]) -> tuple[Draft, list[ThumbLoader]]:
    """The draft and one loader per listed thumbnail (same order); thumbnails that state more
    than MAX_THUMBNAIL_PIXELS are left out with a warning."""
    draft, loaders = _parse_container(path)
    # A container may list thumbnails it cannot load (G-code previews inside a .gx); only the
    # first len(loaders) entries pair with a loader.
    kept_thumbnails, kept_loaders = [], []
    for index, thumb in enumerate(draft.thumbnails):
        if thumb.width * thumb.height > MAX_THUMBNAIL_PIXELS:
            draft.warnings.append(
                f"A thumbnail declares {thumb.width} × {thumb.height} pixels, more than the "
                f"{MAX_THUMBNAIL_PIXELS // 1_000_000} million allowed; it was left out."
            )
            continue
        kept_thumbnails.append(thumb)
        if index < len(loaders):
            kept_loaders.append(loaders[index])
    draft.thumbnails = kept_thumbnails
    return draft, kept_loaders


def _parse_container(path: str | os.PathLike[str]) -> tuple[Draft, list[ThumbLoader]]:
    handle, size_bytes = _open(path)
    name = os.fspath(path)
    lower = name.lower()
    try:
        if size_bytes == 0:
            raise SliceFileError("The file is empty.")
        magic = handle.read(16)
        handle.seek(0)
        try:
            if magic.startswith(b"GCDE"):
                from printops.slicefile.bgcode import read_bgcode

                return read_bgcode(handle, size_bytes, name)
            if magic.startswith(b"PK\x03\x04") or magic.startswith(b"PK\x05\x06"):
                if lower.endswith(".ufp"):
                    from printops.slicefile.ufp import read_ufp

                    return read_ufp(handle, name)
                from printops.slicefile.threemf import read_3mf

                return read_3mf(handle, name)
            if magic.startswith(b"xgcode 1.0"):
                from printops.slicefile.gx import read_gx

                return read_gx(handle, size_bytes, name)
            if lower.endswith(".stl"):
                from printops.slicefile.mesh import measure_stl

                draft = Draft(format="stl", geometry=measure_stl(handle, size_bytes))
                return draft, []
            if lower.endswith((".3mf", ".ufp", ".bgcode", ".gx")):
                raise SliceFileError(
                    f"The file does not have the signature of a {lower.rsplit('.', 1)[-1]} file."
                )
            from printops.slicefile.gcode_file import read_gcode

            return read_gcode(handle, size_bytes, name)
        except (MemoryError, RecursionError):
            raise SliceFileError("The file is too complex to read safely.") from None
        except (
            OSError,
            ValueError,
            IndexError,
            KeyError,
            TypeError,
            OverflowError,
            EOFError,
            NotImplementedError,
            struct.error,
            zlib.error,
            zipfile.BadZipFile,
        ) as exc:
            # A damaged file can trip a parser anywhere; the user gets a sentence, not a trace.
            raise SliceFileError(f"The file is damaged or not a sliced file ({exc}).") from None
    finally:
        handle.close()


def read(path: str | os.PathLike[str]) -> SliceMetadata:
    """Everything the file states, normalized (ARCHITECTURE.md section 4)."""
    draft, _loaders = parse(path)
    return draft.freeze()
