"""Import / export page: CSV downloads, and CSV uploads previewed row by row before import."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError, InvalidInput
from printops.materials import imports, services

# The previewed file waits in the session (database-backed) until *Import* or a new upload.
SESSION_KEY = "materials_import"


def _kind(kind: str, *, spoolman: bool = False) -> str:
    if kind not in imports.KINDS and not (spoolman and kind == "spoolman"):
        raise Http404
    return kind


def _page(
    request: WorkspaceRequest, error: str = "", kind: str = "", status: int = 200
) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "materials/import.html",
        {
            "can_edit": actor.can(Perm.EDIT_CATALOGUE),
            "can_stock": actor.can(Perm.MANAGE_STOCK),
            "error": error,
            "error_kind": kind,
            "max_rows": imports.MAX_ROWS,
            "max_mb": imports.MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )


@workspace_required
def import_index(request: WorkspaceRequest) -> HttpResponse:
    """Downloads for everyone; an upload form per kind for those who may import it."""
    return _page(request)


@workspace_required
def export_csv(request: WorkspaceRequest, kind: str) -> HttpResponse:
    workspace = request.workspace
    writer = imports.filaments_csv if _kind(kind) == "filaments" else imports.spools_csv
    response = HttpResponse(writer(workspace=workspace), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-{kind}.csv"'
    return response


def _spoolman_data(request: WorkspaceRequest) -> dict[str, Any]:
    """Spoolman's records from an uploaded JSON export, or fetched from its address."""
    upload = request.FILES.get("file")
    if upload is not None:
        return imports.spoolman_read(data=upload.read(imports.SPOOLMAN_MAX_BYTES + 1))
    base_url = request.POST.get("url", "")
    if not base_url.strip():
        raise InvalidInput("Choose Spoolman's JSON export, or give the address of your Spoolman.")
    return imports.spoolman_fetch(actor=request.actor, base_url=base_url)


@require_POST
@workspace_required
def import_preview(request: WorkspaceRequest, kind: str) -> HttpResponse:
    """Read the uploaded file (or Spoolman) and show what importing it would do; nothing is
    written."""
    kind, actor = _kind(kind, spoolman=True), request.actor
    upload = request.FILES.get("file")
    try:
        if kind == "spoolman":
            spoolman = _spoolman_data(request)
            plan = services.spoolman_preview(actor=actor, data=spoolman)
            text, name = json.dumps(spoolman), upload.name if upload else request.POST["url"]
        else:
            if upload is None:
                return _page(request, "Choose a CSV file to import.", kind, status=400)
            data = upload.read(imports.MAX_BYTES + 1)
            plan = services.import_preview(actor=actor, kind=kind, data=data)
            text, name = data.decode("utf-8-sig"), upload.name
    except DomainError as error:
        return _page(request, error.message, kind, status=error.status_code)
    digest = hashlib.sha256(text.encode()).hexdigest()
    request.session[SESSION_KEY] = {"kind": kind, "text": text, "sha256": digest}
    return render(
        request,
        "materials/import_preview.html",
        {"plan": plan, "kind": kind, "sha256": digest, "file_name": name},
    )


@require_POST
@workspace_required
def import_apply(request: WorkspaceRequest, kind: str) -> HttpResponse:
    """Import the previewed file (or Spoolman's records) in one transaction: all or none."""
    kind, actor = _kind(kind, spoolman=True), request.actor
    pending = request.session.get(SESSION_KEY) or {}
    data = str(pending.get("text", "")).encode()
    if pending.get("kind") != kind or pending.get("sha256") != request.POST.get("sha256"):
        messages.error(request, "That preview has expired: upload the file again.")
        return redirect("materials:import")
    try:
        if kind == "spoolman":
            plan = services.spoolman_apply(actor=actor, data=json.loads(data))
        else:
            plan = services.import_apply(actor=actor, kind=kind, data=data)
    except DomainError as error:
        return _page(request, error.message, kind, status=error.status_code)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"Imported {kind}: {plan.count('create')} added, {plan.count('update')} updated, "
        f"{plan.count('unchanged')} unchanged.",
    )
    return redirect("materials:index")
