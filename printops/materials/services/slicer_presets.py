"""Filaments named by sliced files: remembering which catalogue filament a slicer preset is
printed with, and adding the filament a file describes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.roles import Perm
from printops.core.errors import InvalidInput
from printops.materials.models import Filament, FilamentAlias, Material, Vendor
from printops.materials.services.filaments import filament_create, vendor_create
from printops.materials.services.inputs import clean_hex
from printops.materials.stock_matching import SlicerFilament


def filament_alias_remember(
    *, actor: Actor, slicer_filament: SlicerFilament, filament: Filament
) -> FilamentAlias:
    """Remember that this slicer preset (in this colour) is printed with `filament`, so later
    uploads of it link without asking. Confirming again replaces the earlier mapping."""
    actor.require(Perm.EDIT_CATALOGUE)
    if filament.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's filaments.", field="filament")
    with transaction.atomic():
        alias, _created = FilamentAlias.objects.update_or_create(
            workspace=actor.workspace,
            key=slicer_filament.key,
            defaults={
                "filament": filament,
                "material": slicer_filament.material[:40],
                "brand": slicer_filament.brand[:120],
                "name": slicer_filament.name[:200],
                "color_hex": slicer_filament.color_hex[:7],
                "created_by": actor.user,
            },
        )
        audit_record(
            actor=actor,
            verb="filament_alias.saved",
            obj=alias,
            after={
                "preset": " ".join(p for p in (slicer_filament.brand, slicer_filament.name) if p),
                "color_hex": slicer_filament.color_hex,
                "filament": str(filament),
            },
        )
    return alias


def filament_create_from_slicer(
    *, actor: Actor, slicer_filament: SlicerFilament, file_values: dict[str, Any]
) -> Filament:
    """Add the filament a sliced file describes — its brand as the vendor (made when new,
    "Generic" when the file names none), material, colour, density, diameter and price — and
    remember the mapping. `file_values` holds the file's numbers (SliceMetadata's filament
    keys: density_g_cm3, diameter_mm, cost_per_kg); odd ones are left at the defaults."""
    actor.require(Perm.EDIT_CATALOGUE)
    family = slicer_filament.family or Material.OTHER
    brand = " ".join(slicer_filament.brand.split())[:120] or "Generic"
    try:
        color_hex = clean_hex(slicer_filament.color_hex)
    except InvalidInput:
        raise InvalidInput(
            "The file gives no colour for this filament; add it by hand with its colour.",
            field="color_hex",
        ) from None
    measured: dict[str, Decimal | None] = {}
    for ours, theirs, low, high in (
        ("density_g_cm3", "density_g_cm3", 0.5, 3.0),
        ("diameter_mm", "diameter_mm", 1.0, 3.5),
        ("price_per_kg", "cost_per_kg", 0.01, 10000.0),
    ):
        value = file_values.get(theirs)
        measured[ours] = (
            Decimal(str(value))
            if isinstance(value, (int, float)) and low <= value <= high
            else None
        )
    with transaction.atomic():
        vendor = Vendor.objects.filter(workspace=actor.workspace, name__iexact=brand).first()
        if vendor is None:
            vendor = vendor_create(actor=actor, name=brand)
        filament = filament_create(
            actor=actor,
            vendor=vendor,
            material=family,
            color_hex=color_hex,
            density_g_cm3=measured["density_g_cm3"],
            diameter_mm=measured["diameter_mm"],
            price_per_kg=measured["price_per_kg"],
            article_number=slicer_filament.slicer_filament_id[:80],
        )
        filament_alias_remember(actor=actor, slicer_filament=slicer_filament, filament=filament)
    return filament
