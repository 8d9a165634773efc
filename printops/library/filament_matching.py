"""Matching a version's sliced filaments to the workspace's stock filaments: scoring (through
materials' FilamentCatalogue), pure calculation. The review queue's reads are in selectors.py;
the writes — confirming a match, creating a filament from a file, matching again — are in
services/filament_usages.py.

At upload every `FilamentUsage` is matched (materials.stock_matching): a confident match is
linked at once; otherwise the usage keeps its best guess's confidence and waits in the review
queue. Staff confirm a filament there, or create one from the file's values; either is
remembered as a `FilamentAlias`, and every other unmatched or automatically matched usage of the
same preset follows it — so a preset always maps the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from printops.library.models import FilamentUsage
from printops.materials.stock_matching import (
    FilamentCatalogue,
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
