"""Store and read content-addressed blobs through Django's default storage.

Uploads are hashed while they are written to a temporary key, then moved to
`blobs/<aa>/<bb>/<sha256>`; a second upload of the same bytes finds the existing Blob and
stores nothing. Reads for processing verify the hash, so a corrupted object is caught
before anything is extracted from it.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import IO, TYPE_CHECKING, cast

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Exists, ForeignObjectRel, OuterRef
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from printops.core.errors import Conflict
from printops.core.models import Blob

if TYPE_CHECKING:
    from storages.backends.s3 import S3Storage

CHUNK_BYTES = 1024 * 1024
# An upload stores its bytes before the row that points at them (never inside a transaction),
# so for a while a new blob has no row or no referrer. A day is far beyond the slowest upload.
ORPHAN_GRACE = timedelta(hours=24)


def blob_storage_key(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def blob_put(*, content: IO[bytes], media_type: str = "application/octet-stream") -> Blob:
    """Return the Blob holding exactly these bytes, storing them only if they are new.

    Never call inside a transaction: the upload to storage may be slow.
    """
    digest = hashlib.sha256()
    size_bytes = 0
    # Spool to a local temporary file while hashing: object stores need the key before the
    # bytes, and we only know the key (the hash) after reading them all.
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK_BYTES) as spool:
        while chunk := content.read(CHUNK_BYTES):
            digest.update(chunk)
            size_bytes += len(chunk)
            spool.write(chunk)
        sha256 = digest.hexdigest()
        existing = Blob.objects.filter(sha256=sha256).first()
        if existing is not None:
            return existing
        key = blob_storage_key(sha256)
        spool.seek(0)
        if not default_storage.exists(key):
            saved_key = default_storage.save(f"uploads/{uuid.uuid4().hex}", File(spool))
            _move(saved_key, key)
    try:
        with transaction.atomic():
            return Blob.objects.create(
                sha256=sha256, size_bytes=size_bytes, media_type=media_type, storage_key=key
            )
    except IntegrityError:
        # Another upload of the same bytes won the race; both callers get the one Blob.
        return Blob.objects.get(sha256=sha256)


def _move(source_key: str, target_key: str) -> None:
    """Give a stored object its content address (copy + delete: storages have no rename)."""
    with default_storage.open(source_key, "rb") as source:
        if not default_storage.exists(target_key):
            stored = default_storage.save(target_key, source)
            if stored != target_key:  # pragma: no cover - storage renamed a concurrent write
                default_storage.delete(stored)
    default_storage.delete(source_key)


@contextmanager
def blob_open_verified(blob: Blob) -> Iterator[IO[bytes]]:
    """Yield a local, seekable copy of the blob's bytes after checking them against its hash."""
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(prefix="printops-blob-") as local:
        with default_storage.open(blob.storage_key, "rb") as stored:
            while chunk := stored.read(CHUNK_BYTES):
                digest.update(chunk)
                local.write(chunk)
        if digest.hexdigest() != blob.sha256:
            raise Conflict(
                "The stored file no longer matches its checksum; restore it from a backup."
            )
        local.flush()
        local.seek(0)
        yield local


def blob_url(blob: Blob, *, filename: str | None = None) -> str:
    """A URL for downloading the blob: short-lived and signed on S3, local otherwise."""
    if filename and hasattr(default_storage, "bucket_name"):
        return cast("S3Storage", default_storage).url(
            blob.storage_key,
            parameters={"ResponseContentDisposition": f'attachment; filename="{filename}"'},
        )
    return default_storage.url(blob.storage_key)


def blob_response(
    blob: Blob, filename: str, *, attachment: bool, media_type: str
) -> HttpResponseBase:
    """A blob as an HTTP answer: a redirect to a signed URL on S3, the file itself otherwise
    (pictures cached privately for a day, downloads not)."""
    if hasattr(default_storage, "bucket_name"):
        return redirect(blob_url(blob, filename=filename if attachment else None))
    handle = default_storage.open(blob.storage_key, "rb")
    response = FileResponse(
        handle, as_attachment=attachment, filename=filename, content_type=media_type
    )
    response["Cache-Control"] = "private, max-age=86400" if not attachment else "private"
    return response


def _blob_relations() -> list[ForeignObjectRel]:
    """The reverse side of every foreign key to Blob (its `field.model` is the referring model)."""
    return [
        field
        for field in Blob._meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel)
        and field.is_relation
        and field.auto_created
        and not field.concrete
    ]


def blob_discard_if_unused(blob: Blob) -> bool:
    """Delete a blob (row and stored bytes) that no row points at any more.

    Called when a write that stored bytes fails afterwards, so a failed upload leaves nothing.
    Every model that references Blob is found through Django's relations, so new apps need no
    change here.
    """
    for relation in _blob_relations():
        if relation.field.model._default_manager.filter(**{relation.field.name: blob}).exists():
            return False
    with transaction.atomic():
        deleted, _ = Blob.objects.filter(pk=blob.pk).delete()
    if deleted:
        default_storage.delete(blob.storage_key)
    return bool(deleted)


def blob_orphans_sweep(*, older_than: timedelta = ORPHAN_GRACE) -> int:
    """Delete what crashed or abandoned uploads left, once older than `older_than`: Blob rows
    no row points at, stored objects under blobs/ without a Blob row, and temporary upload keys.
    Works on any storage (listdir and get_modified_time; S3 included). Returns the count."""
    cutoff = timezone.now() - older_than
    unused = Blob.objects.filter(created_at__lt=cutoff)
    for relation in _blob_relations():
        referrers = relation.field.model._default_manager.filter(
            **{relation.field.name: OuterRef("pk")}
        )
        unused = unused.filter(~Exists(referrers))
    removed = sum(1 for blob in unused.iterator() if blob_discard_if_unused(blob))
    for keys in _stored_keys("blobs"):
        known = set(Blob.objects.filter(storage_key__in=keys).values_list("storage_key", flat=True))
        removed += sum(_delete_if_older(key, cutoff) for key in keys if key not in known)
    for keys in _stored_keys("uploads"):
        removed += sum(_delete_if_older(key, cutoff) for key in keys)
    return removed


def _stored_keys(prefix: str) -> Iterator[list[str]]:
    """The stored keys under `prefix`, one folder's files at a time."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:  # nothing stored there yet
        return
    if files:
        yield [f"{prefix}/{name}" for name in files]
    for folder in folders:
        yield from _stored_keys(f"{prefix}/{folder}")


def _delete_if_older(key: str, cutoff: datetime) -> bool:
    try:
        if default_storage.get_modified_time(key) >= cutoff:
            return False
    except FileNotFoundError:
        return False
    default_storage.delete(key)
    return True
