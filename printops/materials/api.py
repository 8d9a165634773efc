"""JSON API for materials: vendors, filaments, spools, the grams ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import BaseModel, WithJsonSchema

from printops.core.api_errors import (
    ACTION_ONE,
    READ,
    READ_ONE,
    WRITE,
    WRITE_ONE,
    errors,
    file_answer,
)
from printops.core.bounds import (
    Grams,
    HexColourIn,
    Id,
    Money,
    Offset,
    PositiveGrams,
    decimal,
    one_of,
    whole,
)
from printops.core.errors import InvalidInput
from printops.materials import colour, imports, reports, selectors, services, shopping
from printops.materials.colour import normalise_hex
from printops.materials.models import Filament, FilamentOrder, Spool, SpoolLedgerEntry, Vendor

router = Router(tags=["materials"])
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


def _vendor_out(vendor: Vendor) -> dict[str, Any]:
    return {
        "id": vendor.pk,
        "name": vendor.name,
        "empty_spool_grams": vendor.empty_spool_grams,
        "website": vendor.website,
    }


def _filament_out(filament: Filament) -> dict[str, Any]:
    fields = [f for f in services.FILAMENT_FIELDS if f != "vendor_id"] + STOCK_FIELDS
    values = {f: getattr(filament, f) for f in fields if hasattr(filament, f)}
    return {
        "id": filament.pk,
        "name": filament.display_name,
        "vendor": _vendor_out(filament.vendor),
        **values,
    }


def _spool_out(spool: Spool) -> dict[str, Any]:
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


def _spool_rows(spools: QuerySet[Spool]) -> list[dict[str, Any]]:
    return [_spool_row(row) for row in spools.values(*_SPOOL_COLUMNS)]


def _spool_payload(request: HttpRequest, spool_id: int) -> dict[str, Any]:
    """One spool as a SpoolOut dict (any archive state), or 404."""
    return _spool_out(_spool(request, spool_id))


def _entry_out(entry: SpoolLedgerEntry) -> dict[str, Any]:
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


def _vendor(request: HttpRequest, vendor_id: int) -> Vendor:
    return get_object_or_404(selectors.vendor_list(workspace=request.workspace), pk=vendor_id)  # type: ignore[attr-defined]


def _filament(request: HttpRequest, filament_id: int) -> Filament:
    return get_object_or_404(selectors.filament_list(workspace=request.workspace), pk=filament_id)  # type: ignore[attr-defined]


def _spool(request: HttpRequest, spool_id: int) -> Spool:
    spool = selectors.spool_with_filament(workspace=request.workspace, spool_id=spool_id)  # type: ignore[attr-defined]
    if spool is None:
        raise Http404
    return spool


# --- vendors ---------------------------------------------------------------------------------


@router.get("/vendors", response={200: list[VendorOut], **READ})
def vendor_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_vendor_out(v) for v in selectors.vendor_list(workspace=request.workspace)]  # type: ignore[attr-defined]


@router.post("/vendors", response={201: VendorOut, **WRITE, **errors(409)})
def vendor_create(request: HttpRequest, payload: VendorIn) -> Status:
    vendor = services.vendor_create(actor=request.actor, **payload.dict())  # type: ignore[attr-defined]
    return Status(201, _vendor_out(vendor))


@router.get("/vendors/{vendor_id}", response={200: VendorOut, **READ_ONE})
def vendor_get(request: HttpRequest, vendor_id: Id) -> dict[str, Any]:
    return _vendor_out(_vendor(request, vendor_id))


@router.put("/vendors/{vendor_id}", response={200: VendorOut, **WRITE_ONE, **errors(409)})
def vendor_update(request: HttpRequest, vendor_id: Id, payload: VendorIn) -> dict[str, Any]:
    vendor = _vendor(request, vendor_id)
    vendor = services.vendor_update(actor=request.actor, vendor=vendor, **payload.dict())  # type: ignore[attr-defined]
    return _vendor_out(vendor)


# --- filaments -------------------------------------------------------------------------------


@router.get("/filaments", response={200: list[FilamentStockOut], **errors(422)})
def filament_list(
    request: HttpRequest, material: str = "", vendor: Id | None = None, low: bool = False
) -> list[dict[str, Any]]:
    """Filaments with their stock (grams and spools not archived, low flag, days of stock)."""
    rows = selectors.filament_inventory(
        workspace=request.workspace,  # type: ignore[attr-defined]
        material=material.upper(),
        vendor_id=vendor,
        low_only=low,
    )
    return [_filament_out(f) for f in rows]


@router.post("/filaments", response={201: FilamentOut, **WRITE, **errors(404)})
def filament_create(request: HttpRequest, payload: FilamentIn) -> Status:
    fields = payload.dict()
    vendor = _vendor(request, fields.pop("vendor"))
    filament = services.filament_create(actor=request.actor, vendor=vendor, **fields)  # type: ignore[attr-defined]
    return Status(201, _filament_out(filament))


@router.get("/filaments/{filament_id}", response={200: FilamentOut, **READ_ONE})
def filament_get(request: HttpRequest, filament_id: Id) -> dict[str, Any]:
    return _filament_out(_filament(request, filament_id))


@router.put("/filaments/{filament_id}", response={200: FilamentOut, **WRITE_ONE})
def filament_update(request: HttpRequest, filament_id: Id, payload: FilamentIn) -> dict[str, Any]:
    filament = _filament(request, filament_id)
    fields = payload.dict()
    vendor = _vendor(request, fields.pop("vendor"))
    filament = services.filament_update(
        actor=request.actor,  # type: ignore[attr-defined]
        filament=filament,
        vendor=vendor,
        **fields,
    )
    return _filament_out(filament)


# --- spools ----------------------------------------------------------------------------------


@router.get("/spools", response={200: list[SpoolOut], **errors(422)})
def spool_list(
    request: HttpRequest,
    material: str = "",
    location: str = "",
    filament: Id | None = None,
    archived: bool | None = False,
    sort: str = "newest",
    limit: whole(1, 1000) = 100,  # type: ignore[valid-type]
    offset: Offset = 0,
) -> list[dict[str, Any]]:
    """Spools, newest first; filters: material, location, filament, archived (omit: false).
    Sorts: newest, grams, -grams, location, brand."""
    spools = selectors.spool_list(
        workspace=request.workspace,  # type: ignore[attr-defined]
        material=material.upper(),
        location=location,
        filament_id=filament,
        archived=archived,
        sort=sort,
    )[offset : offset + limit]
    return _spool_rows(spools)


@router.post("/spools", response={201: SpoolOut, **WRITE, **errors(404)})
def spool_create(request: HttpRequest, payload: SpoolIn) -> Status:
    fields = payload.dict()
    filament = _filament(request, fields.pop("filament"))
    spool = services.spool_create(actor=request.actor, filament=filament, **fields)  # type: ignore[attr-defined]
    return Status(201, _spool_payload(request, spool.pk))


@router.get("/spools/{spool_id}", response={200: SpoolOut, **READ_ONE})
def spool_get(request: HttpRequest, spool_id: Id) -> dict[str, Any]:
    return _spool_payload(request, spool_id)


@router.put("/spools/{spool_id}", response={200: SpoolOut, **WRITE_ONE})
def spool_update(request: HttpRequest, spool_id: Id, payload: SpoolUpdateIn) -> dict[str, Any]:
    """Purchase details and location; `archived` archives or restores. Grams change only
    through consume and weigh-in."""
    spool = _spool(request, spool_id)
    fields = payload.dict()
    archived = fields.pop("archived")
    actor = request.actor  # type: ignore[attr-defined]
    services.spool_update(actor=actor, spool=spool, **fields)
    if archived is not None and archived != spool.archived:
        services.spool_archive(actor=actor, spool=spool, archived=archived)
    return _spool_payload(request, spool_id)


@router.post(
    "/spools/{spool_id}/consume", response={201: LedgerEntryOut, **WRITE_ONE, **errors(409)}
)
def spool_consume(request: HttpRequest, spool_id: Id, payload: ConsumeIn) -> Status:
    """Take grams off a spool (reason: print, failed_print or adjustment with a note).
    409 with what is left when the spool holds less."""
    spool = _spool(request, spool_id)
    entry = services.spool_consume(actor=request.actor, spool=spool, **payload.dict())  # type: ignore[attr-defined]
    return Status(201, _entry_out(entry))


@router.post(
    "/spools/{spool_id}/weigh-in", response={201: LedgerEntryOut, **WRITE_ONE, **errors(409)}
)
def spool_weigh_in(request: HttpRequest, spool_id: Id, payload: WeighInIn) -> Status:
    """Set a spool from the scale's gross weight; the entry's grams are the variance against
    `expected_grams`."""
    spool = _spool(request, spool_id)
    entry = services.spool_weigh_in(actor=request.actor, spool=spool, **payload.dict())  # type: ignore[attr-defined]
    return Status(201, _entry_out(entry))


@router.get("/spools/{spool_id}/ledger", response={200: list[LedgerEntryOut], **READ_ONE})
def spool_ledger(request: HttpRequest, spool_id: Id) -> list[dict[str, Any]]:
    """Every change of the spool's grams, newest first."""
    spool = _spool(request, spool_id)
    history = selectors.spool_history(workspace=request.workspace, spool=spool)  # type: ignore[attr-defined]
    return [_entry_out(e) for e in history]


