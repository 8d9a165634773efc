"""Every read in the library, scoped by workspace first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from printops.accounts.models import Workspace
from printops.library.filament_matching import (
    MAX_REVIEW_GROUPS,
    MIN_SUGGESTED_CONFIDENCE,
    slicer_filament,
    usage_file_values,
)
from printops.library.models import (
    Category,
    Design,
    DesignFile,
    DesignImage,
    FilamentUsage,
    ImportJob,
    Tag,
    Variant,
    VariantVersion,
)
from printops.materials.stock_matching import FilamentCatalogue, FilamentMatch, SlicerFilament


def category_list(*, workspace: Workspace) -> QuerySet[Category]:
    return Category.objects.filter(workspace=workspace)


def import_job_list(*, workspace: Workspace) -> QuerySet[ImportJob]:
    """The workspace's import jobs, newest first."""
    return ImportJob.objects.filter(workspace=workspace).select_related("created_by")


def category_list_with_counts(*, workspace: Workspace) -> QuerySet[Category]:
    return category_list(workspace=workspace).annotate(design_count=Count("design"))


def tag_list(*, workspace: Workspace) -> QuerySet[Tag]:
    return Tag.objects.filter(workspace=workspace)


def design_image_list(*, workspace: Workspace) -> QuerySet[DesignImage]:
    return DesignImage.objects.filter(workspace=workspace).select_related("blob")


def design_file_list(*, workspace: Workspace) -> QuerySet[DesignFile]:
    return DesignFile.objects.filter(workspace=workspace).select_related("blob")


def design_list(*, workspace: Workspace) -> QuerySet[Design]:
    return Design.objects.filter(workspace=workspace).select_related("category")


def design_detail(*, workspace: Workspace, design_id: int) -> Design | None:
    """A design with its variants and their versions (newest first), in four queries."""
    versions = VariantVersion.objects.select_related("thumbnail").order_by("-number")
    variants = Variant.objects.prefetch_related(Prefetch("versions", queryset=versions)).annotate(
        version_count=Count("versions")
    )
    return (
        design_list(workspace=workspace)
        .prefetch_related("tags", "images", "files", Prefetch("variants", queryset=variants))
        .filter(pk=design_id)
        .first()
    )


def variant_list(*, workspace: Workspace) -> QuerySet[Variant]:
    return Variant.objects.filter(workspace=workspace).select_related("design")


def version_list(*, workspace: Workspace) -> QuerySet[VariantVersion]:
    return VariantVersion.objects.filter(workspace=workspace).select_related(
        "variant__design", "blob", "thumbnail", "uploaded_by"
    )


def version_detail(*, workspace: Workspace, version_id: int) -> VariantVersion | None:
    return (
        version_list(workspace=workspace)
        .prefetch_related(
            Prefetch(
                "filaments",
                queryset=FilamentUsage.objects.select_related("filament__vendor"),
            )
        )
        .filter(pk=version_id)
        .first()
    )


@dataclass(frozen=True)
class SettingChange:
    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class VersionComparison:
    older: VariantVersion
    newer: VariantVersion
    changes: list[SettingChange]
    print_seconds_delta: int | None
    filament_grams_delta: float | None


def version_compare(*, older: VariantVersion, newer: VariantVersion) -> VersionComparison:
    """Which settings differ between two versions (old → new), and time and grams deltas."""
    old_settings = older.metadata.get("settings") or {}
    new_settings = newer.metadata.get("settings") or {}
    changes = [
        SettingChange(key, old_settings.get(key), new_settings.get(key))
        for key in sorted(set(old_settings) | set(new_settings))
        if old_settings.get(key) != new_settings.get(key)
    ]
    seconds = (
        newer.print_seconds - older.print_seconds
        if newer.print_seconds is not None and older.print_seconds is not None
        else None
    )
    grams = (
        round(newer.filament_grams - older.filament_grams, 2)
        if newer.filament_grams is not None and older.filament_grams is not None
        else None
    )
    return VersionComparison(older, newer, changes, seconds, grams)


def design_ids_with_picture_pending(*, workspace: Workspace, design_ids: list[int]) -> set[int]:
    """Which of these designs have a mesh version whose picture a task is still drawing (see
    VariantVersion.picture_pending), in one query."""
    from django.utils import timezone

    from printops.library.models import RENDER_WAIT

    return set(
        VariantVersion.objects.filter(
            workspace=workspace,
            variant__design_id__in=design_ids,
            thumbnail__isnull=True,
            status=VariantVersion.Status.READY,
            file_format="stl",
            created_at__gte=timezone.now() - RENDER_WAIT,
        ).values_list("variant__design_id", flat=True)
    )


def design_card_picture_version_id(*, workspace: Workspace, design_id: int) -> int | None:
    """The version whose picture a design's search card shows, as the search row picks it: a
    variant's default version with a picture, else the newest version with one."""
    from django.db.models import F

    pictured = VariantVersion.objects.filter(
        workspace=workspace, variant__design_id=design_id, thumbnail__isnull=False
    )
    default = (
        pictured.filter(variant__default_version_id=F("pk"))
        .order_by("variant_id")
        .values_list("pk", flat=True)
        .first()
    )
    return default or pictured.order_by("-pk").values_list("pk", flat=True).first()


def unmatched_preset_count(*, workspace: Workspace) -> int:
    """How many distinct slicer presets (in their colours) have usages not linked to stock."""
    return (
        FilamentUsage.objects.filter(workspace=workspace, filament__isnull=True)
        .values_list("material", "brand", "name", "slicer_filament_id", "color_hex")
        .distinct()
        .count()
    )


@dataclass
class UnmatchedPreset:
    """One slicer preset in one colour that no catalogue filament is linked to yet."""

    wanted: SlicerFilament
    usage: FilamentUsage  # the newest, the one actions are posted for
    usages: int = 0
    versions: list[VariantVersion] = field(default_factory=list)
    candidates: list[FilamentMatch] = field(default_factory=list)
    file_values: dict[str, Any] = field(default_factory=dict)


def unmatched_presets(*, workspace: Workspace) -> list[UnmatchedPreset]:
    """The review queue: unlinked usages grouped by preset and colour, newest upload first,
    each with its best three catalogue candidates. At most MAX_REVIEW_GROUPS groups."""
    rows = (
        FilamentUsage.objects.filter(workspace=workspace, filament__isnull=True)
        .select_related("version__variant__design")
        .order_by("-version__created_at", "-pk")
    )
    groups: dict[str, UnmatchedPreset] = {}
    for usage in rows.iterator(chunk_size=500):
        wanted = slicer_filament(usage)
        group = groups.get(wanted.key)
        if group is None:
            if len(groups) >= MAX_REVIEW_GROUPS:
                continue
            group = groups[wanted.key] = UnmatchedPreset(wanted=wanted, usage=usage)
        group.usages += 1
        if len(group.versions) < 3 and usage.version not in group.versions:
            group.versions.append(usage.version)
    catalogue = FilamentCatalogue(workspace=workspace)
    for group in groups.values():
        group.candidates = [
            m
            for m in catalogue.candidates(group.wanted, limit=3)
            if m.confidence >= MIN_SUGGESTED_CONFIDENCE
        ]
        group.file_values = usage_file_values(group.usage)
    return list(groups.values())


def filament_usage_list(*, workspace: Workspace) -> QuerySet[FilamentUsage]:
    """Every filament usage of the workspace, with its version and linked filament."""
    return FilamentUsage.objects.filter(workspace=workspace).select_related(
        "version__variant__design", "filament__vendor"
    )
