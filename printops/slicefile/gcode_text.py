"""Bounded windows over text G-code: the head and the tail, never the middle.

Slicers keep their metadata at one end or both (PrusaSlicer: short header at the top, config at
the end; Bambu: everything at the top; Orca: stats and config at the end), so reading 256 KB at
each end costs the same for a 1 MB and a 100 MB file. Embedded thumbnails declare their length,
so a large one is skipped with a seek instead of stretching the window.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

HEAD_BYTES = 256 * 1024
TAIL_BYTES = 256 * 1024
# Head segments read after skipping thumbnails, at most; bounds work on a lying length field.
MAX_HEAD_SEGMENTS = 12
# A longer line is not metadata (a 150 MB line without newline must not become one string).
MAX_LINE_CHARS = 64 * 1024
# Base64 thumbnails are written as "; " + 78 characters + newline.
_THUMB_LINE_PAYLOAD = 78

_THUMB_BEGIN = re.compile(
    rb"^;[ \t]*(thumbnail(?:_QOI|_JPG|_PNG)?) begin (\d{1,5})[x ](\d{1,5}) (\d{1,10})",
    re.MULTILINE,
)
_THUMB_FORMATS = {
    b"thumbnail": "png",
    b"thumbnail_PNG": "png",
    b"thumbnail_QOI": "qoi",
    b"thumbnail_JPG": "jpg",
}


class ByteSource(Protocol):
    """A forward reader: plain files seek, zip members decompress and discard."""

    def read(self, size: int) -> bytes: ...

    def skip_to(self, offset: int) -> None: ...

    def tell(self) -> int: ...


class FileSource:
    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    def read(self, size: int) -> bytes:
        return self._handle.read(size)

    def skip_to(self, offset: int) -> None:
        self._handle.seek(offset)

    def tell(self) -> int:
        return self._handle.tell()


@dataclass(frozen=True)
class EmbeddedThumbnail:
    width: int
    height: int
    format: str
    offset: int  # byte offset of the begin line
    length: int  # declared base64 length


@dataclass
class GcodeText:
    """Decoded lines of the head and tail windows of one G-code stream."""

    head: list[str]
    tail: list[str]
    whole: bool
    thumbnails: list[EmbeddedThumbnail] = field(default_factory=list)
    read_more: Callable[[int], list[str]] | None = None

    def lines(self) -> list[str]:
        return self.head + self.tail


def _split_lines(data: bytes, drop_first: bool) -> list[str]:
    lines = data.decode("utf-8", "replace").split("\n")
    if drop_first and lines:
        lines = lines[1:]
    return [line.rstrip("\r") if len(line) <= MAX_LINE_CHARS else "" for line in lines]


def _find_thumbnails(data: bytes, base: int) -> list[EmbeddedThumbnail]:
    found = []
    for match in _THUMB_BEGIN.finditer(data):
        found.append(
            EmbeddedThumbnail(
                width=int(match.group(2)),
                height=int(match.group(3)),
                format=_THUMB_FORMATS.get(match.group(1), "png"),
                offset=base + match.start(),
                length=int(match.group(4)),
            )
        )
    return found


def _thumbnail_end_estimate(thumb: EmbeddedThumbnail) -> int:
    lines = thumb.length // _THUMB_LINE_PAYLOAD + 1
    return thumb.offset + 64 + thumb.length + 3 * lines


def read_head(
    source: ByteSource, size_bytes: int | None
) -> tuple[list[str], list[EmbeddedThumbnail], int, bool]:
    """Head lines, thumbnails, the offset where reading stopped, and whether the stream ended."""
    lines: list[str] = []
    thumbnails: list[EmbeddedThumbnail] = []
    position = source.tell()
    ended = False
    for segment in range(MAX_HEAD_SEGMENTS):
        base = position
        data = source.read(HEAD_BYTES)
        position = base + len(data)
        ended = len(data) < HEAD_BYTES or (size_bytes is not None and position >= size_bytes)
        if segment > 0:
            lines.append("")  # the gap where a thumbnail was skipped
        complete = data if ended else data[: data.rfind(b"\n") + 1 or len(data)]
        lines.extend(_split_lines(complete, drop_first=segment > 0))
        position = base + len(complete)  # resume at a line start
        found = _find_thumbnails(data, base)
        thumbnails.extend(t for t in found if t.offset not in {s.offset for s in thumbnails})
        if ended or not found:
            break
        last = found[-1]
        if _THUMB_END.search(data, last.offset - base):
            break
        resume = _thumbnail_end_estimate(last) - 4096
        if resume <= position or (size_bytes is not None and resume >= size_bytes):
            break
        source.skip_to(resume)
        position = resume
    return lines, thumbnails, position, ended


_THUMB_END = re.compile(rb"^;[ \t]*thumbnail(?:_QOI|_JPG|_PNG)? end", re.MULTILINE)


def read_text_file(handle: BinaryIO, size_bytes: int) -> GcodeText:
    """Head and tail windows of a seekable G-code file."""
    source = FileSource(handle)
    head, thumbnails, stopped_at, ended = read_head(source, size_bytes)
    tail: list[str] = []
    if not ended:
        start = max(stopped_at, size_bytes - TAIL_BYTES)
        handle.seek(start)
        tail = _split_lines(handle.read(size_bytes - start), drop_first=start > stopped_at)

    def read_more(limit_bytes: int) -> list[str]:
        if ended:
            return []
        handle.seek(stopped_at)
        return _split_lines(handle.read(limit_bytes), drop_first=False)

    return GcodeText(head=head, tail=tail, whole=ended, thumbnails=thumbnails, read_more=read_more)


def read_text_stream(source: ByteSource) -> GcodeText:
    """The head window only, for a stream that cannot seek back (a zip member)."""
    head, thumbnails, _stopped_at, ended = read_head(source, None)

    def read_more(limit_bytes: int) -> list[str]:
        if ended:
            return []
        # The stream is past the head's last complete line: the first line here is partial.
        return _split_lines(source.read(limit_bytes), drop_first=True)

    return GcodeText(head=head, tail=[], whole=ended, thumbnails=thumbnails, read_more=read_more)


def text_from_bytes(data: bytes) -> GcodeText:
    """A complete small G-code text held in memory (tests, bgcode-less callers)."""
    import io

    return read_text_file(io.BytesIO(data), len(data))
