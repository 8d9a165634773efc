"""Sliced files as versions: uploading (staging, extraction, filing), corrections, the default
version, moving and deleting versions."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.roles import Perm
from printops.core.blobs import blob_discard_if_unused, blob_open_verified, blob_put
from printops.core.errors import Conflict, InvalidInput
from printops.library import render_tasks
from printops.library.extraction import extract, png_stream
from printops.library.filament_matching import usages_apply_matches
from printops.library.grouping import suggest_grouping
from printops.library.models import (
    Design,
    FilamentUsage,
    Variant,
    VariantVersion,
)
from printops.library.services.common import (
    CORRECTABLE_FIELDS,
    _check_size,
    _delete_unless_printed,
    _variant_get_or_create,
)
from printops.library.services.designs import design_get_or_create
from printops.library.services.search_index import search_index_design
from printops.materials.stock_matching import FilamentCatalogue

FOREIGN_CONTENT = (
    (b"\x89PNG", "This is a PNG picture; add it to a model's pictures instead."),
    (b"\xff\xd8\xff", "This is a JPEG picture; add it to a model's pictures instead."),
    (b"GIF8", "This is a GIF picture, not a print file."),
    (b"%PDF", "This is a PDF document, not a print file."),
    (b"\x7fELF", "This is a program, not a print file."),
    (b"MZ", "This is a Windows program, not a print file."),
    (b"Rar!", "This is a RAR archive; unpack it and upload the files inside."),
    (b"7z\xbc\xaf", "This is a 7-Zip archive; unpack it and upload the files inside."),
)


ZIP_BASED_SUFFIXES = (".3mf", ".ufp")


def _refuse_foreign_content(content: IO[bytes], original_name: str) -> None:
    """Refuse what is plainly another kind of file, judged by its first bytes, not its name.

    A damaged or unknown print file is still kept (marked unreadable); a picture, a document,
    a program or an archive uploaded by mistake is not.
    """
    head = content.read(8)
    content.seek(0)
    for magic, sentence in FOREIGN_CONTENT:
        if head.startswith(magic):
            raise InvalidInput(sentence, field="file")
    if head.startswith(b"PK\x03\x04") and not original_name.lower().endswith(ZIP_BASED_SUFFIXES):
        raise InvalidInput(
            "This is a zip archive; use Import a zipped folder to bring in what it holds.",
            field="file",
        )


def version_upload(
    *,
    actor: Actor,
    content: IO[bytes],
    size_bytes: int,
    original_name: str,
    relative_path: str = "",
    design: Design | None = None,
    design_name: str = "",
    variant: Variant | None = None,
    variant_name: str = "",
    change_note: str = "",
) -> VariantVersion:
    """File a sliced file as the next version of a variant (created when named and missing).

    The bytes are stored first (outside any transaction); metadata and thumbnail are read from
    the stored copy after its hash is verified; the rows are written in one transaction. A file
    already in this workspace is refused with the version it is, and a failure leaves no blob.
    """
    actor.require(Perm.EDIT_CATALOGUE)
    original_name = (original_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not original_name:
        raise InvalidInput("The file has no name.", field="file")
    _check_size(size_bytes)
    _refuse_foreign_content(content, original_name)
    blob = blob_put(content=content)
    stored = [blob]
    try:
        existing = (
            VariantVersion.objects.select_related("variant__design")
            .filter(workspace=actor.workspace, blob=blob)
            .first()
        )
        if existing is not None:
            raise Conflict(f"This file is already in the library as {existing}.", field="file")
        with blob_open_verified(blob) as local:
            extraction = extract(local, original_name)
        thumbnail = (
            blob_put(content=png_stream(extraction.thumbnail_png), media_type="image/png")
            if extraction.thumbnail_png
            else None
        )
        if thumbnail is not None:
            stored.append(thumbnail)
        guess = suggest_grouping(relative_path or original_name, extraction.metadata)
        version = _file_version(
            actor=actor,
            blob=blob,
            original_name=original_name,
            extraction_metadata=extraction.metadata,
            unreadable_reason=extraction.unreadable_reason,
            thumbnail=thumbnail,
            design=design,
            design_name=design_name or guess.design,
            variant=variant,
            variant_name=variant_name or guess.variant,
            change_note=change_note,
        )
    except BaseException:
        for each in stored:
            blob_discard_if_unused(each)
        raise
    if extraction.needs_render:
        transaction.on_commit(
            lambda: render_tasks.render_version_thumbnail.enqueue(version_id=version.pk)
        )
    return version


def _file_version(
    *,
    actor: Actor,
    blob: Any,
    original_name: str,
    extraction_metadata: dict[str, Any],
    unreadable_reason: str,
    thumbnail: Any,
    design: Design | None,
    design_name: str,
    variant: Variant | None,
    variant_name: str,
    change_note: str,
) -> VariantVersion:
    if len(change_note) > 500:
        raise InvalidInput("Keep the change note under 500 characters.", field="change_note")
    with transaction.atomic():
        if variant is None:
            if design is None:
                design, _created = design_get_or_create(actor=actor, name=design_name)
            variant = _variant_get_or_create(actor=actor, design=design, name=variant_name)
        # Lock the variant so two uploads to it get numbers n+1 and n+2, never the same one.
        variant = Variant.objects.select_for_update().select_related("design").get(pk=variant.pk)
        number = (variant.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = VariantVersion(
            workspace=actor.workspace,
            variant=variant,
            number=number,
            blob=blob,
            original_name=original_name[:255],
            change_note=change_note.strip(),
            metadata=extraction_metadata,
            thumbnail=thumbnail,
            uploaded_by=actor.user,
            status=(
                VariantVersion.Status.UNREADABLE
                if unreadable_reason
                else VariantVersion.Status.READY
            ),
            unreadable_reason=unreadable_reason[:500],
        )
        _copy_fast_columns(version)
        version.save()
        FilamentUsage.objects.bulk_create(filament_usage_rows(version))
        if variant.default_version_id is None:
            Variant.objects.filter(pk=variant.pk).update(default_version=version)
            variant.default_version = version
        Design.objects.filter(pk=variant.design_id).update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            verb="version.uploaded",
            obj=version,
            after={"file": original_name, "status": version.status, "number": number},
        )
        search_index_design(design_id=variant.design_id)
    return version


def filament_usage_rows(
    version: VariantVersion, *, catalogue: FilamentCatalogue | None = None
) -> list[FilamentUsage]:
    """Unsaved FilamentUsage rows for the filaments in a version's metadata, each matched to
    the workspace's catalogue (linked when the match is confident)."""
    ids = _slicer_filament_ids(version.metadata)
    rows = [
        FilamentUsage(
            workspace_id=version.workspace_id,
            version=version,
            slot=f.get("slot") or 0,
            material=(f.get("type") or "")[:40],
            brand=(f.get("brand") or "")[:120],
            name=(f.get("name") or "")[:200],
            color_hex=(f.get("color_hex") or "")[:7],
            grams=f.get("used_g"),
            length_mm=f.get("used_mm"),
            slicer_filament_id=ids.get(f.get("slot") or 0, ""),
        )
        for f in version.metadata.get("filaments") or []
    ]
    if rows:
        catalogue = catalogue or FilamentCatalogue(workspace=version.workspace)
        usages_apply_matches(rows, catalogue=catalogue)
    return rows


