"""Ultimaker Format Package (`.ufp`): `/3D/model.gcode` (Griffin flavour) and
`/Metadata/thumbnail.png`. Only the G-code's head is inflated; Cura puts its header there."""

from __future__ import annotations

from typing import BinaryIO

from printops.slicefile.draft import Draft
from printops.slicefile.errors import SliceFileError
from printops.slicefile.gcode_file import ThumbLoader, apply_text
from printops.slicefile.gcode_text import read_text_stream
from printops.slicefile.model import Thumbnail
from printops.slicefile.safezip import MemberStream, open_zip, read_member, read_member_head
from printops.slicefile.threemf import MAX_THUMBNAIL_BYTES, png_size

GCODE_MEMBER = "3D/model.gcode"
THUMBNAIL_MEMBER = "Metadata/thumbnail.png"


def read_ufp(handle: BinaryIO, path: str) -> tuple[Draft, list[ThumbLoader]]:
    archive = open_zip(handle, "UFP file")
    names = {name.lstrip("/") for name in archive.namelist()}
    real = {name.lstrip("/"): name for name in archive.namelist()}
    if GCODE_MEMBER not in names:
        raise SliceFileError("The UFP file has no 3D/model.gcode inside.")
    stream = MemberStream(archive, real[GCODE_MEMBER], 64 * 1024 * 1024)
    try:
        text = read_text_stream(stream)
        text.read_more = None
        draft = Draft(format="ufp")
        apply_text(text, draft)
    finally:
        stream.close()
    draft.thumbnails = []  # G-code thumbnails in a UFP are not addressable by offset
    loaders: list[ThumbLoader] = []
    if THUMBNAIL_MEMBER in names:
        member = real[THUMBNAIL_MEMBER]
        size = png_size(read_member_head(archive, member, 32))
        if size:
            draft.thumbnails.append(Thumbnail(width=size[0], height=size[1], format="png"))

            def load() -> tuple[str, bytes]:
                with open(path, "rb") as again:
                    return "png", read_member(
                        open_zip(again, "UFP file"), member, MAX_THUMBNAIL_BYTES
                    )

            loaders.append(load)
    return draft, loaders
