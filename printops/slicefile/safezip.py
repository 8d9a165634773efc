"""Zip access with limits: member count, per-member decompressed bytes, never the header's word.

3MF and UFP files are zips; a hostile one can claim small sizes and inflate to gigabytes, or
hold 20 000 members. Every read here streams through the decompressor and stops at a limit.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import BinaryIO

from printops.slicefile.errors import SliceFileError

MAX_MEMBERS = 10_000
MAX_CONFIG_BYTES = 32 * 1024 * 1024
# A member may inflate at most this many times its compressed size once it is past
# BOMB_FLOOR_BYTES. G-code deflates 3–6×, 3MF mesh XML 5–25×, PNG ~1×; a zip bomb's zeros
# deflate ~1000×. 100× is Apache POI's default for the same check (ZipSecureFile).
MAX_INFLATE_RATIO = 100
BOMB_FLOOR_BYTES = 16 * 1024 * 1024
# Every member together, as declared; Python's zipfile never inflates past a member's declared
# size (a smaller lie ends in a CRC error), so the declared sizes bound the work.
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
_CHUNK = 64 * 1024
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
)


def open_zip(handle: BinaryIO, label: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SliceFileError(f"The {label} is not a readable zip archive ({exc}).") from None
    if len(archive.infolist()) > MAX_MEMBERS:
        raise SliceFileError(
            f"The {label} holds {len(archive.infolist())} members, more than the "
            f"{MAX_MEMBERS} a sliced file can plausibly need."
        )
    _refuse_bombs(archive, label)
    return archive


def _refuse_bombs(archive: zipfile.ZipFile, label: str) -> None:
    """Refuse the whole archive when any member expands beyond the limits, read or not: a
    bomb in a member we never inflate would still be filed and handed to whoever downloads it."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > BOMB_FLOOR_BYTES and ratio > MAX_INFLATE_RATIO:
            raise SliceFileError(
                f"The {label} was refused: a member expands beyond the limit "
                f"({info.filename} inflates {ratio:.0f} times, to {_megabytes(info.file_size)}); "
                "it looks like a zip bomb."
            )
    if total > MAX_TOTAL_BYTES:
        raise SliceFileError(
            f"The {label} was refused: its members expand beyond the limit "
            f"({_megabytes(total)} in all, at most {_megabytes(MAX_TOTAL_BYTES)}); "
            "it looks like a zip bomb."
        )


def _megabytes(size_bytes: int) -> str:
    return f"{size_bytes / (1024 * 1024):,.0f} MB"


class MemberStream:
    """A forward reader over one member that refuses to inflate beyond `limit_bytes`."""

    def __init__(self, archive: zipfile.ZipFile, name: str, limit_bytes: int) -> None:
        self._name = name
        self._limit = limit_bytes
        self._position = 0
        try:
            self._stream = archive.open(name)
        except (*_READ_ERRORS, KeyError) as exc:
            raise SliceFileError(f"The member {name} cannot be opened ({exc}).") from None

    def read(self, size: int) -> bytes:
        size = max(0, min(size, self._limit - self._position))
        if size == 0:
            return b""
        try:
            data = self._stream.read(size)
        except _READ_ERRORS as exc:
            raise SliceFileError(f"The member {self._name} is damaged ({exc}).") from None
        self._position += len(data)
        return data

    def skip_to(self, offset: int) -> None:
        while self._position < offset:
            if not self.read(min(_CHUNK, offset - self._position)):
                break

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._stream.close()


def read_member(archive: zipfile.ZipFile, name: str, limit_bytes: int = MAX_CONFIG_BYTES) -> bytes:
    """The whole member, or SliceFileError when it inflates beyond `limit_bytes`."""
    stream = MemberStream(archive, name, limit_bytes + 1)
    parts = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
        if total > limit_bytes:
            stream.close()
            raise SliceFileError(
                f"The member {name} inflates beyond {limit_bytes // (1024 * 1024)} MB; "
                "it looks like a zip bomb."
            )
    stream.close()
    return b"".join(parts)


def read_member_head(archive: zipfile.ZipFile, name: str, size: int) -> bytes:
    stream = MemberStream(archive, name, size)
    data = stream.read(size)
    stream.close()
    return data
