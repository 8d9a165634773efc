"""Per-layer grams: reading how much filament a G-code file has used at each layer change
(in a background task), so a failed print can be charged by the layer it reached."""

from __future__ import annotations

import logging

from django.db import transaction

from printops.core.errors import Conflict
from printops.library.models import VariantVersion
from printops.production.models import VersionLayers

logger = logging.getLogger(__name__)


def _layers_later(version: VariantVersion) -> None:
    """After commit, read the version's per-layer grams in a task (G-code only, once)."""
    if version.file_format != "gcode":
        return
    if VersionLayers.objects.filter(version=version).exists():
        return
    from printops.production.tasks import read_version_layers

    transaction.on_commit(lambda: read_version_layers.enqueue(version_id=version.pk))


def version_layers_read(*, version: VariantVersion) -> VersionLayers:
    """Read the cumulative grams per filament at each layer change of a version's G-code and
    keep them (a pass over the whole file: run it in a task, never in a request)."""
    from printops.core.blobs import blob_open_verified
    from printops.slicefile import SliceFileError, filament_by_layer

    grams_by_layer: list[list[float]] = []
    total: list[float] = []
    error = ""
    try:
        with blob_open_verified(version.blob) as local:
            usage = filament_by_layer(local.name)
        grams_by_layer = [[round(g, 6) for g in layer.grams] for layer in usage.layers]
        total = [round(g, 6) for g in usage.total_grams]
    except (SliceFileError, Conflict, OSError) as exc:
        error = str(exc)[:500] or "The file could not be read."
        logger.info("layers of version %s not read: %s", version.pk, error)
    layers, _ = VersionLayers.objects.update_or_create(
        version=version,
        defaults={
            "workspace_id": version.workspace_id,
            "grams_by_layer": grams_by_layer,
            "total_grams": total,
            "error": error,
        },
    )
    return layers


def version_layers_read_once(*, version_id: int) -> VersionLayers | None:
    """Read a version's per-layer grams unless they are kept already (what a task queued at
    queueing time does; a version deleted meanwhile is skipped)."""
    if VersionLayers.objects.filter(version_id=version_id).exists():
        return None
    version = VariantVersion.objects.select_related("blob").filter(pk=version_id).first()
    if version is None:
        return None
    return version_layers_read(version=version)
