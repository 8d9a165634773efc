"""JSON API for matching the filaments of sliced files to the materials catalogue."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from printops.accounts.request import WorkspaceRequest
from printops.core.api_errors import ACTION_ONE, READ, READ_ONE, WRITE_ONE, errors
from printops.core.bounds import Id
from printops.library import selectors, services
from printops.library.models import FilamentUsage
from printops.materials.selectors import filament_list
from printops.materials.stock_matching import FilamentMatch

router = Router(tags=["library"])


class MatchedFilamentRef(Schema):
    """A catalogue filament as the matching review names it (materials' FilamentRef lists the
    vendor and material apart; the two once shared a name and so one OpenAPI component)."""

    id: int
    name: str
    color_hex: str


class UsageMatchOut(Schema):
    id: int
    version: int
    slot: int
    material: str
    brand: str
    name: str
    slicer_filament_id: str
    color_hex: str
    grams: float | None
    filament: MatchedFilamentRef | None
    match_confidence: float | None
    match_source: str


class MatchCandidateOut(Schema):
    filament: MatchedFilamentRef
    confidence: float
    delta_e: float | None
    remembered: bool


class UnmatchedPresetOut(Schema):
    usage: int
    material: str
    brand: str
    name: str
    slicer_filament_id: str
    color_hex: str
    usages: int
    versions: list[int]
    candidates: list[MatchCandidateOut]


class UsageConfirmIn(Schema):
    filament: Id


class UsageLinkedOut(Schema):
    linked: int
    usage: UsageMatchOut


class FilamentCreatedOut(Schema):
    filament: MatchedFilamentRef
    usage: UsageMatchOut


class RematchOut(Schema):
    linked: int
    unmatched: int


def _filament_ref(filament: Any) -> dict[str, Any]:
    return {"id": filament.pk, "name": str(filament), "color_hex": filament.color_hex}


def usage_match_out(usage: FilamentUsage) -> dict[str, Any]:
    """One usage with the filament it is linked to, as the API shows it."""
    return {
        "id": usage.pk,
        "version": usage.version_id,
        "slot": usage.slot,
        "material": usage.material,
        "brand": usage.brand,
        "name": usage.name,
        "slicer_filament_id": usage.slicer_filament_id,
        "color_hex": usage.color_hex,
        "grams": usage.grams,
        "filament": _filament_ref(usage.filament) if usage.filament else None,
        "match_confidence": usage.match_confidence,
        "match_source": usage.match_source,
    }


def _candidate_out(match: FilamentMatch) -> dict[str, Any]:
    return {
        "filament": _filament_ref(match.filament),
        "confidence": match.confidence,
        "delta_e": None if match.delta_e is None else round(match.delta_e, 2),
        "remembered": match.remembered,
    }


def _usage(request: WorkspaceRequest, usage_id: int) -> FilamentUsage:
    workspace = request.workspace
    return get_object_or_404(selectors.filament_usage_list(workspace=workspace), pk=usage_id)


@router.get("/versions/{version_id}/filaments", response={200: list[UsageMatchOut], **READ_ONE})
def version_filaments(request: WorkspaceRequest, version_id: Id) -> list[dict[str, Any]]:
    """The filaments a version uses and the stock filament each is linked to."""
    workspace = request.workspace
    version = get_object_or_404(selectors.version_list(workspace=workspace), pk=version_id)
    usages = (
        selectors.filament_usage_list(workspace=workspace).filter(version=version).order_by("slot")
    )
    return [usage_match_out(u) for u in usages]


@router.get("/filaments/unmatched", response={200: list[UnmatchedPresetOut], **READ})
def unmatched(request: WorkspaceRequest) -> list[dict[str, Any]]:
    """The review queue: presets not linked to stock, with the best three candidates."""
    return [
        {
            "usage": p.usage.pk,
            "material": p.wanted.material,
            "brand": p.wanted.brand,
            "name": p.wanted.name,
            "slicer_filament_id": p.wanted.slicer_filament_id,
            "color_hex": p.wanted.color_hex,
            "usages": p.usages,
            "versions": [v.pk for v in p.versions],
            "candidates": [_candidate_out(m) for m in p.candidates],
        }
        for p in selectors.unmatched_presets(workspace=request.workspace)
    ]


@router.post("/filament-usages/{usage_id}/confirm", response={200: UsageLinkedOut, **WRITE_ONE})
def confirm(request: WorkspaceRequest, usage_id: Id, payload: UsageConfirmIn) -> dict[str, Any]:
    """Link a usage (and every usage of the same preset) to a filament, and remember it."""
    usage = _usage(request, usage_id)
    filament = get_object_or_404(
        filament_list(workspace=request.workspace),
        pk=payload.filament,
    )
    linked = services.usage_confirm(actor=request.actor, usage=usage, filament=filament)
    return {"linked": linked, "usage": usage_match_out(_usage(request, usage_id))}


@router.post(
    "/filament-usages/{usage_id}/create-filament",
    response={201: FilamentCreatedOut, **ACTION_ONE, **errors(409)},
)
def create_filament(request: WorkspaceRequest, usage_id: Id) -> Status:
    """Add the filament the file describes to the catalogue and link the usage to it."""
    usage = _usage(request, usage_id)
    filament = services.usage_create_filament(actor=request.actor, usage=usage)
    return Status(
        201,
        {"filament": _filament_ref(filament), "usage": usage_match_out(_usage(request, usage_id))},
    )


@router.post("/filaments/rematch", response={200: RematchOut, **errors(403, 422)})
def rematch(request: WorkspaceRequest) -> dict[str, Any]:
    """Match every unlinked usage again; say how many are now linked and how many remain."""
    linked = services.usages_rematch(actor=request.actor)
    return {
        "linked": linked,
        "unmatched": selectors.unmatched_preset_count(workspace=request.workspace),
    }
