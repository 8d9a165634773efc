"""Prusa binary G-code (`.bgcode`): block headers, the metadata blocks and thumbnails.

Layout (libbgcode): `GCDE`, version u32, checksum type u16; then blocks of
type u16, compression u16, uncompressed size u32, [compressed size u32], parameters, data,
[CRC32]. Metadata and thumbnails precede the G-code blocks, which are never decoded: reading
stops at the first one, so the cost does not grow with the print.
"""

from __future__ import annotations

import struct
import zlib
from typing import BinaryIO

from printops.slicefile.dialects import prusa
from printops.slicefile.draft import Draft
from printops.slicefile.errors import SliceFileError
from printops.slicefile.gcode_file import ThumbLoader
from printops.slicefile.model import Thumbnail

MAGIC = b"GCDE"
MAX_METADATA_BYTES = 16 * 1024 * 1024
MAX_THUMBNAIL_BYTES = 32 * 1024 * 1024
MAX_BLOCKS_BEFORE_GCODE = 1000
FILE_METADATA, GCODE, SLICER_METADATA, PRINTER_METADATA, PRINT_METADATA, THUMBNAIL = range(6)
_THUMBNAIL_FORMATS = {0: "png", 1: "jpg", 2: "qoi"}
_COMPRESSION_NAMES = {0: "none", 1: "deflate", 2: "heatshrink 11,4", 3: "heatshrink 12,4"}


def _inflate(data: bytes, compression: int, expected: int) -> bytes | None:
    if compression == 0:
        return data
    if compression == 1:
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data, expected + 1)
        except zlib.error as exc:
            raise SliceFileError(f"A .bgcode metadata block is damaged ({exc}).") from None
        return out[:expected]
    return None


def read_bgcode(handle: BinaryIO, size_bytes: int, path: str) -> tuple[Draft, list[ThumbLoader]]:
    header = handle.read(10)
    if len(header) < 10 or header[:4] != MAGIC:
        raise SliceFileError("The file is not a binary G-code file (no GCDE signature).")
    _version, checksum_type = struct.unpack("<IH", header[4:10])
    checksum_bytes = 4 if checksum_type == 1 else 0
    draft = Draft(format="bgcode")
    settings: dict[str, str] = {}
    loaders: list[ThumbLoader] = []
    position = 10
    for _ in range(MAX_BLOCKS_BEFORE_GCODE):
        handle.seek(position)
        block_header = handle.read(12)
        if len(block_header) < 8:
            break
        block_type, compression, uncompressed = struct.unpack("<HHI", block_header[:8])
        if compression not in _COMPRESSION_NAMES or block_type > THUMBNAIL:
            raise SliceFileError(f"The .bgcode block at byte {position} has an unknown type.")
        header_size = 8
        stored = uncompressed
        if compression:
            if len(block_header) < 12:
                raise SliceFileError("The .bgcode file ends inside a block header.")
            (stored,) = struct.unpack("<I", block_header[8:12])
            header_size = 12
        if block_type == GCODE:
            break
        parameter_size = 6 if block_type == THUMBNAIL else 2
        data_start = position + header_size + parameter_size
        end = data_start + stored + checksum_bytes
        if end > size_bytes:
            raise SliceFileError(
                f"The .bgcode block at byte {position} claims {stored} bytes, "
                "more than the rest of the file."
            )
        handle.seek(position + header_size)
        parameters = handle.read(parameter_size)
        if block_type == THUMBNAIL:
            image_format, width, height = struct.unpack("<HHH", parameters)
            kind = _THUMBNAIL_FORMATS.get(image_format, "png")
            draft.thumbnails.append(Thumbnail(width=width, height=height, format=kind))
            loaders.append(
                _thumbnail_loader(path, data_start, stored, compression, uncompressed, kind)
            )
        else:
            if stored > MAX_METADATA_BYTES or uncompressed > MAX_METADATA_BYTES:
                raise SliceFileError("A .bgcode metadata block is larger than 16 MB.")
            data = _inflate(handle.read(stored), compression, uncompressed)
            if data is None:
                draft.warnings.append(
                    f"A metadata block uses {_COMPRESSION_NAMES[compression]} compression; skipped."
                )
            else:
                block = _ini(data)
                if block_type == FILE_METADATA:
                    producer = block.get("Producer", "")
                    name, _, version = producer.partition(" ")
                    if name:
                        draft.slicer_name, draft.slicer_version = prusa.slicer_identity(
                            name, version
                        )
                else:
                    settings.update(block)
        position = end
    else:
        draft.warnings.append("More than 1000 blocks before the G-code; stopped reading.")
    if not settings and not draft.thumbnails and draft.slicer_name is None:
        raise SliceFileError("The .bgcode file holds no metadata blocks.")
    draft.settings.update(settings)
    prusa.apply_settings(settings, draft)
    return draft, loaders


def _ini(data: bytes) -> dict[str, str]:
    pairs = {}
    for line in data.decode("utf-8", "replace").splitlines():
        key, separator, value = line.partition("=")
        if separator and key.strip():
            pairs[key.strip()] = value.strip()
    return pairs


def _thumbnail_loader(
    path: str, offset: int, stored: int, compression: int, uncompressed: int, kind: str
) -> ThumbLoader:
    def load() -> tuple[str, bytes]:
        if stored > MAX_THUMBNAIL_BYTES or uncompressed > MAX_THUMBNAIL_BYTES:
            raise SliceFileError("The thumbnail is larger than 32 MB.")
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = _inflate(handle.read(stored), compression, uncompressed)
        if data is None:
            raise SliceFileError("The thumbnail uses a compression this reader does not decode.")
        return kind, data

    return load
