"""Storing demo designs: their files under their content addresses, then designs, tags,
variants, versions and filament usages in bulk, a chunk at a time, and the search index."""

from __future__ import annotations

import hashlib
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import OuterRef, Subquery

from printops.accounts.models import Membership, Workspace
from printops.accounts.roles import Role
from printops.core.blobs import blob_storage_key
from printops.core.models import Blob
from printops.library.demo.specs import DesignSpec, design_specs
from printops.library.models import (
    DEFAULT_CATEGORIES,
    Category,
    Design,
    FilamentUsage,
    Tag,
    Variant,
    VariantVersion,
)
from printops.library.services import filament_usage_rows
from printops.library.services.search_index import search_rebuild
from printops.materials.stock_matching import FilamentCatalogue

CHUNK_DESIGNS = 500


def build_demo(
    *, workspace: Workspace, rng: random.Random, designs: int = 40, **options: object
) -> list[str]:
    """Up to `designs` demo designs (never duplicated), then a rebuilt search index."""
    categories = {
        name: Category.objects.get_or_create(workspace=workspace, name=name)[0]
        for name in DEFAULT_CATEGORIES
    }
    existing = set(Design.objects.filter(workspace=workspace).values_list("name", flat=True))
    owner = (
        Membership.objects.filter(workspace=workspace, role=Role.OWNER)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    wanted = [spec for spec in design_specs(rng, designs) if spec.name not in existing]
    counts = [0, 0, 0]
    for start in range(0, len(wanted), CHUNK_DESIGNS):
        chunk = wanted[start : start + CHUNK_DESIGNS]
        _store_files(chunk)
        added = _write_chunk(workspace, chunk, categories=categories, user_id=owner)
        counts = [a + b for a, b in zip(counts, added, strict=True)]
    indexed = search_rebuild(workspace=workspace)
    return [
        f"library: {counts[0]} designs, {counts[1]} variants, {counts[2]} versions added "
        f"({indexed} designs in the search index)"
    ]


def _store_files(chunk: list[DesignSpec]) -> None:
    """Each version's G-code under its content address, plus its Blob row (as blob_put would)."""
    files: dict[str, bytes] = {}
    for design in chunk:
        for variant in design.variants:
            for version in variant.versions:
                version.sha256 = hashlib.sha256(version.gcode).hexdigest()
                files[version.sha256] = version.gcode
                version.picture_sha256 = hashlib.sha256(version.picture).hexdigest()
                files[version.picture_sha256] = version.picture
    known = set(
        Blob.objects.filter(sha256__in=list(files)).values_list("sha256", flat=True).iterator()
    )
    new = []
    for sha256, data in files.items():
        if sha256 in known:
            continue
        key = blob_storage_key(sha256)
        if not default_storage.exists(key):
            default_storage.save(key, ContentFile(data))
        media_type = "image/png" if data.startswith(b"\x89PNG") else "text/x-gcode"
        new.append(
            Blob(sha256=sha256, size_bytes=len(data), storage_key=key, media_type=media_type)
        )
    Blob.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)


@transaction.atomic
def _write_chunk(
    workspace: Workspace,
    chunk: list[DesignSpec],
    *,
    categories: dict[str, Category],
    user_id: int | None,
) -> tuple[int, int, int]:
    blob_ids = dict(
        Blob.objects.filter(
            sha256__in=[
                sha
                for d in chunk
                for va in d.variants
                for v in va.versions
                for sha in (v.sha256, v.picture_sha256)
            ]
        ).values_list("sha256", "id")
    )
    designs = Design.objects.bulk_create(
        [
            Design(
                workspace=workspace,
                name=spec.name,
                designer=spec.designer,
                licence=spec.licence,
                category=categories[spec.category],
                description=spec.description,
                created_by_id=user_id,
            )
            for spec in chunk
        ]
    )
    # auto_now(_add) ignores given values on insert; spread the dates for "newest" afterwards.
    for design, spec in zip(designs, chunk, strict=True):
        design.created_at = design.updated_at = spec.created_at
    Design.objects.bulk_update(designs, ["created_at", "updated_at"], batch_size=250)

    tags = {
        name: Tag.objects.get_or_create(workspace=workspace, name=name)[0]
        for name in sorted({t for spec in chunk for t in spec.tags})
    }
    Design.tags.through.objects.bulk_create(
        [
            Design.tags.through(design_id=design.pk, tag_id=tags[name].pk)
            for design, spec in zip(designs, chunk, strict=True)
            for name in spec.tags
        ]
    )
    variant_specs = [(design, v) for design, spec in zip(designs, chunk, strict=True)
                     for v in spec.variants]  # fmt: skip
    variants = Variant.objects.bulk_create(
        [Variant(workspace=workspace, design=design, name=v.name) for design, v in variant_specs]
    )
    version_rows = []
    for variant, (_, variant_spec) in zip(variants, variant_specs, strict=True):
        for number, version in enumerate(variant_spec.versions, start=1):
            row = VariantVersion(
                workspace=workspace,
                variant=variant,
                number=number,
                blob_id=blob_ids[version.sha256],
                thumbnail_id=blob_ids[version.picture_sha256],
                original_name=version.original_name,
                change_note=version.change_note,
                metadata=version.metadata,
                uploaded_by_id=user_id,
            )
            _fill_fast_columns(row)
            version_rows.append(row)
    versions = VariantVersion.objects.bulk_create(version_rows, batch_size=1000)
    catalogue = FilamentCatalogue(workspace=workspace)
    FilamentUsage.objects.bulk_create(
        [row for version in versions for row in filament_usage_rows(version, catalogue=catalogue)],
        batch_size=1000,
    )
    # The newest version of each variant is the one it prints by default.
    Variant.objects.filter(pk__in=[v.pk for v in variants]).update(
        default_version=Subquery(
            VariantVersion.objects.filter(variant=OuterRef("pk"))
            .order_by("-number")
            .values("pk")[:1]
        )
    )
    return len(designs), len(variants), len(versions)


def _fill_fast_columns(version: VariantVersion) -> None:
    """The flat columns, as the library's upload service fills them from metadata."""
    meta = version.metadata
    version.file_format = meta["format"]
    version.slicer_name = meta["slicer"]["name"]
    version.printer_model = meta["printer_model"]
    version.nozzle_diameter_mm = meta["nozzle_diameter_mm"]
    version.layer_height_mm = meta["layer_height_mm"]
    version.print_seconds = meta["print_time_s"]
    version.filament_grams = meta["total_filament_g"]
