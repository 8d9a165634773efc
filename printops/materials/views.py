"""Materials pages: inventory by filament and by spool, vendors, filaments, spools, ledger."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.roles import Perm
from printops.core.errors import DomainError, NeedsConfirmation
from printops.core.forms import add_domain_error
from printops.materials import colour, selectors, services
from printops.materials.colour import normalise_hex
from printops.materials.forms import (
    ConsumeForm,
    FilamentForm,
    MoveForm,
    SpoolDetailsForm,
    SpoolForm,
    VendorForm,
    WeighInForm,
)
from printops.materials.models import PRODUCT_LINES, Filament, Material, Spool, Vendor

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


def _spool(request: HttpRequest, pk: int) -> Spool:
    return get_object_or_404(
        selectors.spool_list(workspace=request.workspace, archived=None),  # type: ignore[attr-defined]
        pk=pk,
    )


def _filament(request: HttpRequest, pk: int) -> Filament:
    return get_object_or_404(selectors.filament_list(workspace=request.workspace), pk=pk)  # type: ignore[attr-defined]


def _vendor(request: HttpRequest, pk: int) -> Vendor:
    return get_object_or_404(selectors.vendor_list(workspace=request.workspace), pk=pk)  # type: ignore[attr-defined]


@workspace_required
def index(request: HttpRequest) -> HttpResponse:
    """Inventory by filament (default) or by spool (`view=spools`), filtered and sorted."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
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
        sort = get.get("sort") if get.get("sort") in dict(SPOOL_SORTS) else "newest"
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
        sort = get.get("sort") if get.get("sort") in dict(FILAMENT_SORTS) else "brand"
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
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "materials/_inventory.html", context)
    return render(request, "materials/index.html", context)


# --- vendors ---------------------------------------------------------------------------------


@workspace_required
def vendors(request: HttpRequest) -> HttpResponse:
    """The vendor list, and a form to add one."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
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
def vendor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vendor = _vendor(request, pk)
    initial = {
        "name": vendor.name,
        "empty_spool_grams": vendor.empty_spool_grams,
        "website": vendor.website,
    }
    form = VendorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.vendor_update(actor=request.actor, vendor=vendor, **form.cleaned_data)  # type: ignore[attr-defined]
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
    request: HttpRequest, filament: Filament | None, initial: dict[str, Any]
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    vendor_choices = selectors.vendor_list(workspace=request.workspace)  # type: ignore[attr-defined]
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
def filament_new(request: HttpRequest) -> HttpResponse:
    vendor_id = _int(request.GET.get("vendor"))
    return _filament_form_page(request, None, {"vendor": vendor_id, "color_hex": "#FFFFFF"})


@workspace_required
def filament_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
def filament_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A filament with its stock, its spools and a form to add one."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
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


# --- spools ----------------------------------------------------------------------------------


@workspace_required
def spool_detail(
    request: HttpRequest, pk: int, weigh_in_question: tuple[str, WeighInForm] | None = None
) -> HttpResponse:
    """A spool: its grams, two-tap actions (weigh in, mark empty, move) and its ledger; after
    a weigh-in that needs a yes, the question with the reading it is about."""
    workspace, actor = request.workspace, request.actor  # type: ignore[attr-defined]
    spool = _spool(request, pk)
    details = SpoolDetailsForm(
        request.POST if request.method == "POST" else None,
        initial={f: getattr(spool, f) for f in SpoolDetailsForm.base_fields},
    )
    if request.method == "POST" and details.is_valid():
        try:
            services.spool_update(actor=actor, spool=spool, **details.cleaned_data)
        except DomainError as error:
            add_domain_error(details, error)
        else:
            messages.success(request, "Spool details saved.")
            return redirect("materials:spool", pk=spool.pk)
    return render(
        request,
        "materials/spool.html",
        {
            "spool": spool,
            "history": selectors.spool_history(workspace=workspace, spool=spool)[:200],
            "details_form": details,
            "weigh_form": weigh_in_question[1] if weigh_in_question else WeighInForm(),
            "weigh_in_question": weigh_in_question[0] if weigh_in_question else "",
            "move_form": MoveForm(initial={"location": spool.location}),
            "consume_form": ConsumeForm(),
            "locations": selectors.spool_locations(workspace=workspace),
            "can_stock": actor.can(Perm.MANAGE_STOCK),
        },
        status=400 if details.errors else 200,
    )


@workspace_required
def spool_by_code(request: HttpRequest, code: str) -> HttpResponse:
    """A label's code (as scanned or typed) opens its spool."""
    spool = get_object_or_404(
        selectors.spool_list(workspace=request.workspace, archived=None),  # type: ignore[attr-defined]
        label_code=code.strip().upper(),
    )
    return redirect("materials:spool", pk=spool.pk)