def _slicer_filament_ids(metadata: dict[str, Any]) -> dict[int, str]:
    """Bambu Studio and its forks name each slot's preset by id ("GFA00;GFL99"): slot → id."""
    raw = (metadata.get("settings") or {}).get("filament_ids")
    if not isinstance(raw, str):
        return {}
    ids = (part.strip().strip('"').strip() for part in raw.split(";"))
    return {slot: value[:80] for slot, value in enumerate(ids) if value}


def _copy_fast_columns(version: VariantVersion) -> None:
    """Copy the filterable values out of metadata, corrections winning."""
    values = {**version.metadata, **{k: v["value"] for k, v in version.corrections.items()}}
    slicer = version.metadata.get("slicer") or {}
    version.file_format = (version.metadata.get("format") or "")[:12]
    version.slicer_name = (slicer.get("name") or "")[:60]
    version.printer_model = (values.get("printer_model") or "")[:120]
    version.nozzle_diameter_mm = values.get("nozzle_diameter_mm")
    version.layer_height_mm = values.get("layer_height_mm")
    seconds = values.get("print_time_s")
    plates = version.metadata.get("plates") or []
    if seconds is None and plates:
        seconds = sum(p.get("print_time_s") or 0 for p in plates) or None
    version.print_seconds = seconds
    grams = values.get("total_filament_g")
    if grams is None and plates:
        grams = sum(p.get("filament_g") or 0 for p in plates) or None
    version.filament_grams = grams


