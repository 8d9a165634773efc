"""Background work for library files that is too slow for the upload request."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from printops.core.blobs import blob_discard_if_unused, blob_open_verified, blob_put
from printops.library.extraction import png_stream, render_mesh_png
from printops.library.models import VariantVersion
from printops.library.search import search_index_design


@task()
def render_version_thumbnail(*, version_id: int) -> None:
    """Draw a PNG for a mesh version that carries no picture of its own."""
    version = (
        VariantVersion.objects.select_related("blob", "variant")
        .filter(pk=version_id, thumbnail__isnull=True)
        .first()
    )
    if version is None:
        return
    with blob_open_verified(version.blob) as local:
        png = render_mesh_png(local, version.original_name)
    if png is None:
        return
    thumbnail = blob_put(content=png_stream(png), media_type="image/png")
    with transaction.atomic():
        updated = VariantVersion.objects.filter(pk=version_id, thumbnail__isnull=True).update(
            thumbnail=thumbnail
        )
    if not updated:  # someone else drew it meanwhile
        blob_discard_if_unused(thumbnail)
        return
    # The search row carries the card's picture; without this the card said "no picture"
    # until the design changed again.
    search_index_design(design_id=version.variant.design_id)
