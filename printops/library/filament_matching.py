"""Matching a version's sliced filaments to the workspace's stock filaments: scoring (through
materials' FilamentCatalogue) and the review queue's reads. The writes — confirming a match,
creating a filament from a file, matching again — are in services/filament_usages.py.

At upload every `FilamentUsage` is matched (materials.stock_matching): a confident match is
linked at once; otherwise the usage keeps its best guess's confidence and waits in the review
queue. Staff confirm a filament there, or create one from the file's values; either is
remembered as a `FilamentAlias`, and every other unmatched or automatically matched usage of the
same preset follows it — so a preset always maps the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from printops.accounts.models import Workspace
from printops.library.models import FilamentUsage, VariantVersion
from printops.materials.stock_matching import (
    FilamentCatalogue,
    FilamentMatch,
    SlicerFilament,
)

Source = FilamentUsage.MatchSource
# Links staff made by hand are kept when a mapping changes; automatic ones follow it.
FOLLOWS_MAPPING = ("", Source.AUTO, Source.REMEMBERED)
# What a change of the catalogue matches again: nobody chose these links.
REMATCHED = ("", Source.AUTO)
MAX_REVIEW_GROUPS = 200
# ΔE ≈ 11 and beyond is another colour: not worth suggesting.
MIN_SUGGESTED_CONFIDENCE = 0.05


def slicer_filament(usage: FilamentUsage) -> SlicerFilament:
    """The usage as the slicer described it, in the terms materials matches on."""
    return SlicerFilament(
        material=usage.material,
        brand=usage.brand,
        name=usage.name,
        slicer_filament_id=usage.slicer_filament_id,
        color_hex=usage.color_hex,
    )


def usages_apply_matches(usages: Iterable[FilamentUsage], *, catalogue: FilamentCatalogue) -> None:
    """Set each unlinked usage's filament when its best match is confident (no write; the
    caller saves), and its best guess's confidence either way, for the review queue."""
    for usage in usages:
        if usage.filament_id is not None:
            continue
        best = catalogue.best(slicer_filament(usage))
        usage.match_confidence = best.confidence if best else None
        if best is not None and best.confident:
            usage.filament = best.filament
            usage.match_source = Source.REMEMBERED if best.remembered else Source.AUTO


def usage_file_values(usage: FilamentUsage) -> dict[str, Any]:
    """The file's own numbers for this slot (density, diameter, cost per kg)."""
    for entry in usage.version.metadata.get("filaments") or []:
        if isinstance(entry, dict) and (entry.get("slot") or 0) == usage.slot:
            return entry
    return {}


# --- reads -----------------------------------------------------------------------------------


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


def usage_list(*, workspace: Workspace) -> Any:
    """Every filament usage of the workspace, with its version and linked filament."""
    return FilamentUsage.objects.filter(workspace=workspace).select_related(
        "version__variant__design", "filament__vendor"
    )
