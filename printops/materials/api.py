"""JSON API for materials: vendors, filaments, spools, the grams ledger."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from printops.accounts.request import WorkspaceRequest
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
    Id,
    Offset,
    one_of,
    whole,
)
from printops.core.errors import InvalidInput
from printops.materials import colour, imports, reports, selectors, services, shopping
from printops.materials.api_schemas import (
    ColourQuery,
    ColourSuggestionOut,
    ConsumeIn,
    FilamentIn,
    FilamentOut,
    FilamentStockOut,
    LedgerEntryOut,
    OrderIn,
    OrderOut,
    ReceivedOut,
    ShoppingLineOut,
    SpoolIn,
    SpoolOut,
    SpoolUpdateIn,
    VarianceReportOut,
    VendorIn,
    VendorOut,
    WeighInIn,
    entry_out,
    filament_out,
    filament_ref,
    order_out,
    spool_out,
    spool_rows,
    vendor_out,
)
from printops.materials.colour import normalise_hex
from printops.materials.models import Filament, Spool, Vendor

router = Router(tags=["materials"])


def _spool_payload(request: WorkspaceRequest, spool_id: int) -> dict[str, Any]:
    """One spool as a SpoolOut dict (any archive state), or 404."""
    return spool_out(_spool(request, spool_id))


def _vendor(request: WorkspaceRequest, vendor_id: int) -> Vendor:
    return get_object_or_404(selectors.vendor_list(workspace=request.workspace), pk=vendor_id)


def _filament(request: WorkspaceRequest, filament_id: int) -> Filament:
    return get_object_or_404(selectors.filament_list(workspace=request.workspace), pk=filament_id)


def _spool(request: WorkspaceRequest, spool_id: int) -> Spool:
    spool = selectors.spool_with_filament(workspace=request.workspace, spool_id=spool_id)
    if spool is None:
        raise Http404
    return spool


# --- vendors ---------------------------------------------------------------------------------


@router.get("/vendors", response={200: list[VendorOut], **READ})
def vendor_list(request: WorkspaceRequest) -> list[dict[str, Any]]:
    return [vendor_out(v) for v in selectors.vendor_list(workspace=request.workspace)]


@router.post("/vendors", response={201: VendorOut, **WRITE, **errors(409)})
def vendor_create(request: WorkspaceRequest, payload: VendorIn) -> Status:
    vendor = services.vendor_create(actor=request.actor, **payload.dict())
    return Status(201, vendor_out(vendor))


@router.get("/vendors/{vendor_id}", response={200: VendorOut, **READ_ONE})
def vendor_get(request: WorkspaceRequest, vendor_id: Id) -> dict[str, Any]:
    return vendor_out(_vendor(request, vendor_id))


@router.put("/vendors/{vendor_id}", response={200: VendorOut, **WRITE_ONE, **errors(409)})
def vendor_update(request: WorkspaceRequest, vendor_id: Id, payload: VendorIn) -> dict[str, Any]:
    vendor = _vendor(request, vendor_id)
    vendor = services.vendor_update(actor=request.actor, vendor=vendor, **payload.dict())
    return vendor_out(vendor)


# --- filaments -------------------------------------------------------------------------------


@router.get("/filaments", response={200: list[FilamentStockOut], **errors(422)})
def filament_list(
    request: WorkspaceRequest, material: str = "", vendor: Id | None = None, low: bool = False
) -> list[dict[str, Any]]:
    """Filaments with their stock (grams and spools not archived, low flag, days of stock)."""
    rows = selectors.filament_inventory(
        workspace=request.workspace,
        material=material.upper(),
        vendor_id=vendor,
        low_only=low,
    )
    return [filament_out(f) for f in rows]


@router.post("/filaments", response={201: FilamentOut, **WRITE, **errors(404)})
def filament_create(request: WorkspaceRequest, payload: FilamentIn) -> Status:
    fields = payload.dict()
    vendor = _vendor(request, fields.pop("vendor"))
    filament = services.filament_create(actor=request.actor, vendor=vendor, **fields)
    return Status(201, filament_out(filament))


@router.get("/filaments/{filament_id}", response={200: FilamentOut, **READ_ONE})
def filament_get(request: WorkspaceRequest, filament_id: Id) -> dict[str, Any]:
    return filament_out(_filament(request, filament_id))


@router.put("/filaments/{filament_id}", response={200: FilamentOut, **WRITE_ONE})
def filament_update(
    request: WorkspaceRequest, filament_id: Id, payload: FilamentIn
) -> dict[str, Any]:
    filament = _filament(request, filament_id)
    fields = payload.dict()
    vendor = _vendor(request, fields.pop("vendor"))
    filament = services.filament_update(
        actor=request.actor,
        filament=filament,
        vendor=vendor,
        **fields,
    )
    return filament_out(filament)


# --- spools ----------------------------------------------------------------------------------


@router.get("/spools", response={200: list[SpoolOut], **errors(422)})
def spool_list(
    request: WorkspaceRequest,
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
        workspace=request.workspace,
        material=material.upper(),
        location=location,
        filament_id=filament,
        archived=archived,
        sort=sort,
    )[offset : offset + limit]
    return spool_rows(spools)


@router.post("/spools", response={201: SpoolOut, **WRITE, **errors(404)})
def spool_create(request: WorkspaceRequest, payload: SpoolIn) -> Status:
    fields = payload.dict()
    filament = _filament(request, fields.pop("filament"))
    spool = services.spool_create(actor=request.actor, filament=filament, **fields)
    return Status(201, _spool_payload(request, spool.pk))


@router.get("/spools/{spool_id}", response={200: SpoolOut, **READ_ONE})
def spool_get(request: WorkspaceRequest, spool_id: Id) -> dict[str, Any]:
    return _spool_payload(request, spool_id)


@router.put("/spools/{spool_id}", response={200: SpoolOut, **WRITE_ONE})
def spool_update(request: WorkspaceRequest, spool_id: Id, payload: SpoolUpdateIn) -> dict[str, Any]:
    """Purchase details and location; `archived` archives or restores. Grams change only
    through consume and weigh-in."""
    spool = _spool(request, spool_id)
    fields = payload.dict()
    archived = fields.pop("archived")
    actor = request.actor
    services.spool_update(actor=actor, spool=spool, **fields)
    if archived is not None and archived != spool.archived:
        services.spool_archive(actor=actor, spool=spool, archived=archived)
    return _spool_payload(request, spool_id)


@router.post(
    "/spools/{spool_id}/consume", response={201: LedgerEntryOut, **WRITE_ONE, **errors(409)}
)
def spool_consume(request: WorkspaceRequest, spool_id: Id, payload: ConsumeIn) -> Status:
    """Take grams off a spool (reason: print, failed_print or adjustment with a note).
    409 with what is left when the spool holds less."""
    spool = _spool(request, spool_id)
    entry = services.spool_consume(actor=request.actor, spool=spool, **payload.dict())
    return Status(201, entry_out(entry))


@router.post(
    "/spools/{spool_id}/weigh-in", response={201: LedgerEntryOut, **WRITE_ONE, **errors(409)}
)
def spool_weigh_in(request: WorkspaceRequest, spool_id: Id, payload: WeighInIn) -> Status:
    """Set a spool from the scale's gross weight; the entry's grams are the variance against
    `expected_grams`."""
    spool = _spool(request, spool_id)
    entry = services.spool_weigh_in(actor=request.actor, spool=spool, **payload.dict())
    return Status(201, entry_out(entry))


@router.get("/spools/{spool_id}/ledger", response={200: list[LedgerEntryOut], **READ_ONE})
def spool_ledger(request: WorkspaceRequest, spool_id: Id) -> list[dict[str, Any]]:
    """Every change of the spool's grams, newest first."""
    spool = _spool(request, spool_id)
    history = selectors.spool_history(workspace=request.workspace, spool=spool)
    return [entry_out(e) for e in history]


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
def export_filaments(request: WorkspaceRequest) -> HttpResponse:
    """Every filament with its vendor as CSV, in the columns the import reads."""
    return _csv_response(imports.filaments_csv(workspace=request.workspace), "filaments.csv")


