"""Pictures drawn after an upload: a PNG for a mesh version that carries none of its own."""

from __future__ import annotations

from django.db import transaction

from printops.core.blobs import blob_discard_if_unused, blob_open_verified, blob_put
from printops.library.extraction import png_stream, render_mesh_png
from printops.library.models import VariantVersion
from printops.library.services.search_index import search_index_design


def version_thumbnail_render(*, version_id: int) -> None:
    """Draw and store a PNG for a mesh version without a picture; stored once however many
    workers try (a conditional UPDATE), and the design's search card shows it."""
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
