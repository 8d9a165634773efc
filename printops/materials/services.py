"""Every write in materials: vendors and filaments (the catalogue), spools and their grams ledger.

Grams change only through ledger rows. A spool's `remaining_grams` is the sum of its rows, kept
as a column for fast lists and changed in the same transaction as the row it follows.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Sum

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.roles import Perm
from printops.core import bounds
from printops.core.errors import Conflict, InvalidInput, NeedsConfirmation, NotFound
from printops.core.fixed_sql import Columns, fetch
from printops.materials.catalogue_events import catalogue_changed
from printops.materials.colour import colour_name as nearest_colour_name
from printops.materials.matching import SlicerFilament
from printops.materials.models import (
    TYPICAL_DENSITY,
    Filament,
    FilamentAlias,
    Material,
    Spool,
    SpoolLedgerEntry,
    Vendor,
)
from printops.materials.print_jobs import print_job_exists

VENDOR_FIELDS = ("name", "empty_spool_grams", "website")
FILAMENT_FIELDS = (
    "vendor_id",
    "material",
    "product_line",
    "colour_name",
    "color_hex",
    "multi_color_hexes",
    "diameter_mm",
    "density_g_cm3",
    "price_per_kg",
    "net_spool_grams",
    "purchase_url",
    "article_number",
    "nozzle_temp_c",
    "bed_temp_c",
    "low_stock_grams",
    "reorder_spools",
    "lead_time_days",
)
SPOOL_FIELDS = ("cost_paid", "purchase_date", "lot", "location", "opened_date", "archived")
MAX_GRAMS = bounds.MAX_GRAMS
MAX_MONEY = bounds.MAX_MONEY
LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed
LABEL_LENGTH = 6
CONSUME_REASONS = (
    SpoolLedgerEntry.Reason.PRINT,
    SpoolLedgerEntry.Reason.FAILED_PRINT,
    SpoolLedgerEntry.Reason.ADJUSTMENT,
)
# Filament does not grow on a spool: a weigh-in more than this above the ledger is more likely a
# wrong reading (the gross weight typed twice, a spool on the scale with its box) than a counting
# error, so it is recorded only when someone confirms it. Scales and empty-spool weights are off
# by tens of grams, hence not zero.
WEIGH_IN_RISE_TO_CONFIRM_GRAMS = Decimal(100)
_HEX = re.compile(r"^#?([0-9A-Fa-f]{6})$")
_CENT = Decimal("0.01")


# --- input checks: each returns the clean value or raises a sentence ------------------------


def clean_hex(value: str, *, field: str = "color_hex") -> str:
    """`#RRGGBB` upper-case from "#ff8800" or "ff8800"; anything else is refused."""
    match = _HEX.match((value or "").strip())
    if not match:
        raise InvalidInput(
            f"“{value}” is not a colour: write it as #RRGGBB, e.g. #FF8800.", field=field
        )
    return "#" + match.group(1).upper()


def _decimal(value: Any, what: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(f"The {what} must be a number.", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"The {what} must be a number.", field=field)
    return number


def clean_grams(value: Any, what: str, field: str, *, allow_zero: bool = False) -> Decimal:
    """A weight in grams, rounded to 0.01 g, positive (or zero) and at most 100 kg."""
    number = _decimal(value, what, field)
    # Compared before rounding: quantize raises InvalidOperation past 28 digits (1e27 g).
    if number > MAX_GRAMS:
        raise InvalidInput(f"The {what} must be at most {MAX_GRAMS:,} grams.", field=field)
    grams = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    if grams < 0 or (grams == 0 and not allow_zero):
        limit = "zero or more" if allow_zero else "more than zero"
        raise InvalidInput(f"The {what} must be {limit} grams.", field=field)
    return grams


def _positive(value: Any, what: str, field: str, *, step: Decimal, upper: Decimal) -> Decimal:
    """A positive measurement rounded to its column's step; below one step it would be stored
    as 0, which the database refuses (a CSV's density of 0.0004 was a 500)."""
    number = _decimal(value, what, field)
    if number < step or number > upper:
        raise InvalidInput(f"The {what} must be from {step} to {upper}.", field=field)
    return number.quantize(step)


def _money(value: Any, what: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    number = _decimal(value, what, field)
    if number < 0:
        raise InvalidInput(f"The {what} cannot be negative.", field=field)
    # Compared before rounding, as in clean_grams; the column holds 10 digits.
    if number > MAX_MONEY:
        raise InvalidInput(f"The {what} must be at most {MAX_MONEY:,}.", field=field)
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise InvalidInput(
                f"“{value[:60]}” is not a web address (https://…).", field=field
            ) from None
    return value


def _text(value: str, what: str, field: str, limit: int) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise InvalidInput(f"Keep the {what} under {limit} characters.", field=field)
    return value


def _whole(value: Any, what: str, field: str, *, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (ValueError, TypeError, OverflowError):
        raise InvalidInput(f"The {what} must be a whole number.", field=field) from None
    if not low <= number <= high:
        raise InvalidInput(f"The {what} must be between {low} and {high}.", field=field)
    return number


# --- vendors ---------------------------------------------------------------------------------


def _vendor_values(*, name: str, empty_spool_grams: Any, website: str) -> dict[str, Any]:
    name = _text(name, "vendor name", "name", 120)
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
    colour_name = _text(
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
        "product_line": _text(raw.get("product_line") or "", "product line", "product_line", 60),
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
        "article_number": _text(
            raw.get("article_number") or "", "article number", "article_number", 80
        ),
        "nozzle_temp_c": _whole(
            raw.get("nozzle_temp_c"), "nozzle temperature", "nozzle_temp_c", low=150, high=500
        ),
        "bed_temp_c": _whole(
            raw.get("bed_temp_c"), "bed temperature", "bed_temp_c", low=0, high=200
        ),
        "low_stock_grams": low_stock_grams,
        "reorder_spools": _whole(
            _given(raw, "reorder_spools", 1), "reorder quantity", "reorder_spools", low=0, high=1000
        ),
        "lead_time_days": _whole(
            _given(raw, "lead_time_days", 7),
            "lead time",
            "lead_time_days",
            low=0,
            high=365,
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


# --- spools ----------------------------------------------------------------------------------


def _new_label_code() -> str:
    return "".join(secrets.choice(LABEL_ALPHABET) for _ in range(LABEL_LENGTH))


def _ledger_row(
    *, actor: Actor | None, spool: Spool, grams: Decimal, reason: str, **extra: Any
) -> SpoolLedgerEntry:
    return SpoolLedgerEntry.objects.create(
        workspace_id=spool.workspace_id,
        spool=spool,
        grams=grams,
        reason=reason,
        actor=actor.user if actor else None,
        staff=actor.staff if actor else None,
        **extra,
    )


def _spool_values(
    *,
    cost_paid: Any,
    purchase_date: date | None,
    lot: str,
    location: str,
    opened_date: date | None,
) -> dict[str, Any]:
    if purchase_date and opened_date and opened_date < purchase_date:
        raise InvalidInput("A spool cannot be opened before it was bought.", field="opened_date")
    return {
        "cost_paid": _money(cost_paid, "cost paid", "cost_paid"),
        "purchase_date": purchase_date,
        "lot": _text(lot, "lot", "lot", 80),
        "location": _text(location, "location", "location", 80),
        "opened_date": opened_date,
    }


def spool_create(
    *,
    actor: Actor,
    filament: Filament,
    initial_grams: Any = None,
    remaining_grams: Any = None,
    cost_paid: Any = None,
    purchase_date: date | None = None,
    lot: str = "",
    location: str = "",
    opened_date: date | None = None,
) -> Spool:
    """Add a spool of a filament (full unless `remaining_grams` says otherwise) with its
    new_spool ledger row and a label code unique in the workspace."""
    actor.require(Perm.MANAGE_STOCK)
    if filament.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's filaments.", field="filament")
    initial = clean_grams(
        initial_grams if initial_grams not in (None, "") else filament.net_spool_grams,
        "initial weight",
        "initial_grams",
    )
    remaining = (
        clean_grams(remaining_grams, "remaining weight", "remaining_grams", allow_zero=True)
        if remaining_grams not in (None, "")
        else initial
    )
    if remaining > initial:
        raise InvalidInput(
            f"The remaining weight ({remaining} g) cannot be more than the initial weight "
            f"({initial} g).",
            field="remaining_grams",
        )
    values = _spool_values(
        cost_paid=cost_paid,
        purchase_date=purchase_date,
        lot=lot,
        location=location,
        opened_date=opened_date,
    )
    with transaction.atomic():
        for attempt in range(5):
            try:
                with transaction.atomic():
                    spool = Spool.objects.create(
                        workspace=actor.workspace,
                        filament=filament,
                        initial_grams=initial,
                        remaining_grams=remaining,
                        label_code=_new_label_code(),
                        **values,
                    )
                break
            except IntegrityError:  # a label code already taken: 1 in ~10⁹ per existing spool
                if attempt == 4:
                    raise
        _ledger_row(
            actor=actor, spool=spool, grams=remaining, reason=SpoolLedgerEntry.Reason.NEW_SPOOL
        )
        audit_record(
            actor=actor,
            verb="spool.created",
            obj=spool,
            after={
                "filament": str(filament),
                "initial_grams": str(initial),
                "remaining_grams": str(remaining),
                **snapshot(spool, SPOOL_FIELDS),
            },
        )
    return spool


def spool_update(
    *,
    actor: Actor,
    spool: Spool,
    cost_paid: Any = None,
    purchase_date: date | None = None,
    lot: str = "",
    location: str = "",
    opened_date: date | None = None,
) -> Spool:
    """Change a spool's purchase details and place; its grams change only through the ledger."""
    actor.require(Perm.MANAGE_STOCK)
    values = _spool_values(
        cost_paid=cost_paid,
        purchase_date=purchase_date,
        lot=lot,
        location=location,
        opened_date=opened_date,
    )
    with transaction.atomic():
        before = snapshot(spool, SPOOL_FIELDS)
        Spool.objects.filter(pk=spool.pk).update(**values)
        for key, value in values.items():
            setattr(spool, key, value)
        audit_record(
            actor=actor,
            verb="spool.updated",
            obj=spool,
            before=before,
            after=snapshot(spool, SPOOL_FIELDS),
        )
    return spool


_REMAINING = Columns("s", Spool, ["remaining_grams"])
# Use is the hottest write (every consume through the API, every completed print): written out
# once (printops.core.fixed_sql), it is compiled outside the write lock, not inside it, and
# RETURNING gives the grams left without a second query. SQLite ≥ 3.35 and PostgreSQL have it.
_SPOOL_USE_SQL = f"""
    UPDATE "{Spool._meta.db_table}" SET "remaining_grams" = "remaining_grams" - %s
    WHERE "id" = %s AND NOT "archived" AND "remaining_grams" >= %s
    RETURNING "remaining_grams"
"""  # noqa: S608 - names from the models, values as parameters


def spool_consume(
    *,
    actor: Actor,
    spool: Spool,
    grams: Any,
    reason: str = SpoolLedgerEntry.Reason.PRINT,
    note: str = "",
    print_job_id: int | None = None,
) -> SpoolLedgerEntry:
    """Take grams off a spool with one ledger row.

    One conditional UPDATE (`remaining_grams - grams` where at least that much is left), so two
    consumptions at the same moment both count. Taking more than is left is refused, not floored
    at zero: the difference is a counting error someone should see, and a weigh-in corrects it.
    """
    actor.require(Perm.MANAGE_STOCK)
    if reason not in CONSUME_REASONS:
        raise InvalidInput(
            "Record use as a print, a failed print or an adjustment.", field="reason"
        )
    grams = clean_grams(grams, "amount used", "grams")
    note = _text(note, "note", "note", 500)
    if reason == SpoolLedgerEntry.Reason.ADJUSTMENT and not note:
        raise InvalidInput("Say why in a note: adjustments need a reason.", field="note")
    if print_job_id is not None and not print_job_exists(
        workspace=actor.workspace, print_job_id=print_job_id
    ):
        raise NotFound(
            f"There is no print job {print_job_id} in this workspace.", field="print_job_id"
        )
    with transaction.atomic():
        left = fetch(_SPOOL_USE_SQL, [grams, spool.pk, grams])
        if not left:
            current = Spool.objects.get(pk=spool.pk)
            if current.archived:
                raise Conflict(f"{spool} is archived; restore it before using it.")
            raise Conflict(
                f"Only {current.remaining_grams} g are left on {spool}, not {grams} g: "
                f"weigh it in to correct the count, or record less.",
                field="grams",
            )
        entry = _ledger_row(
            actor=actor,
            spool=spool,
            grams=-grams,
            reason=reason,
            note=note,
            print_job_id=print_job_id,
        )
        audit_record(
            actor=actor,
            verb="spool.consumed",
            obj=spool,
            after={"grams": str(grams), "reason": reason, "note": note},
        )
    spool.remaining_grams = _REMAINING.convert(left[0])[0]
    return entry


def _locked(spool: Spool) -> Spool:
    return Spool.objects.select_for_update().select_related("filament__vendor").get(pk=spool.pk)


def spool_weigh_in(
    *, actor: Actor, spool: Spool, gross_grams: Any, note: str = "", confirm: bool = False
) -> SpoolLedgerEntry:
    """Set a spool to what the scale says: net = gross − the vendor's empty-spool weight.

    The ledger row holds the difference (the variance) and `expected_grams`, what the ledger
    said just before, so systematic under- or over-reporting shows up over time. A reading
    far above the ledger raises NeedsConfirmation unless `confirm` is set.
    """
    actor.require(Perm.MANAGE_STOCK)
    gross = clean_grams(gross_grams, "gross weight", "gross_grams")
    note = _text(note, "note", "note", 500)
    with transaction.atomic():
        locked = _locked(spool)
        if locked.archived:
            raise Conflict(f"{spool} is archived; restore it before weighing it.")
        empty = locked.filament.vendor.empty_spool_grams
        net = gross - empty
        if net < 0:
            raise InvalidInput(
                f"{gross} g is less than the empty spool alone ({empty} g, from the vendor "
                f"{locked.filament.vendor.name}): weigh the spool with its filament.",
                field="gross_grams",
            )
        expected = locked.remaining_grams
        if net - expected > WEIGH_IN_RISE_TO_CONFIRM_GRAMS and not confirm:
            raise NeedsConfirmation(
                f"The scale's {gross} g means {net} g of filament, {net - expected} g more than "
                f"the ledger's {expected} g. Check the reading and the empty spool weight "
                f"({empty} g); if it is right, confirm to record it.",
                field="confirm",
            )
        Spool.objects.filter(pk=spool.pk).update(remaining_grams=net)
        entry = _ledger_row(
            actor=actor,
            spool=locked,
            grams=net - expected,
            reason=SpoolLedgerEntry.Reason.WEIGH_IN,
            expected_grams=expected,
            note=note or f"Gross {gross} g − empty spool {empty} g",
        )
        audit_record(
            actor=actor,
            verb="spool.weighed",
            obj=spool,
            before={"remaining_grams": str(expected)},
            after={"remaining_grams": str(net), "gross_grams": str(gross)},
        )
    spool.remaining_grams = net
    return entry


def spool_mark_empty(*, actor: Actor, spool: Spool) -> SpoolLedgerEntry:
    """Bring a spool to 0 g with one marked_empty row for whatever the ledger still held."""
    actor.require(Perm.MANAGE_STOCK)
    with transaction.atomic():
        locked = _locked(spool)
        if locked.remaining_grams == 0:
            raise Conflict(f"{spool} is already empty.")
        Spool.objects.filter(pk=spool.pk).update(remaining_grams=0)
        entry = _ledger_row(
            actor=actor,
            spool=locked,
            grams=-locked.remaining_grams,
            reason=SpoolLedgerEntry.Reason.MARKED_EMPTY,
            expected_grams=locked.remaining_grams,
        )
        audit_record(
            actor=actor,
            verb="spool.marked_empty",
            obj=spool,
            before={"remaining_grams": str(locked.remaining_grams)},
            after={"remaining_grams": "0"},
        )
    spool.remaining_grams = Decimal("0")
    return entry


def spool_move(*, actor: Actor, spool: Spool, location: str) -> Spool:
    """Record where a spool now is (shelf, dry box, printer)."""
    actor.require(Perm.MANAGE_STOCK)
    location = _text(location, "location", "location", 80)
    with transaction.atomic():
        before = spool.location
        Spool.objects.filter(pk=spool.pk).update(location=location)
        spool.location = location
        audit_record(
            actor=actor,
            verb="spool.moved",
            obj=spool,
            before={"location": before},
            after={"location": location},
        )
    return spool


def spool_archive(*, actor: Actor, spool: Spool, archived: bool = True) -> Spool:
    """Archive a spool (out of lists and totals) or restore it; its ledger stays."""
    actor.require(Perm.MANAGE_STOCK)
    with transaction.atomic():
        Spool.objects.filter(pk=spool.pk).update(archived=archived)
        spool.archived = archived
        audit_record(
            actor=actor,
            verb="spool.archived" if archived else "spool.restored",
            obj=spool,
            after={"archived": archived},
        )
    return spool


def spool_ledger_rebuild(*, spool: Spool) -> Decimal:
    """Recompute a spool's `remaining_grams` from its ledger rows (the source of truth)."""
    with transaction.atomic():
        locked = Spool.objects.select_for_update().get(pk=spool.pk)
        total = SpoolLedgerEntry.objects.filter(spool=locked).aggregate(total=Sum("grams"))[
            "total"
        ] or Decimal("0")
        if total != locked.remaining_grams:
            Spool.objects.filter(pk=spool.pk).update(remaining_grams=total)
            audit_record(
                actor=None,
                workspace=locked.workspace,
                verb="spool.ledger_rebuilt",
                obj=locked,
                before={"remaining_grams": str(locked.remaining_grams)},
                after={"remaining_grams": str(total)},
            )
    spool.remaining_grams = total
    return total


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