# --- CSV export ------------------------------------------------------------------------------


def _csv_response(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/export/filaments.csv",
    response=READ,
    openapi_extra=file_answer("text/csv", "Every filament, in the columns the import reads."),
)
def export_filaments(request: HttpRequest) -> HttpResponse:
    """Every filament with its vendor as CSV, in the columns the import reads."""
    return _csv_response(imports.filaments_csv(workspace=request.workspace), "filaments.csv")  # type: ignore[attr-defined]


@router.get(
    "/export/spools.csv",
    response=READ,
    openapi_extra=file_answer("text/csv", "Every spool, archived too."),
)
def export_spools(request: HttpRequest) -> HttpResponse:
    """Every spool (archived too) with its filament, grams left, location, lot and label code."""
    return _csv_response(imports.spools_csv(workspace=request.workspace), "spools.csv")  # type: ignore[attr-defined]


# --- shopping list and orders ----------------------------------------------------------------


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
    spools: whole(1, shopping.MAX_ORDER_SPOOLS, "spools")  # type: ignore[valid-type]
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


def _order_out(order: FilamentOrder) -> dict[str, Any]:
    return {
        **{f: getattr(order, f) for f in ("id", "spools", "cost", "ordered_at", "received_at")},
        "filament": filament_ref(order.filament),
        "ordered_by": order.ordered_by.display_name if order.ordered_by else None,
        "received_by": order.received_by.display_name if order.received_by else None,
    }