def version_correct(
    *, actor: Actor, version: VariantVersion, field: str, raw_value: str
) -> VariantVersion:
    """Correct one key value by hand; the extracted value stays in metadata, the correction
    records who changed it and when. An empty value removes the correction."""
    actor.require(Perm.EDIT_CATALOGUE)
    if field not in CORRECTABLE_FIELDS:
        raise InvalidInput("That value cannot be corrected by hand.", field="field")
    raw_value = (raw_value or "").strip()
    value: Any = None
    if raw_value:
        try:
            value = CORRECTABLE_FIELDS[field](raw_value)
        except ValueError:
            raise InvalidInput(
                f"“{raw_value}” is not a valid {field.replace('_', ' ')}.", field="value"
            ) from None
        if isinstance(value, (int, float)) and value < 0:
            raise InvalidInput("The value cannot be negative.", field="value")
    with transaction.atomic():
        version = VariantVersion.objects.select_for_update().get(pk=version.pk)
        before = version.corrections.get(field, {}).get("value", version.metadata.get(field))
        if value is None:
            version.corrections.pop(field, None)
        else:
            version.corrections[field] = {
                "value": value,
                "by": actor.user.display_name,
                "at": timezone.now().isoformat(),
            }
        _copy_fast_columns(version)
        version.save()
        audit_record(
            actor=actor,
            verb="version.corrected",
            obj=version,
            before={field: before},
            after={field: value},
        )
        search_index_design(design_id=version.variant.design_id)
    return version


def version_set_default(*, actor: Actor, version: VariantVersion) -> None:
    """Make this version the one its variant prints by default."""
    actor.require(Perm.EDIT_CATALOGUE)
    with transaction.atomic():
        Variant.objects.filter(pk=version.variant_id).update(default_version=version)
        search_index_design(design_id=version.variant.design_id)
        audit_record(
            actor=actor,
            verb="variant.default_version_set",
            obj=version.variant,
            after={"version": version.number},
        )


def version_move(
    *, actor: Actor, version: VariantVersion, design_name: str, variant_name: str
) -> VariantVersion:
    """File a version under another design/variant (created when missing), as its next number.

    The variant it leaves keeps a default version (its newest) or, when left empty, is removed
    together with a design that has nothing left.
    """
    actor.require(Perm.EDIT_CATALOGUE)
    with transaction.atomic():
        design, _created = design_get_or_create(actor=actor, name=design_name)
        target = _variant_get_or_create(actor=actor, design=design, name=variant_name)
        version = (
            VariantVersion.objects.select_for_update().select_related("variant").get(pk=version.pk)
        )
        source = version.variant
        if source.pk == target.pk:
            return version
        target = Variant.objects.select_for_update().get(pk=target.pk)
        before = {"variant": str(source), "number": version.number}
        version.variant = target
        version.number = (target.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version.save(update_fields=["variant", "number"])
        if target.default_version_id is None:
            Variant.objects.filter(pk=target.pk).update(default_version=version)
        _after_version_left(source)
        audit_record(
            actor=actor,
            verb="version.moved",
            obj=version,
            before=before,
            after={"variant": str(target), "number": version.number},
        )
        for design_id in {source.design_id, target.design_id}:
            search_index_design(design_id=design_id)
    return version


def _after_version_left(variant: Variant) -> None:
    newest = variant.versions.order_by("-number").first()
    if newest is None:
        design_id = variant.design_id
        variant.delete()
        if not Variant.objects.filter(design_id=design_id).exists():
            Design.objects.filter(pk=design_id, images__isnull=True, files__isnull=True).delete()
        return
    Variant.objects.filter(pk=variant.pk, default_version__isnull=True).update(
        default_version=newest
    )
    Variant.objects.filter(pk=variant.pk).exclude(
        default_version__in=variant.versions.all()
    ).update(default_version=newest)


def version_delete(*, actor: Actor, version: VariantVersion) -> None:
    """Delete one version; its variant keeps its newest remaining version as default."""
    actor.require(Perm.EDIT_CATALOGUE)
    blobs = [version.blob, version.thumbnail]
    with transaction.atomic():
        variant = Variant.objects.select_for_update().get(pk=version.variant_id)
        audit_record(
            actor=actor,
            verb="version.deleted",
            obj=version,
            before={"file": version.original_name, "number": version.number},
        )
        if variant.default_version_id == version.pk:
            Variant.objects.filter(pk=variant.pk).update(default_version=None)
        _delete_unless_printed(version, what=f"{version} has")
        _after_version_left(variant)
        search_index_design(design_id=variant.design_id)
    for blob in blobs:
        if blob is not None:
            blob_discard_if_unused(blob)
