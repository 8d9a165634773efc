"""Printable QR label sheets for spools: the QR opens the spool's page on a phone."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.materials import selectors
from printops.materials.labels import SpoolLabel, label_sheet_html
from printops.materials.models import Material

MAX_LABELS = 300  # about ten A4 pages; more is a mistake rather than a print run


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@workspace_required
def label_sheet(request: WorkspaceRequest) -> HttpResponse:
    """One spool (`?spool=ID`) or the spools in stock matching the inventory's filters."""
    workspace = request.workspace
    get = request.GET
    spool_id = _int(get.get("spool"))
    if spool_id is not None:
        spools = [
            get_object_or_404(selectors.spool_list(workspace=workspace, archived=None), pk=spool_id)
        ]
    else:
        spools = list(
            selectors.spool_list(
                workspace=workspace,
                material=get.get("material", "") if get.get("material") in Material.values else "",
                filament_id=_int(get.get("filament")),
                vendor_id=_int(get.get("vendor")),
                location=get.get("location", "")[:80],
            )[:MAX_LABELS]
        )
    columns = _int(get.get("columns")) or 3
    labels = [
        SpoolLabel(
            code=spool.label_code,
            url=request.build_absolute_uri(
                reverse("materials:spool_by_code", args=[spool.label_code])
            ),
            title=str(spool.filament),
            subtitle=" · ".join(p for p in (spool.location, spool.lot and f"lot {spool.lot}") if p),
            color_hex=spool.filament.color_hex,
        )
        for spool in spools
    ]
    try:
        html = label_sheet_html(labels, columns=columns)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)