@router.get("/shopping-list", response={200: list[ShoppingLineOut], **READ})
def shopping_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Filaments to buy: below their threshold or running out within their lead time."""
    workspace = request.workspace  # type: ignore[attr-defined]
    return [
        {
            "filament": filament_ref(line.filament),
            "total_grams": line.total_grams,
            "queued_grams": line.queued_grams,
            "low_stock_grams": line.filament.low_stock_grams,
            "daily_use_grams": line.daily_use_grams,
            "days_of_stock": line.days_of_stock,
            "lead_time_days": line.filament.lead_time_days,
            "on_order_spools": line.on_order_spools,
            "spools": line.spools,
            "cost": line.cost,
            "currency": workspace.currency,
            "purchase_url": line.filament.purchase_url,
        }
        for line in shopping.shopping_list(workspace=workspace)
    ]


@router.post("/orders", response={201: OrderOut, **WRITE, **errors(404)})
def order_create(request: HttpRequest, payload: OrderIn) -> Status:
    filament = _filament(request, payload.filament)
    order = shopping.filament_order_create(
        actor=request.actor,  # type: ignore[attr-defined]
        filament=filament,
        spools=payload.spools,
        cost=payload.cost,
    )
    return Status(201, _order_out(order))


@router.post("/orders/{order_id}/receive", response={201: ReceivedOut, **ACTION_ONE, **errors(409)})
def order_receive(request: HttpRequest, order_id: Id) -> Status:
    """Add the order's spools to stock; a second receipt is refused (409)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    order = get_object_or_404(shopping.filament_order_list(workspace=workspace), pk=order_id)
    spools = shopping.filament_order_receive(actor=request.actor, order=order)  # type: ignore[attr-defined]
    return Status(201, {"order": _order_out(order), "spools": [_spool_out(s) for s in spools]})


# --- weigh-in reconciliation -----------------------------------------------------------------


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


@router.get("/reports/weigh-in-variance", response={200: VarianceReportOut, **errors(422)})
def weigh_in_variance(
    request: HttpRequest,
    by: one_of(*reports.GROUPINGS) = "source",  # type: ignore[valid-type]
    months: one_of(*reports.MONTH_CHOICES) = 6,  # type: ignore[valid-type]
) -> dict[str, Any]:
    """Variance found by weigh-ins, shared among the uses recorded before each, grouped by
    source, printer or filament, over the last `months` calendar months."""
    if by not in reports.GROUPINGS:
        raise InvalidInput(f"Group by one of: {', '.join(reports.GROUPINGS)}.", field="by")
    if months not in reports.MONTH_CHOICES:
        choices = ", ".join(str(m) for m in reports.MONTH_CHOICES)
        raise InvalidInput(f"Choose a period of {choices} months.", field="months")
    report = reports.weigh_in_variance(
        workspace=request.workspace,  # type: ignore[attr-defined]
        months=months,
        grouping=by,
    )
    return {
        "grouping": report.grouping,
        "months": report.months,
        "weigh_ins": report.weigh_ins,
        "total_variance_grams": report.total_variance_grams,
        "lines": [
            {
                "label": line.label,
                "weigh_ins": line.weigh_ins,
                "recorded_grams": line.recorded_grams,
                "variance_grams": line.variance_grams,
                "variance_percent": line.variance_percent,
                "by_month": {m.isoformat(): g for m, g in sorted(line.by_month.items())},
            }
            for line in report.lines
        ],
    }


# --- colours ---------------------------------------------------------------------------------


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


@router.get("/colours/suggest", response={200: ColourSuggestionOut, **errors(422)})
def colour_suggest(request: HttpRequest, color_hex: ColourQuery) -> dict[str, Any]:  # type: ignore[valid-type]
    """Palette names for a colour (closest first, ΔE2000) and the workspace's three closest
    filaments with their ΔE."""
    try:
        hex_value = normalise_hex(color_hex)
    except ValueError as error:
        raise InvalidInput(str(error), field="color_hex") from None
    nearest = selectors.filaments_near_colour(
        workspace=request.workspace,  # type: ignore[attr-defined]
        color_hex=hex_value,
    )
    return {
        "color_hex": hex_value,
        "names": colour.colour_name_suggestions(hex_value),
        "similar": [
            {"filament": filament_ref(f), "delta_e": round(delta, 2)} for f, delta in nearest
        ],
    }
