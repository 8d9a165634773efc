"""The catalogue: vendors and filaments, and the filaments remembered for slicer presets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.roles import Perm
from printops.core.errors import Conflict, InvalidInput
from printops.core.validation import clean_text, clean_whole
from printops.materials.catalogue_events import catalogue_changed
from printops.materials.colour import colour_name as nearest_colour_name
from printops.materials.models import (
    TYPICAL_DENSITY,
    Filament,
    FilamentAlias,
    Material,
    Vendor,
)
from printops.materials.services.inputs import (
    _CENT,
    FILAMENT_FIELDS,
    VENDOR_FIELDS,
    _money,
    _positive,
    _url,
    clean_grams,
    clean_hex,
)
from printops.materials.stock_matching import SlicerFilament

# --- vendors ---------------------------------------------------------------------------------


def _vendor_values(*, name: str, empty_spool_grams: Any, website: str) -> dict[str, Any]:
    name = clean_text(name, "vendor name", "name", 120)
    if not name:
        raise InvalidInput("Give the vendor a name.", field="name")
    return {
        "name": name,
        "empty_spool_grams": clean_grams(
            empty_spool_grams or 0, "empty spool weight", "empty_spool_grams", allow_zero=True
        ),
        "website": _url(website, "website"),
    }


def _vendor_save(vendor: Vendor) -> None:
    try:
        with transaction.atomic():
            vendor.save()
    except IntegrityError:
        raise Conflict(f"There is already a vendor called {vendor.name}.", field="name") from None


def vendor_create(
    *, actor: Actor, name: str, empty_spool_grams: Any = 0, website: str = ""
) -> Vendor:
    """Add a vendor; names are unique in a workspace."""
    actor.require(Perm.EDIT_CATALOGUE)
    values = _vendor_values(name=name, empty_spool_grams=empty_spool_grams, website=website)
    with transaction.atomic():
        vendor = Vendor(workspace=actor.workspace, **values)
        _vendor_save(vendor)
        audit_record(
            actor=actor, verb="vendor.created", obj=vendor, after=snapshot(vendor, VENDOR_FIELDS)
        )
    return vendor


def vendor_update(
    *, actor: Actor, vendor: Vendor, name: str, empty_spool_grams: Any = 0, website: str = ""
) -> Vendor:
    """Change a vendor's name, empty-spool weight or website."""
    actor.require(Perm.EDIT_CATALOGUE)
    values = _vendor_values(name=name, empty_spool_grams=empty_spool_grams, website=website)
    with transaction.atomic():
        before = snapshot(vendor, VENDOR_FIELDS)
        for key, value in values.items():
            setattr(vendor, key, value)
        _vendor_save(vendor)
        # A new name can make a vendor the brand a sliced file names, or stop being it.
        catalogue_changed(workspace_id=vendor.workspace_id)
        audit_record(
            actor=actor,
            verb="vendor.updated",
            obj=vendor,
            before=before,
            after=snapshot(vendor, VENDOR_FIELDS),
        )
    return vendor


# --- filaments -------------------------------------------------------------------------------


def _given(raw: dict[str, Any], key: str, default: Any) -> Any:
    """The value sent for `key`, or the default when it was left out or empty (0 is a value)."""
    value = raw.get(key)
    return default if value is None or value == "" else value