def _spool_action(request: HttpRequest, pk: int, form_class: Any, act: Any) -> HttpResponse:
    """Run one spool action from a posted form; its outcome is a message on the spool page."""
    spool = _spool(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, first)
    else:
        try:
            sentence = act(request.actor, spool, form.cleaned_data if form else {})  # type: ignore[attr-defined]
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, sentence)
    return redirect("materials:spool", pk=spool.pk)


@require_POST
@workspace_required
def spool_weigh_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Weigh in; a reading far above the ledger comes back as a question on the spool page,
    with the reading kept and a "Yes, record it" button, rather than as an error."""
    spool = _spool(request, pk)
    form = WeighInForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("materials:spool", pk=spool.pk)
    try:
        entry = services.spool_weigh_in(
            actor=request.actor,  # type: ignore[attr-defined]
            spool=spool,
            gross_grams=form.cleaned_data["gross_grams"],
            confirm=form.cleaned_data["confirm"],
        )
    except NeedsConfirmation as question:
        request.method = "GET"  # the page below shows the spool, not a details form posted
        return spool_detail(request, pk, weigh_in_question=(question.message, form))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Weighed in: {spool.remaining_grams} g left ({entry.grams:+} g against the ledger).",
        )
    return redirect("materials:spool", pk=spool.pk)


@require_POST
@workspace_required
def spool_mark_empty(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Any, spool: Spool, data: dict[str, Any]) -> str:
        services.spool_mark_empty(actor=actor, spool=spool)
        return f"{spool} is marked empty."

    return _spool_action(request, pk, None, act)


@require_POST
@workspace_required
def spool_move(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Any, spool: Spool, data: dict[str, Any]) -> str:
        services.spool_move(actor=actor, spool=spool, location=data["location"])
        return f"{spool} is now at {spool.location or 'no particular place'}."

    return _spool_action(request, pk, MoveForm, act)


@require_POST
@workspace_required
def spool_consume(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Any, spool: Spool, data: dict[str, Any]) -> str:
        services.spool_consume(actor=actor, spool=spool, **data)
        return f"Recorded {data['grams']} g; {spool.remaining_grams} g left."

    return _spool_action(request, pk, ConsumeForm, act)


@require_POST
@workspace_required
def spool_archive(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Any, spool: Spool, data: dict[str, Any]) -> str:
        archived = not spool.archived
        services.spool_archive(actor=actor, spool=spool, archived=archived)
        return f"{spool} is archived." if archived else f"{spool} is back in stock."

    return _spool_action(request, pk, None, act)


@workspace_required
def colour_hint(request: HttpRequest) -> HttpResponse:
    """Name suggestions for a hex colour, and catalogue filaments within ΔE 5 of it (htmx)."""
    raw = request.GET.get("color_hex", "").strip()
    try:
        hex_value = normalise_hex(raw) if raw else ""
    except ValueError:
        hex_value = ""
    similar = []
    if hex_value:
        closest = selectors.filaments_near_colour(
            workspace=request.workspace,  # type: ignore[attr-defined]
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
