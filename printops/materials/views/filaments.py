"""Materials pages: inventory by filament and by spool, vendors, filaments, spools, ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error
from printops.materials import colour, selectors, services
from printops.materials.colour import normalise_hex
from printops.materials.forms import (
    FilamentForm,
    SpoolForm,
    VendorForm,
)
from printops.materials.models import PRODUCT_LINES, Filament, Material, Vendor

SPOOL_PAGE_SIZE = 100
# Within ΔE 5 two filaments look alike: worth a second look before adding a duplicate.
SIMILAR_DELTA_E = 5.0
# A filament page lists this many spools, emptiest first (use those first); a filament with
# 360 spools took 111 ms at p95 to render them all, 100 keep it near the inventory's 20 ms.
FILAMENT_PAGE_SPOOLS = 100
FILAMENT_SORTS = (
    ("brand", "Brand"),
    ("material", "Material"),
    ("colour", "Colour"),
    ("grams", "Least left"),
    ("-grams", "Most left"),
)
SPOOL_SORTS = (
    ("newest", "Newest"),
    ("grams", "Least left"),
    ("-grams", "Most left"),
    ("location", "Location"),
    ("brand", "Brand"),
)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filament(request: WorkspaceRequest, pk: int) -> Filament:
    return get_object_or_404(selectors.filament_list(workspace=request.workspace), pk=pk)


def _vendor(request: WorkspaceRequest, pk: int) -> Vendor:
    return get_object_or_404(selectors.vendor_list(workspace=request.workspace), pk=pk)


@workspace_required
def index(request: WorkspaceRequest) -> HttpResponse:
    """Inventory by filament (default) or by spool (`view=spools`), filtered and sorted."""
    workspace, actor = request.workspace, request.actor
    get = request.GET
    by_spool = get.get("view") == "spools"
    material = get.get("material", "") if get.get("material") in Material.values else ""
    vendor_id = _int(get.get("vendor"))
    filament_id = _int(get.get("filament"))
    context: dict[str, Any] = {
        "by_spool": by_spool,
        "material": material,
        "materials": Material.choices,
        "vendor_id": vendor_id,
        "filament_id": filament_id,
        "vendors": selectors.vendor_list(workspace=workspace),
        "can_stock": actor.can(Perm.MANAGE_STOCK),
        "can_edit": actor.can(Perm.EDIT_CATALOGUE),
        "has_filaments": selectors.filament_list(workspace=workspace).exists(),
        "has_vendors": selectors.vendor_list(workspace=workspace).exists(),
    }
    if by_spool:
        sort = get.get("sort", "") if get.get("sort") in dict(SPOOL_SORTS) else "newest"
        archived = get.get("archived") == "1"
        location = get.get("location", "")[:80]
        spools = selectors.spool_list(
            workspace=workspace,
            material=material,
            vendor_id=vendor_id,
            filament_id=filament_id,
            location=location,
            archived=archived,
            sort=sort,
        )
        page = Paginator(spools, SPOOL_PAGE_SIZE).get_page(get.get("page"))
        params = get.copy()
        params.pop("page", None)
        context |= {
            "page": page,
            "sort": sort,
            "sorts": SPOOL_SORTS,
            "archived": archived,
            "location": location,
            "locations": selectors.spool_locations(workspace=workspace),
            "querystring": params.urlencode(),
        }
    else:
        sort = get.get("sort", "") if get.get("sort") in dict(FILAMENT_SORTS) else "brand"
        low_only = get.get("low") == "1"
        context |= {
            "filaments": selectors.filament_inventory(
                workspace=workspace,
                material=material,
                vendor_id=vendor_id,
                low_only=low_only,
                sort=sort,
            ),
            "sort": sort,
            "sorts": FILAMENT_SORTS,
            "low_only": low_only,
        }
    filtered = bool(
        material or vendor_id or get.get("low") or get.get("location") or get.get("archived")
    )
    context["filtered"] = filtered
    if request.htmx:
        return render(request, "materials/_inventory.html", context)
    return render(request, "materials/index.html", context)


# --- vendors ---------------------------------------------------------------------------------


@workspace_required
def vendors(request: WorkspaceRequest) -> HttpResponse:
    """The vendor list, and a form to add one."""
    workspace, actor = request.workspace, request.actor
    form = VendorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vendor = services.vendor_create(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{vendor.name} added.")
            return redirect("materials:vendors")
    return render(
        request,
        "materials/vendors.html",
        {
            "vendors": selectors.vendor_list(workspace=workspace),
            "form": form,
            "can_edit": actor.can(Perm.EDIT_CATALOGUE),
        },
        status=400 if form.errors else 200,
    )


@workspace_required
def vendor_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    vendor = _vendor(request, pk)
    initial = {
        "name": vendor.name,
        "empty_spool_grams": vendor.empty_spool_grams,
        "website": vendor.website,
    }
    form = VendorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.vendor_update(actor=request.actor, vendor=vendor, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{vendor.name} saved.")
            return redirect("materials:vendors")
    return render(
        request,
        "materials/vendor_edit.html",
        {"vendor": vendor, "form": form},
        status=400 if form.errors else 200,
    )


# --- filaments -------------------------------------------------------------------------------


def _filament_form_page(
    request: WorkspaceRequest, filament: Filament | None, initial: dict[str, Any]
) -> HttpResponse:
    actor = request.actor
    vendor_choices = selectors.vendor_list(workspace=request.workspace)
    form = FilamentForm(request.POST or None, initial=initial, vendors=vendor_choices)
    if request.method == "POST" and form.is_valid():
        vendor = form.cleaned_data["vendor"]
        try:
            if filament is None:
                filament = services.filament_create(
                    actor=actor, vendor=vendor, **form.service_fields()
                )
            else:
                services.filament_update(
                    actor=actor, filament=filament, vendor=vendor, **form.service_fields()
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{filament} saved.")
            return redirect("materials:filament", pk=filament.pk)
    return render(
        request,
        "materials/filament_form.html",
        {
            "filament": filament,
            "form": form,
            "has_vendors": vendor_choices.exists(),
            "product_lines": PRODUCT_LINES,
        },
        status=400 if form.errors else 200,
    )


@workspace_required
def filament_new(request: WorkspaceRequest) -> HttpResponse:
    vendor_id = _int(request.GET.get("vendor"))
    return _filament_form_page(request, None, {"vendor": vendor_id, "color_hex": "#FFFFFF"})


@workspace_required
def filament_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    filament = _filament(request, pk)
    initial = {
        field: getattr(filament, field)
        for field in FilamentForm.base_fields
        if field not in ("vendor", "multi_color_hexes")
    }
    initial |= {
        "vendor": filament.vendor_id,
        "multi_color_hexes": ", ".join(filament.multi_color_hexes),
    }
    return _filament_form_page(request, filament, initial)


@workspace_required
def filament_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """A filament with its stock, its spools and a form to add one."""
    workspace, actor = request.workspace, request.actor
    filament = _filament(request, pk)
    form = SpoolForm(request.POST or None, initial={"location": ""})
    if request.method == "POST" and form.is_valid():
        try:
            spool = services.spool_create(actor=actor, filament=filament, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{spool} added: {spool.remaining_grams} g.")
            return redirect("materials:filament", pk=filament.pk)
    (filament,) = selectors.filament_inventory(workspace=workspace, filament_id=filament.pk)
    spools = selectors.spool_list(
        workspace=workspace, filament_id=filament.pk, archived=False, sort="grams"
    )[:FILAMENT_PAGE_SPOOLS]
    return render(
        request,
        "materials/filament.html",
        {
            "filament": filament,
            "spools": spools,
            "form": form,
            "locations": selectors.spool_locations(workspace=workspace),
            "can_stock": actor.can(Perm.MANAGE_STOCK),
            "can_edit": actor.can(Perm.EDIT_CATALOGUE),
        },
        status=400 if form.errors else 200,
    )


@workspace_required
def colour_hint(request: WorkspaceRequest) -> HttpResponse:
    """Name suggestions for a hex colour, and catalogue filaments within ΔE 5 of it (htmx)."""
    raw = request.GET.get("color_hex", "").strip()
    try:
        hex_value = normalise_hex(raw) if raw else ""
    except ValueError:
        hex_value = ""
    similar = []
    if hex_value:
        closest = selectors.filaments_near_colour(
            workspace=request.workspace,
            color_hex=hex_value,
        )
        similar = [(f, delta) for f, delta in closest if delta < SIMILAR_DELTA_E]
    return render(
        request,
        "materials/_colour_hint.html",
        {
            "raw": raw,
            "hex": hex_value,
            "names": colour.colour_name_suggestions(hex_value) if hex_value else [],
            "similar": similar,
        },
    )
