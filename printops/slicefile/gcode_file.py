"""Plain text G-code: dialect detection over the head and tail windows, plus what every dialect
shares (embedded thumbnails, heater commands)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from typing import BinaryIO

from printops.slicefile.dialects import DIALECTS, fallback
from printops.slicefile.dialects.common import layer_heights_from_moves, temperatures_from_commands
from printops.slicefile.draft import Draft
from printops.slicefile.errors import SliceFileError
from printops.slicefile.gcode_text import EmbeddedThumbnail, GcodeText, read_text_file
from printops.slicefile.model import Thumbnail

ThumbLoader = Callable[[], tuple[str, bytes]]
MAX_THUMBNAIL_BASE64 = 16 * 1024 * 1024
_COMMAND_LINE = re.compile(r"^[GM]\d")


def apply_text(text: GcodeText, draft: Draft, *, require_gcode: bool = True) -> None:
    """Run the first matching dialect, then the shared readers."""
    dialect = next(d for d in DIALECTS if d.detect(text))
    if (
        dialect is fallback
        and require_gcode
        and not any(_COMMAND_LINE.match(line) for line in text.head[:20000])
    ):
        raise SliceFileError("The file does not look like G-code: no commands were found.")
    dialect.parse(text, draft)
    temperatures_from_commands(text.head, draft)
    if dialect is fallback:
        layer_heights_from_moves(text.head, draft)
    for thumb in text.thumbnails:
        draft.thumbnails.append(
            Thumbnail(width=thumb.width, height=thumb.height, format=thumb.format)
        )


def looks_binary(head: bytes) -> bool:
    return b"\x00" in head[:4096]


def read_gcode(handle: BinaryIO, size_bytes: int, path: str) -> tuple[Draft, list[ThumbLoader]]:
    first = handle.read(4096)
    if looks_binary(first):
        raise SliceFileError("The file holds binary data, not text G-code.")
    handle.seek(0)
    text = read_text_file(handle, size_bytes)
    draft = Draft(format="gcode")
    apply_text(text, draft)
    return draft, [embedded_loader(path, thumb) for thumb in text.thumbnails]


def embedded_loader(path: str, thumb: EmbeddedThumbnail, base_offset: int = 0) -> ThumbLoader:
    """Decode one `; thumbnail begin` block by seeking to it (its length is declared)."""

    def load() -> tuple[str, bytes]:
        budget = min(thumb.length, MAX_THUMBNAIL_BASE64)
        with open(path, "rb") as handle:
            handle.seek(base_offset + thumb.offset)
            raw = handle.read(budget + budget // 40 + 4096)
        lines = raw.split(b"\n")[1:]
        payload = []
        for line in lines:
            stripped = line.strip().lstrip(b";").strip()
            if b"end" in stripped and stripped.startswith(b"thumbnail"):
                break
            payload.append(stripped)
        try:
            return thumb.format, base64.b64decode(b"".join(payload), validate=False)
        except (binascii.Error, ValueError) as exc:
            raise SliceFileError(f"The embedded thumbnail is not valid base64 ({exc}).") from None

    return load
