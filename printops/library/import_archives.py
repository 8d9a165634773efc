"""Uploaded zips of a folder: checked (`archive_check`) against every limit and unpacked with
the same limits enforced while streaming (`archive_extract`), before the folder import runs on
the unpacked folder (services/imports.py). Disk only, no database."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings

from printops.core.errors import InvalidInput
from printops.library.import_plan import CHUNK_BYTES, is_system_name


def import_limits() -> dict[str, int]:
    """Limits on uploaded archives (settings; see .env.example)."""
    return {
        "max_members": settings.PRINTOPS_IMPORT_MAX_MEMBERS,
        "max_total_bytes": settings.PRINTOPS_IMPORT_MAX_BYTES,
        "max_member_bytes": settings.PRINTOPS_MAX_UPLOAD_BYTES,
        "max_ratio": settings.PRINTOPS_IMPORT_MAX_RATIO,
    }


def _member_path(name: str) -> str:
    """The member's "/"-separated relative path, or InvalidInput when it would escape."""
    path = name.replace("\\", "/")
    if "\x00" in path or path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise InvalidInput(
            f"The archive holds a file with an unsafe path ({name[:80]}); it was not imported."
        )
    parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise InvalidInput(
            f"The archive holds a file with an unsafe path ({name[:80]}); it was not imported."
        )
    return "/".join(parts)


def archive_check(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's file members after checking every limit; InvalidInput with a sentence on
    anything hostile (unsafe paths, links, encryption, too many members, zip bombs)."""
    limits = import_limits()
    members = archive.infolist()
    if len(members) > limits["max_members"]:
        raise InvalidInput(
            f"The archive holds {len(members):,} entries; the most an import takes is "
            f"{limits['max_members']:,}. Split it into several zips."
        )
    total = 0
    files = []
    for info in members:
        path = _member_path(info.filename)
        mode = (info.external_attr >> 16) & 0o170000
        if mode == stat.S_IFLNK:
            raise InvalidInput(
                f"The archive holds a link ({info.filename[:80]}); zip the files themselves."
            )
        if info.flag_bits & 0x1:
            raise InvalidInput("The archive is password-protected; zip it without a password.")
        if info.is_dir() or not path:
            continue
        if info.file_size > 1024 * 1024 and info.file_size > limits["max_ratio"] * max(
            info.compress_size, 1
        ):
            raise InvalidInput(
                f"The archive looks like a zip bomb ({info.filename[:80]} would grow "
                f"{info.file_size // max(info.compress_size, 1):,} times); it was not imported."
            )
        total += info.file_size
        files.append(info)
    if total > limits["max_total_bytes"]:
        raise InvalidInput(
            f"The archive unpacks to {total / 1e9:.1f} GB; the most an import takes is "
            f"{limits['max_total_bytes'] / 1e9:.1f} GB."
        )
    return files


def archive_open(content: IO[bytes]) -> zipfile.ZipFile:
    """The zip in `content`, or InvalidInput when it is not one."""
    try:
        return zipfile.ZipFile(content)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise InvalidInput("The upload is not a readable zip archive.") from None


def archive_extract(*, content: IO[bytes], target: str | os.PathLike[str]) -> list[str]:
    """Unpack a checked zip into `target`, enforcing every size while streaming; returns report
    lines for members left out (a member too large for the library, a name the disk refuses)."""
    limits = import_limits()
    notes: list[str] = []
    target_path = Path(target).resolve()
    total = 0
    with archive_open(content) as archive:
        for info in archive_check(archive):
            relative = _member_path(info.filename)
            if _is_system_path(relative):
                continue
            if info.file_size > limits["max_member_bytes"]:
                notes.append(
                    f"failed {relative}: the file is {info.file_size / 1e6:.0f} MB; the largest "
                    f"allowed is {limits['max_member_bytes'] / 1e6:.0f} MB."
                )
                continue
            destination = (target_path / relative).resolve()
            if not destination.is_relative_to(target_path) or destination.exists():
                notes.append(f"ignored {relative}: a second file with the same name")
                continue
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                total += _extract_member(archive, info, destination, limits, total)
            except OSError as error:
                notes.append(f"failed {relative}: could not unpack: {error.strerror or error}")
            except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
                notes.append(f"failed {relative}: the archive is damaged here ({error})")
    return notes


def _is_system_path(relative: str) -> bool:
    return any(is_system_name(part) for part in relative.split("/"))


def _extract_member(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    destination: Path,
    limits: dict[str, int],
    total_so_far: int,
) -> int:
    """Stream one member to disk, stopping at its declared size (headers can lie)."""
    written = 0
    try:
        with archive.open(info) as source, open(destination, "xb") as sink:
            while chunk := source.read(CHUNK_BYTES):
                written += len(chunk)
                if written > info.file_size or total_so_far + written > limits["max_total_bytes"]:
                    raise InvalidInput(
                        "The archive is damaged or hostile: a file in it is larger than it "
                        "says; it was not imported."
                    )
                sink.write(chunk)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return written
