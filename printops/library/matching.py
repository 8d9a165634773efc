"""Linking the filaments of sliced files to the materials catalogue.

At upload every `FilamentUsage` is matched (materials.matching): a confident match is linked at
once; otherwise the usage keeps its best guess's confidence and waits in the review queue. Staff
confirm a filament there, or create one from the file's values; either is remembered as a
`FilamentAlias`, and every other unmatched or automatically matched usage of the same preset
follows it — so a preset always maps the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import InvalidInput
from printops.library.models import FilamentUsage, VariantVersion
from printops.materials import services as materials_services
from printops.materials.models import Filament
from printops.materials.stock_matching import (
    FilamentCatalogue,
    FilamentMatch,
    SlicerFilament,
)

Source = FilamentUsage.MatchSource
# Links staff made by hand are kept when a mapping changes; automatic ones follow it.
_FOLLOWS_MAPPING = ("", Source.AUTO, Source.REMEMBERED)
# What a change of the catalogue matches again: nobody chose these links.
_REMATCHED = ("", Source.AUTO)
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


def usages_rematch(*, actor: Actor) -> int:
    """Match every usage no person linked again ("Match again"); return how many changed."""
    actor.require(Perm.EDIT_CATALOGUE)
    with transaction.atomic():
        linked = usages_rematch_open(workspace=actor.workspace)
        if linked:
            audit_record(actor=actor, verb="filament_usage.rematched", after={"linked": linked})
    return linked


def usages_rematch_open(*, workspace: Workspace) -> int:
    """Match the usages no person linked — unmatched, or matched automatically — against the
    catalogue as it is now, as an upload would; return how many were linked or moved.

    Links staff made (confirmed, created) and remembered mappings stay. An automatic link
    moves to a more confident filament, and goes back to the review queue when its filament
    changed so that it no longer matches (a colour corrected from red to blue). Each preset is
    scored once however many uploads use it, and every write is conditional on the row still
    being what was read, so a confirmation made meanwhile is never overwritten.
    """
    catalogue = FilamentCatalogue(workspace=workspace)
    open_rows = FilamentUsage.objects.filter(
        workspace=workspace, match_source__in=_REMATCHED
    ).values_list(
        "pk", "material", "brand", "name", "slicer_filament_id", "color_hex", "filament_id",
        "match_confidence", "match_source",
    )  # fmt: skip
    groups: dict[tuple[SlicerFilament, int | None, float | None, str], list[int]] = {}
    for pk, material, brand, name, preset_id, hex_, filament_id, confidence, source in open_rows:
        wanted = SlicerFilament(
            material=material, brand=brand, name=name, slicer_filament_id=preset_id,
            color_hex=hex_,
        )  # fmt: skip
        groups.setdefault((wanted, filament_id, confidence, source), []).append(pk)
    changed = 0
    with transaction.atomic():
        for (wanted, filament_id, confidence, source), pks in groups.items():
            found = catalogue.candidates(wanted, limit=len(catalogue.filaments) or 1)
            best = found[0] if found else None
            current = next((m for m in found if m.filament.pk == filament_id), None)
            if best is not None and best.confident:
                if (
                    current is not None
                    and current.confident
                    and not best.remembered
                    and best.confidence <= current.confidence
                ):
                    best = current  # a tie keeps the link people have seen
                update = {
                    "filament_id": best.filament.pk,
                    "match_confidence": best.confidence,
                    "match_source": Source.REMEMBERED if best.remembered else Source.AUTO,
                }
            else:
                update = {
                    "filament_id": None,
                    "match_confidence": best.confidence if best else None,
                    "match_source": "",
                }
            if (update["filament_id"], update["match_confidence"], update["match_source"]) == (
                filament_id,
                confidence,
                source,
            ):
                continue
            updated = FilamentUsage.objects.filter(
                pk__in=pks, match_source=source, filament_id=filament_id
            ).update(**update)
            # A new confidence alone (the review queue shows it) links nothing.
            if update["filament_id"] != filament_id:
                changed += updated
    return changed


def _same_preset(*, workspace: Workspace, usage: FilamentUsage) -> list[FilamentUsage]:
    """Usages of the same preset and colour (the alias key), locked for the update."""
    key = slicer_filament(usage).key
    rows = FilamentUsage.objects.select_for_update().filter(
        workspace=workspace,
        material__iexact=usage.material,
        brand__iexact=usage.brand,
        name__istartswith=usage.name.split("@", 1)[0].strip(),
        color_hex__iexact=usage.color_hex,
        slicer_filament_id__iexact=usage.slicer_filament_id,
    )
    return [row for row in rows if slicer_filament(row).key == key]


def _link_preset(*, actor: Actor, usage: FilamentUsage, filament: Filament, source: str) -> int:
    """Link `usage` by hand (`source`) and the other uses of its preset as the remembered
    mapping, so a later mapping moves them again; links made by hand elsewhere stay. Two
    UPDATEs, whatever the number of uses."""
    followers = [
        row.pk
        for row in _same_preset(workspace=actor.workspace, usage=usage)
        if row.pk != usage.pk and row.match_source in _FOLLOWS_MAPPING
    ]
    FilamentUsage.objects.filter(pk__in=followers).update(
        filament=filament, match_confidence=1.0, match_source=Source.REMEMBERED
    )
    FilamentUsage.objects.filter(pk=usage.pk).update(
        filament=filament, match_confidence=1.0, match_source=source
    )
    usage.refresh_from_db(fields=["filament", "match_confidence", "match_source"])
    return len(followers) + 1


def usage_confirm(*, actor: Actor, usage: FilamentUsage, filament: Filament) -> int:
    """Link `usage` to `filament`, remember the mapping, and move every other usage of the same
    preset that was unmatched or matched automatically with it. Returns the usages linked."""
    actor.require(Perm.EDIT_CATALOGUE)
    if usage.workspace_id != actor.workspace.pk or filament.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's filaments.", field="filament")
    with transaction.atomic():
        materials_services.filament_alias_remember(
            actor=actor, slicer_filament=slicer_filament(usage), filament=filament
        )
        linked = _link_preset(actor=actor, usage=usage, filament=filament, source=Source.CONFIRMED)
        audit_record(
            actor=actor,
            verb="filament_usage.confirmed",
            obj=usage,
            after={"filament": str(filament), "usages": linked},
        )
    return linked


def usage_create_filament(*, actor: Actor, usage: FilamentUsage) -> Filament:
    """Add the filament the file describes to the catalogue (see
    `filament_create_from_slicer`) and link every usage of the same preset to it."""
    actor.require(Perm.EDIT_CATALOGUE)
    file_values = _file_values(usage)
    with transaction.atomic():
        filament = materials_services.filament_create_from_slicer(
            actor=actor, slicer_filament=slicer_filament(usage), file_values=file_values
        )
        linked = _link_preset(actor=actor, usage=usage, filament=filament, source=Source.CREATED)
        audit_record(
            actor=actor,
            verb="filament_usage.created_filament",
            obj=usage,
            after={"filament": str(filament), "usages": linked},
        )
    return filament


def _file_values(usage: FilamentUsage) -> dict[str, Any]:
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
        group.file_values = _file_values(group.usage)
    return list(groups.values())


def usage_list(*, workspace: Workspace) -> Any:
    """Every filament usage of the workspace, with its version and linked filament."""
    return FilamentUsage.objects.filter(workspace=workspace).select_related(
        "version__variant__design", "filament__vendor"
    )
