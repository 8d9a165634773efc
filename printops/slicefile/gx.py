"""FlashPrint `.gx`: a binary header (`xgcode 1.0`), a BMP and a PNG preview, then ffslicer
text G-code.

Header fields (little-endian, as FlashForge printers read them): 0x10 BMP offset, 0x14 PNG
offset, 0x18 G-code offset, 0x1C print time s, 0x20/0x24 filament mm (right/left extruder),
0x2A layer height µm, 0x32 bed °C, 0x34/0x36 nozzle °C (right/left).
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from printops.slicefile.draft import Draft
from printops.slicefile.errors import SliceFileError
from printops.slicefile.gcode_file import ThumbLoader, apply_text
from printops.slicefile.gcode_text import read_text_file
from printops.slicefile.model import Thumbnail
from printops.slicefile.threemf import png_size

MAGIC = b"xgcode 1.0"
_HEADER = struct.Struct("<12x I I I I I I I H H H H H H H H")


def read_gx(handle: BinaryIO, size_bytes: int, path: str) -> tuple[Draft, list[ThumbLoader]]:
    raw = handle.read(_HEADER.size)
    if len(raw) < _HEADER.size or not raw.startswith(MAGIC):
        raise SliceFileError("The .gx file header is truncated.")
    (
        _unknown,
        bmp_offset,
        png_offset,
        gcode_offset,
        seconds,
        right_mm,
        left_mm,
        _scale,
        layer_um,
        _shells_a,
        _shells,
        _speed,
        bed_c,
        right_c,
        _left_c,
    ) = _HEADER.unpack(raw)
    if not 0 < gcode_offset <= size_bytes or not bmp_offset <= png_offset <= gcode_offset:
        raise SliceFileError("The .gx header points outside the file.")
    handle.seek(gcode_offset)
    text = read_text_file(handle, size_bytes)
    draft = Draft(format="gx")
    apply_text(text, draft)
    draft.print_time_s = seconds
    draft.usage_stated = True
    draft.filament(0).used_mm = float(right_mm)
    if left_mm:
        draft.filament(1).used_mm = float(left_mm)
    if draft.layer_height_mm is None and layer_um:
        draft.layer_height_mm = layer_um / 1000
    if draft.bed_temperature_c is None and bed_c:
        draft.bed_temperature_c = bed_c
    if draft.nozzle_temperature_c is None and right_c:
        draft.nozzle_temperature_c = right_c
    loaders: list[ThumbLoader] = []
    handle.seek(png_offset)
    size = png_size(handle.read(32))
    if size and gcode_offset > png_offset:
        draft.thumbnails.insert(0, Thumbnail(width=size[0], height=size[1], format="png"))
        length = gcode_offset - png_offset

        def load() -> tuple[str, bytes]:
            with open(path, "rb") as image:
                image.seek(png_offset)
                return "png", image.read(length)

        loaders.append(load)
    return draft, loaders
