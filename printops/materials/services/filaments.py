"""The catalogue: vendors and filaments."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypedDict, Unpack

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
    Material,
    Vendor,
)
from printops.materials.services.changes import fields_change
from printops.materials.services.inputs import (
    _CENT,
    FILAMENT_FIELDS,
    VENDOR_FIELDS,
    Amount,
    _money,
    _positive,
    _url,
    clean_grams,
    clean_hex,
)

# --- vendors ---------------------------------------------------------------------------------


def _vendor_values(*, name: str, empty_spool_grams: Amount | None, website: str) -> dict[str, Any]:
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
    *, actor: Actor, name: str, empty_spool_grams: Amount | None = 0, website: str = ""
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
    *,
    actor: Actor,
    vendor: Vendor,
    name: str,
    empty_spool_grams: Amount | None = 0,
    website: str = "",
) -> Vendor:
    """Change a vendor's name, empty-spool weight or website."""
    actor.require(Perm.EDIT_CATALOGUE)
    values = _vendor_values(name=name, empty_spool_grams=empty_spool_grams, website=website)
    with transaction.atomic():
        fields_change(
            actor=actor,
            verb="vendor.updated",
            obj=vendor,
            fields=VENDOR_FIELDS,
            values=values,
            save=lambda: _vendor_save(vendor),
        )
        # A new name can make a vendor the brand a sliced file names, or stop being it.
        catalogue_changed(workspace_id=vendor.workspace_id)
    return vendor


# --- filaments -------------------------------------------------------------------------------


def _or_default(value: Any, default: Any) -> Any:
    """The value sent, or the default when it was left out or empty (0 is a value)."""
    return default if value is None or value == "" else value


class FilamentFields(TypedDict, total=False):
    """A filament's fields as typed in (a form sends Decimals, the API numbers, a CSV text);
    each is checked with a sentence. Left out or empty: PLA, 1.75 mm, the material's typical
    density, 1000 g a spool, no low-stock threshold, reorder 1 spool, 7 days' lead time, the
    nearest palette name for the colour."""

    material: str
    product_line: str
    colour_name: str
    color_hex: str
    multi_color_hexes: Sequence[str] | None
    diameter_mm: Amount | None
    density_g_cm3: Amount | None
    price_per_kg: Amount | None
    net_spool_grams: Amount | None
    purchase_url: str
    article_number: str
    nozzle_temp_c: Amount | None
    bed_temp_c: Amount | None
    low_stock_grams: Amount | None
    reorder_spools: Amount | None
    lead_time_days: Amount | None


def _filament_values(*, actor: Actor, vendor: Vendor, fields: FilamentFields) -> dict[str, Any]:
    # A TypedDict is not checked when the code runs: a misspelt field from an untyped caller
    # is a programming error, not a value to drop.
    unknown = set(fields) - set(FilamentFields.__annotations__)
    if unknown:
        raise TypeError(f"unknown filament fields: {sorted(unknown)}")
    if vendor.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's vendors.", field="vendor")
    material = (fields.get("material") or Material.PLA).upper()
    if material not in Material.values:
        raise InvalidInput(
            f"“{material}” is not a material here; choose one of {', '.join(Material.values)}.",
            field="material",
        )
    color_hex = clean_hex(fields.get("color_hex") or "")
    multi = fields.get("multi_color_hexes") or []
    if not isinstance(multi, (list, tuple)) or len(multi) > 16:
        raise InvalidInput("List up to 16 colours as #RRGGBB.", field="multi_color_hexes")
    multi_hexes = [clean_hex(str(h), field="multi_color_hexes") for h in multi]
    # Left empty, the colour gets the nearest palette name (ΔE2000), so lists never show a bare hex.
    colour_name = clean_text(
        fields.get("colour_name") or "", "colour name", "colour_name", 80
    ) or nearest_colour_name(color_hex)
    net_grams = clean_grams(
        _or_default(fields.get("net_spool_grams"), 1000), "net spool weight", "net_spool_grams"
    )
    # Compared with the grams on all spools together, so it may exceed one spool: a shop that
    # keeps two spools in reserve sets twice the net weight.
    low_grams = clean_grams(
        _or_default(fields.get("low_stock_grams"), 0),
        "low-stock threshold",
        "low_stock_grams",
        allow_zero=True,
    )
    return {
        "vendor": vendor,
        "material": material,
        "product_line": clean_text(
            fields.get("product_line") or "", "product line", "product_line", 60
        ),
        "colour_name": colour_name,
        "color_hex": color_hex,
        "multi_color_hexes": multi_hexes,
        "diameter_mm": _positive(
            _or_default(fields.get("diameter_mm"), "1.75"),
            "diameter",
            "diameter_mm",
            step=_CENT,
            upper=Decimal("5"),
        ),
        "density_g_cm3": _positive(
            _or_default(fields.get("density_g_cm3"), TYPICAL_DENSITY[Material(material)]),
            "density",
            "density_g_cm3",
            step=Decimal("0.001"),
            upper=Decimal("20"),
        ),
        "price_per_kg": _money(fields.get("price_per_kg"), "price per kg", "price_per_kg"),
        "net_spool_grams": net_grams,
        "purchase_url": _url(fields.get("purchase_url") or "", "purchase_url"),
        "article_number": clean_text(
            fields.get("article_number") or "", "article number", "article_number", 80
        ),
        "nozzle_temp_c": clean_whole(
            fields.get("nozzle_temp_c"),
            "nozzle temperature",
            "nozzle_temp_c",
            low=150,
            high=500,
            optional=True,
        ),
        "bed_temp_c": clean_whole(
            fields.get("bed_temp_c"),
            "bed temperature",
            "bed_temp_c",
            low=0,
            high=200,
            optional=True,
        ),
        "low_stock_grams": low_grams,
        "reorder_spools": clean_whole(
            _or_default(fields.get("reorder_spools"), 1),
            "reorder quantity",
            "reorder_spools",
            low=0,
            high=1000,
            optional=True,
        ),
        "lead_time_days": clean_whole(
            _or_default(fields.get("lead_time_days"), 7),
            "lead time",
            "lead_time_days",
            low=0,
            high=365,
            optional=True,
        ),
    }


def filament_create(*, actor: Actor, vendor: Vendor, **fields: Unpack[FilamentFields]) -> Filament:
    """Add a filament of a vendor; each field is checked with a sentence to act on, and nothing
    is written when one is wrong (the defaults: `FilamentFields`)."""
    actor.require(Perm.EDIT_CATALOGUE)
    values = _filament_values(actor=actor, vendor=vendor, fields=fields)
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


def filament_update(
    *, actor: Actor, filament: Filament, vendor: Vendor, **fields: Unpack[FilamentFields]
) -> Filament:
    """Replace all of a filament's fields, checked and defaulted as `filament_create` does (a
    field left out goes back to its default)."""
    actor.require(Perm.EDIT_CATALOGUE)
    values = _filament_values(actor=actor, vendor=vendor, fields=fields)
    with transaction.atomic():
        fields_change(
            actor=actor,
            verb="filament.updated",
            obj=filament,
            fields=FILAMENT_FIELDS,
            values=values,
            save=filament.save,
        )
        catalogue_changed(workspace_id=filament.workspace_id)
    return filament