@router.get(
    "/export/spools.csv",
    response=READ,
    openapi_extra=file_answer("text/csv", "Every spool, archived too."),
)
def export_spools(request: WorkspaceRequest) -> HttpResponse:
    """Every spool (archived too) with its filament, grams left, location, lot and label code."""
    return _csv_response(imports.spools_csv(workspace=request.workspace), "spools.csv")


# --- shopping list and orders ----------------------------------------------------------------


@router.get("/shopping-list", response={200: list[ShoppingLineOut], **READ})
def shopping_list(request: WorkspaceRequest) -> list[dict[str, Any]]:
    """Filaments to buy: below their threshold or running out within their lead time."""
    workspace = request.workspace
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
def order_create(request: WorkspaceRequest, payload: OrderIn) -> Status:
    filament = _filament(request, payload.filament)
    order = services.filament_order_create(
        actor=request.actor,
        filament=filament,
        spools=payload.spools,
        cost=payload.cost,
    )
    return Status(201, order_out(order))


@router.post("/orders/{order_id}/receive", response={201: ReceivedOut, **ACTION_ONE, **errors(409)})
def order_receive(request: WorkspaceRequest, order_id: Id) -> Status:
    """Add the order's spools to stock; a second receipt is refused (409)."""
    workspace = request.workspace
    order = get_object_or_404(shopping.filament_order_list(workspace=workspace), pk=order_id)
    spools = services.filament_order_receive(actor=request.actor, order=order)
    return Status(201, {"order": order_out(order), "spools": [spool_out(s) for s in spools]})


# --- weigh-in reconciliation -----------------------------------------------------------------


@router.get("/reports/weigh-in-variance", response={200: VarianceReportOut, **errors(422)})
def weigh_in_variance(
    request: WorkspaceRequest,
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
        workspace=request.workspace,
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


@router.get("/colours/suggest", response={200: ColourSuggestionOut, **errors(422)})
def colour_suggest(request: WorkspaceRequest, color_hex: ColourQuery) -> dict[str, Any]:
    """Palette names for a colour (closest first, ΔE2000) and the workspace's three closest
    filaments with their ΔE."""
    try:
        hex_value = normalise_hex(color_hex)
    except ValueError as error:
        raise InvalidInput(str(error), field="color_hex") from None
    nearest = selectors.filaments_near_colour(
        workspace=request.workspace,
        color_hex=hex_value,
    )
    return {
        "color_hex": hex_value,
        "names": colour.colour_name_suggestions(hex_value),
        "similar": [
            {"filament": filament_ref(f), "delta_e": round(delta, 2)} for f, delta in nearest
        ],
    }
