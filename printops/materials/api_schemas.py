"""The materials API's request and response shapes, and the functions that fill the responses
from rows (plain dicts into plain pydantic models where lists are long: see `Out`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import BaseModel, WithJsonSchema

from printops.core.bounds import (
    Grams,
    HexColourIn,
    Id,
    Money,
    PositiveGrams,
    decimal,
    one_of,
    whole,
)
from printops.materials import services
from printops.materials.models import Filament, FilamentOrder, Spool, SpoolLedgerEntry, Vendor

STOCK_FIELDS = ["total_grams", "spool_count", "is_low", "days_of_stock"]


class VendorIn(Schema):
    name: str
    empty_spool_grams: Grams = Decimal("0")
    website: str = ""


class VendorOut(Schema):
    id: int
    name: str
    empty_spool_grams: float
    website: str


class FilamentIn(Schema):
    vendor: Id
    material: str = "PLA"
    product_line: str = ""
    colour_name: str = ""
    color_hex: HexColourIn
    multi_color_hexes: list[HexColourIn] = Field([], max_length=16)
    # The smallest values the columns hold (2 and 3 places): 5e-324 passed "more than 0",
    # was stored as 0 and broke the CHECK constraint (a 500, schemathesis).
    diameter_mm: decimal(Decimal("0.01"), 5, "mm") = Decimal("1.75")  # type: ignore[valid-type]
    # Left out: the material's typical density (PETG 1.27, ABS 1.04…).
    density_g_cm3: decimal(Decimal("0.001"), 20, "g/cm³") | None = None  # type: ignore[valid-type]
    price_per_kg: Money | None = None
    net_spool_grams: PositiveGrams = Decimal("1000")
    purchase_url: str = ""
    article_number: str = ""
    nozzle_temp_c: whole(150, 500, "°C") | None = None  # type: ignore[valid-type]
    bed_temp_c: whole(0, 200, "°C") | None = None  # type: ignore[valid-type]
    low_stock_grams: Grams = Decimal("0")
    reorder_spools: whole(0, 1000, "spools") = 1  # type: ignore[valid-type]
    lead_time_days: whole(0, 365, "days") = 7  # type: ignore[valid-type]


class FilamentOut(Schema):
    id: int
    name: str
    vendor: VendorOut
    material: str
    product_line: str
    colour_name: str
    color_hex: str
    multi_color_hexes: list[str]
    diameter_mm: float
    density_g_cm3: float
    price_per_kg: float | None
    net_spool_grams: float
    purchase_url: str
    article_number: str
    nozzle_temp_c: int | None
    bed_temp_c: int | None
    low_stock_grams: float
    reorder_spools: int
    lead_time_days: int


class FilamentStockOut(FilamentOut):
    total_grams: float
    spool_count: int
    is_low: bool
    days_of_stock: int | None


class SpoolIn(Schema):
    filament: Id
    initial_grams: PositiveGrams | None = None
    remaining_grams: Grams | None = None
    cost_paid: Money | None = None
    purchase_date: date | None = None
    lot: str = ""
    location: str = ""
    opened_date: date | None = None


class SpoolUpdateIn(Schema):
    cost_paid: Money | None = None
    purchase_date: date | None = None
    lot: str = ""
    location: str = ""
    opened_date: date | None = None
    archived: bool | None = None


class Out(BaseModel):
    """Spool and ledger responses are plain pydantic models built from dicts: ninja's Schema
    reads every field through a Django-aware getter, 7 ms of a 100-spool page (plain: 0.5 ms).
    The published schema is the same."""


class FilamentRef(Out):
    """A filament as other answers name it (spools, orders, the shopping list, production)."""

    id: int
    vendor: str
    material: str
    colour_name: str
    color_hex: str


class SpoolOut(Out):
    id: int
    label_code: str
    filament: FilamentRef
    initial_grams: float
    remaining_grams: float
    cost_paid: float | None
    purchase_date: date | None
    lot: str
    location: str
    opened_date: date | None
    archived: bool
    created_at: datetime


ConsumeReason = one_of(*map(str, services.CONSUME_REASONS))


class ConsumeIn(Schema):
    grams: PositiveGrams
    reason: ConsumeReason = SpoolLedgerEntry.Reason.PRINT  # type: ignore[valid-type]
    note: str = ""
    print_job_id: Id | None = None


class WeighInIn(Schema):
    gross_grams: PositiveGrams
    note: str = ""
    confirm: bool = Field(
        False,
        description=f"Record a reading more than {services.WEIGH_IN_RISE_TO_CONFIRM_GRAMS} g above "
        "the ledger; without it such a reading is refused with 422 and a sentence saying why.",
    )


class LedgerEntryOut(Out):
    id: int
    spool_id: int
    grams: float
    reason: str
    expected_grams: float | None
    note: str
    print_job_id: int | None
    actor: str | None
    staff: str | None
    created_at: datetime


def vendor_out(vendor: Vendor) -> dict[str, Any]:
    return {
        "id": vendor.pk,
        "name": vendor.name,
        "empty_spool_grams": vendor.empty_spool_grams,
        "website": vendor.website,
    }


def filament_out(filament: Filament) -> dict[str, Any]:
    fields = [f for f in services.FILAMENT_FIELDS if f != "vendor_id"] + STOCK_FIELDS
    values = {f: getattr(filament, f) for f in fields if hasattr(filament, f)}
    return {
        "id": filament.pk,
        "name": filament.display_name,
        "vendor": vendor_out(filament.vendor),
        **values,
    }


def spool_out(spool: Spool) -> dict[str, Any]:
    filament = spool.filament
    return {
        "id": spool.pk,
        "label_code": spool.label_code,
        "filament": {
            "id": filament.pk,
            "vendor": filament.vendor.name,
            "material": filament.material,
            "colour_name": filament.colour_name,
            "color_hex": filament.color_hex,
        },
        "initial_grams": spool.initial_grams,
        "remaining_grams": spool.remaining_grams,
        "cost_paid": spool.cost_paid,
        "purchase_date": spool.purchase_date,
        "lot": spool.lot,
        "location": spool.location,
        "opened_date": spool.opened_date,
        "archived": spool.archived,
        "created_at": spool.created_at,
    }


# The columns a SpoolOut needs, read as plain values: building 300 model instances (spool,
# filament, vendor) for a page of 100 cost more than the query.
_SPOOL_COLUMNS = (
    "id", "label_code", "initial_grams", "remaining_grams", "cost_paid", "purchase_date", "lot",
    "location", "opened_date", "archived", "created_at", "filament_id", "filament__vendor__name",
    "filament__material", "filament__colour_name", "filament__color_hex",
)  # fmt: skip


def _spool_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "filament": {
            "id": row.pop("filament_id"),
            "vendor": row.pop("filament__vendor__name"),
            "material": row.pop("filament__material"),
            "colour_name": row.pop("filament__colour_name"),
            "color_hex": row.pop("filament__color_hex"),
        },
    }


def spool_rows(spools: QuerySet[Spool]) -> list[dict[str, Any]]:
    return [_spool_row(row) for row in spools.values(*_SPOOL_COLUMNS)]


def entry_out(entry: SpoolLedgerEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "spool_id": entry.spool_id,
        "grams": entry.grams,
        "reason": entry.reason,
        "expected_grams": entry.expected_grams,
        "note": entry.note,
        "print_job_id": entry.print_job_id,
        "actor": entry.actor.display_name if entry.actor else None,
        "staff": entry.staff.display_name if entry.staff else None,
        "created_at": entry.created_at,
    }


class ShoppingLineOut(Schema):
    filament: FilamentRef
    total_grams: float
    queued_grams: float
    low_stock_grams: float
    daily_use_grams: float
    days_of_stock: int | None
    lead_time_days: int
    on_order_spools: int
    spools: int
    cost: float | None
    currency: str
    purchase_url: str


class OrderIn(Schema):
    filament: Id
    spools: whole(1, services.MAX_ORDER_SPOOLS, "spools")  # type: ignore[valid-type]
    cost: Money | None = None


class OrderOut(Schema):
    id: int
    filament: FilamentRef
    spools: int
    cost: float | None
    ordered_at: datetime
    ordered_by: str | None
    received_at: datetime | None
    received_by: str | None


class ReceivedOut(Schema):
    order: OrderOut
    spools: list[SpoolOut]


def filament_ref(filament: Filament) -> dict[str, Any]:
    """A filament as other answers name it (also production's)."""
    return {
        "id": filament.pk,
        "vendor": filament.vendor.name,
        "material": filament.material,
        "colour_name": filament.colour_name,
        "color_hex": filament.color_hex,
    }


def order_out(order: FilamentOrder) -> dict[str, Any]:
    return {
        **{f: getattr(order, f) for f in ("id", "spools", "cost", "ordered_at", "received_at")},
        "filament": filament_ref(order.filament),
        "ordered_by": order.ordered_by.display_name if order.ordered_by else None,
        "received_by": order.received_by.display_name if order.received_by else None,
    }


class VarianceLineOut(Schema):
    label: str
    weigh_ins: int
    recorded_grams: Decimal
    variance_grams: Decimal
    variance_percent: Decimal | None
    by_month: dict[str, Decimal]


class VarianceReportOut(Schema):
    grouping: str
    months: list[date]
    weigh_ins: int
    total_variance_grams: Decimal
    lines: list[VarianceLineOut]


class SimilarFilamentOut(Schema):
    filament: FilamentRef
    delta_e: float


class ColourSuggestionOut(Schema):
    color_hex: str
    names: list[str]
    similar: list[SimilarFilamentOut]


# What `normalise_hex` reads (#RGB, #RGBA, #RRGGBB or #RRGGBBAA, the # optional), published;
# the endpoint refuses the rest with its own sentence, which quotes what was sent.
ColourQuery = Annotated[
    str,
    WithJsonSchema(
        {"type": "string", "pattern": r"^\s*#?([0-9A-Fa-f]{3,4}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})\s*$"}
    ),
]
