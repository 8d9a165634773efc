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
    return archive


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
