"""The library's storage sweeps (registered in apps.py): abandoned resumable uploads and their
pieces. Imports a crash left "running" are in import_recovery.py."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from printops.core.blobs import ORPHAN_GRACE
from printops.library.chunked_uploads import chunked_upload_discard
from printops.library.models import ChunkedUpload


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