def _filament_values(*, actor: Actor, vendor: Vendor, **raw: Any) -> dict[str, Any]:
    unknown = set(raw) - set(FILAMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown filament fields: {sorted(unknown)}")
    if vendor.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's vendors.", field="vendor")
    material = (raw.get("material") or Material.PLA).upper()
    if material not in Material.values:
        raise InvalidInput(
            f"“{material}” is not a material here; choose one of {', '.join(Material.values)}.",
            field="material",
        )
    color_hex = clean_hex(raw.get("color_hex") or "")
    multi = raw.get("multi_color_hexes") or []
    if not isinstance(multi, (list, tuple)) or len(multi) > 16:
        raise InvalidInput("List up to 16 colours as #RRGGBB.", field="multi_color_hexes")
    multi_color_hexes = [clean_hex(str(h), field="multi_color_hexes") for h in multi]
    # Left empty, the colour gets the nearest palette name (ΔE2000), so lists never show a bare hex.
    colour_name = clean_text(
        raw.get("colour_name") or "", "colour name", "colour_name", 80
    ) or nearest_colour_name(color_hex)
    net_spool_grams = clean_grams(
        _given(raw, "net_spool_grams", 1000), "net spool weight", "net_spool_grams"
    )
    # Compared with the grams on all spools together, so it may exceed one spool: a shop that
    # keeps two spools in reserve sets twice the net weight.
    low_stock_grams = clean_grams(
        _given(raw, "low_stock_grams", 0), "low-stock threshold", "low_stock_grams", allow_zero=True
    )
    return {
        "vendor": vendor,
        "material": material,
        "product_line": clean_text(
            raw.get("product_line") or "", "product line", "product_line", 60
        ),
        "colour_name": colour_name,
        "color_hex": color_hex,
        "multi_color_hexes": multi_color_hexes,
        "diameter_mm": _positive(
            _given(raw, "diameter_mm", "1.75"),
            "diameter",
            "diameter_mm",
            step=_CENT,
            upper=Decimal("5"),
        ),
        "density_g_cm3": _positive(
            _given(raw, "density_g_cm3", TYPICAL_DENSITY[Material(material)]),
            "density",
            "density_g_cm3",
            step=Decimal("0.001"),
            upper=Decimal("20"),
        ),
        "price_per_kg": _money(raw.get("price_per_kg"), "price per kg", "price_per_kg"),
        "net_spool_grams": net_spool_grams,
        "purchase_url": _url(raw.get("purchase_url") or "", "purchase_url"),
        "article_number": clean_text(
            raw.get("article_number") or "", "article number", "article_number", 80
        ),
        "nozzle_temp_c": clean_whole(
            raw.get("nozzle_temp_c"),
            "nozzle temperature",
            "nozzle_temp_c",
            low=150,
            high=500,
            optional=True,
        ),
        "bed_temp_c": clean_whole(
            raw.get("bed_temp_c"), "bed temperature", "bed_temp_c", low=0, high=200, optional=True
        ),
        "low_stock_grams": low_stock_grams,
        "reorder_spools": clean_whole(
            _given(raw, "reorder_spools", 1),
            "reorder quantity",
            "reorder_spools",
            low=0,
            high=1000,
            optional=True,
        ),
        "lead_time_days": clean_whole(
            _given(raw, "lead_time_days", 7),
            "lead time",
            "lead_time_days",
            low=0,
            high=365,
            optional=True,
        ),
    }


def filament_create(*, actor: Actor, vendor: Vendor, **fields: Any) -> Filament:
    """Add a filament of a vendor. Fields are those of `Filament`; each is checked with a
    sentence to act on, and nothing is written when one is wrong."""
    actor.require(Perm.EDIT_CATALOGUE)
    values = _filament_values(actor=actor, vendor=vendor, **fields)
    with transaction.atomic():
        filament = Filament.objects.create(workspace=actor.workspace, **values)
        catalogue_changed(workspace_id=filament.workspace_id)
        audit_record(
            actor=actor,
            verb="filament.created",
            obj=filament,
            after=snapshot(filament, FILAMENT_FIELDS),
        )
    return filament


def filament_update(*, actor: Actor, filament: Filament, vendor: Vendor, **fields: Any) -> Filament:
    """Replace a filament's fields (as `filament_create` checks them)."""
    actor.require(Perm.EDIT_CATALOGUE)
    values = _filament_values(actor=actor, vendor=vendor, **fields)
    with transaction.atomic():
        before = snapshot(filament, FILAMENT_FIELDS)
        for key, value in values.items():
            setattr(filament, key, value)
        filament.save()
        catalogue_changed(workspace_id=filament.workspace_id)
        audit_record(
            actor=actor,
            verb="filament.updated",
            obj=filament,
            before=before,
            after=snapshot(filament, FILAMENT_FIELDS),
        )
    return filament


# --- mappings from sliced files ---------------------------------------------------------------


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
    fields: dict[str, Any] = {"material": family, "color_hex": color_hex}
    for ours, theirs, low, high in (
        ("density_g_cm3", "density_g_cm3", 0.5, 3.0),
        ("diameter_mm", "diameter_mm", 1.0, 3.5),
        ("price_per_kg", "cost_per_kg", 0.01, 10000.0),
    ):
        value = file_values.get(theirs)
        if isinstance(value, (int, float)) and low <= value <= high:
            fields[ours] = Decimal(str(value))
    if slicer_filament.slicer_filament_id:
        fields["article_number"] = slicer_filament.slicer_filament_id[:80]
    with transaction.atomic():
        vendor = Vendor.objects.filter(workspace=actor.workspace, name__iexact=brand).first()
        if vendor is None:
            vendor = vendor_create(actor=actor, name=brand)
        filament = filament_create(actor=actor, vendor=vendor, **fields)
        filament_alias_remember(actor=actor, slicer_filament=slicer_filament, filament=filament)
    return filament
