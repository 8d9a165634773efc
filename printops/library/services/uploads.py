"""Resumable uploads: start, append a piece at an offset, finish into a version; and the sweep
that discards abandoned ones with their pieces.

A piece is accepted only at the offset the server has reached (a conditional UPDATE claims
it), so a retried or duplicated request never stores bytes twice or out of order.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.roles import Perm
from printops.core.blobs import ORPHAN_GRACE
from printops.core.errors import Conflict, InvalidInput
from printops.library.models import ChunkedUpload, VariantVersion
from printops.library.services.versions import version_upload


def chunked_upload_start(*, actor: Actor, original_name: str, size_bytes: int) -> ChunkedUpload:
    """Open an upload of `size_bytes` bytes; pieces then arrive with chunked_upload_append."""
    actor.require(Perm.EDIT_CATALOGUE)
    original_name = (original_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not original_name:
        raise InvalidInput("The file has no name.", field="name")
    if size_bytes <= 0:
        raise InvalidInput("The file is empty.", field="size")
    if size_bytes > settings.PRINTOPS_MAX_UPLOAD_BYTES:
        limit_mb = settings.PRINTOPS_MAX_UPLOAD_BYTES / 1e6
        raise InvalidInput(
            f"The file is {size_bytes / 1e6:.0f} MB; the largest allowed is {limit_mb:.0f} MB.",
            field="size",
        )
    return ChunkedUpload.objects.create(
        workspace=actor.workspace,
        uploaded_by=actor.user,
        original_name=original_name[:255],
        size_bytes=size_bytes,
        chunk_bytes=settings.PRINTOPS_UPLOAD_CHUNK_BYTES,
    )


def chunked_upload_append(
    *, actor: Actor, upload: ChunkedUpload, offset: int, data: bytes
) -> ChunkedUpload:
    """Store the piece starting at `offset`; it must be where the upload has reached."""
    actor.require(Perm.EDIT_CATALOGUE)
    if offset != upload.received_bytes:
        raise Conflict(f"The server has {upload.received_bytes} bytes; send from there.")
    expected = min(upload.chunk_bytes, upload.size_bytes - offset)
    if len(data) != expected:
        raise InvalidInput(f"This piece should be {expected} bytes, not {len(data)}.")
    key = upload.chunk_key(offset // upload.chunk_bytes)
    if default_storage.exists(key):  # a retried piece whose answer was lost
        default_storage.delete(key)
    default_storage.save(key, ContentFile(data))
    with transaction.atomic():
        claimed = ChunkedUpload.objects.filter(pk=upload.pk, received_bytes=offset).update(
            # updated_at too: an upload expires a day after its last piece, not its first.
            received_bytes=F("received_bytes") + len(data),
            updated_at=timezone.now(),
        )
    if claimed != 1:
        raise Conflict("Another request sent this piece at the same time; ask for the status.")
    upload.refresh_from_db()
    return upload


class _JoinedChunks(io.RawIOBase):
    """The stored pieces read back in order as one stream, one piece in memory at a time."""

    def __init__(self, upload: ChunkedUpload) -> None:
        self._upload = upload
        self.seek(0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Only back to the start (callers peek at the first bytes, then read it all)."""
        if (offset, whence) != (0, io.SEEK_SET):
            raise io.UnsupportedOperation("joined pieces can only be rewound to the start")
        upload = self._upload
        self._pieces: Iterator[str] = iter(
            upload.chunk_key(i) for i in range(-(-upload.size_bytes // upload.chunk_bytes))
        )
        self._buffer = b""
        return 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            key = next(self._pieces, None)
            if key is None:
                break
            with default_storage.open(key, "rb") as piece:
                self._buffer += piece.read()
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def chunked_upload_finish(
    *,
    actor: Actor,
    upload: ChunkedUpload,
    relative_path: str = "",
    design_name: str = "",
    variant_name: str = "",
    change_note: str = "",
) -> VariantVersion:
    """Join the pieces into a version (like a one-piece upload) and forget the pieces."""
    if upload.received_bytes != upload.size_bytes:
        raise Conflict(f"Only {upload.received_bytes} of {upload.size_bytes} bytes have arrived.")
    try:
        content: IO[bytes] = _JoinedChunks(upload)  # type: ignore[assignment]
        return version_upload(
            actor=actor,
            content=content,
            size_bytes=upload.size_bytes,
            original_name=upload.original_name,
            relative_path=relative_path,
            design_name=design_name,
            variant_name=variant_name,
            change_note=change_note,
        )
    finally:
        chunked_upload_discard(upload=upload)


def chunked_upload_discard(*, upload: ChunkedUpload) -> None:
    """Delete an upload's pieces and its row (after finishing, or when abandoned)."""
    for index in range(-(-upload.size_bytes // upload.chunk_bytes)):
        key = upload.chunk_key(index)
        if default_storage.exists(key):
            default_storage.delete(key)
    ChunkedUpload.objects.filter(pk=upload.pk).delete()


def chunked_uploads_expire() -> int:
    """Discard resumable uploads with no new piece for PRINTOPS_CHUNKED_UPLOAD_EXPIRY_HOURS,
    with their pieces, and pieces whose upload row is gone. Returns how many were removed."""
    cutoff = timezone.now() - timedelta(hours=settings.PRINTOPS_CHUNKED_UPLOAD_EXPIRY_HOURS)
    removed = 0
    for upload in ChunkedUpload.objects.filter(updated_at__lt=cutoff).iterator():
        chunked_upload_discard(upload=upload)
        removed += 1
    removed += _orphan_pieces_sweep()
    return removed


def _orphan_pieces_sweep() -> int:
    """Pieces under partial/<id>/ whose upload row no longer exists (a crash between deleting
    the pieces and the row), once older than the blob grace period."""
    try:
        folders, _files = default_storage.listdir("partial")
    except FileNotFoundError:
        return 0
    ids = {int(folder) for folder in folders if folder.isdigit()}
    known = set(ChunkedUpload.objects.filter(pk__in=ids).values_list("pk", flat=True))
    cutoff = timezone.now() - ORPHAN_GRACE
    removed = 0
    for upload_id in sorted(ids - known):
        _dirs, pieces = default_storage.listdir(f"partial/{upload_id}")
        for piece in pieces:
            key = f"partial/{upload_id}/{piece}"
            if default_storage.get_modified_time(key) < cutoff:
                default_storage.delete(key)
                removed += 1
    return removed
