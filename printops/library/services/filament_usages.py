"""Linking the filaments of sliced files to the materials catalogue (the writes).

At upload every `FilamentUsage` is matched (filament_matching.py): a confident match is linked
at once; otherwise the usage keeps its best guess's confidence and waits in the review queue.
Staff confirm a filament there, or create one from the file's values; either is remembered as a
`FilamentAlias`, and every other unmatched or automatically matched usage of the same preset
follows it — so a preset always maps the same way.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import InvalidInput
from printops.library.filament_matching import (
    FOLLOWS_MAPPING,
    REMATCHED,
    Source,
    slicer_filament,
    usage_file_values,
)
from printops.library.models import FilamentUsage
from printops.materials import services as materials_services
from printops.materials.models import Filament
from printops.materials.stock_matching import FilamentCatalogue, SlicerFilament


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
        workspace=workspace, match_source__in=REMATCHED
    ).values_list(
        "pk", "material", "brand", "name", "slicer_filament_id", "color_hex", "filament_id",
        "match_confidence", "match_source",
    )  # fmt: skip
    groups: dict[tuple[SlicerFilament, int | None, float | None, str], list[int]] = {}
    for pk, material, brand, name, preset_id, hex_, linked_id, confidence, source in open_rows:
        wanted = SlicerFilament(
            material=material, brand=brand, name=name, slicer_filament_id=preset_id,
            color_hex=hex_,
        )  # fmt: skip
        groups.setdefault((wanted, linked_id, confidence, source), []).append(pk)
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
                update: dict[str, Any] = {
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
                Q(filament_id=filament_id), pk__in=pks, match_source=source
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
        if row.pk != usage.pk and row.match_source in FOLLOWS_MAPPING
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
    file_values = usage_file_values(usage)
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


def usages_rematch_after_catalogue_change(*, workspace_id: int) -> int:
    """Match a workspace's open usages again because its catalogue changed (a background task),
    audited without a person; returns how many were linked or moved (0 for a workspace deleted
    since)."""
    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:  # deleted since
        return 0
    with transaction.atomic():
        linked = usages_rematch_open(workspace=workspace)
        if linked:
            audit_record(
                actor=None,
                workspace=workspace,
                verb="filament_usage.rematched",
                after={"linked": linked, "reason": "the catalogue changed"},
            )
    return linked
