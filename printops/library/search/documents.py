"""What a design's search row holds: one denormalized row per design (the best version's figures
and all versions' facet values) and its text, read in five queries whatever the number of
designs; and the workspace's index generation. services/search_index.py writes the rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from printops.library.models import (
    Design,
    FilamentUsage,
    SearchGeneration,
    Variant,
    VariantVersion,
)
from printops.library.search.terms import (
    _HEX,
    SEP,
    _colour_words,
)


def _join(values: Iterable[str]) -> str:
    return SEP.join(dict.fromkeys(v for v in values if v))


def search_documents(
    *, design_ids: Sequence[int] | None = None, workspace_id: int | None = None
) -> list[dict[str, Any]]:
    """Search rows built in five queries whatever the number of designs."""
    if design_ids is not None:
        designs = Design.objects.filter(pk__in=design_ids)
        scope: dict[str, Any] = {"design_id__in": design_ids}
        variant_scope: dict[str, Any] = {"variant__design_id__in": design_ids}
        filament_scope: dict[str, Any] = {"version__variant__design_id__in": design_ids}
    else:
        assert workspace_id is not None, "give design_ids or workspace_id"
        designs = Design.objects.filter(workspace_id=workspace_id)
        scope = variant_scope = filament_scope = {"workspace_id": workspace_id}
    tag_scope = (
        {"design_id__in": design_ids}
        if design_ids is not None
        else {"design__workspace_id": workspace_id}
    )
    rows = list(
        designs.values_list(
            "id", "workspace_id", "name", "designer", "description", "category_id",
            "category__name", "created_at",
        )
    )  # fmt: skip
    if not rows:
        return []
    tags: dict[int, list[str]] = {}
    for design_id, tag in (
        Design.tags.through.objects.filter(**tag_scope)
        .order_by("tag__name")
        .values_list("design_id", "tag__name")
    ):
        tags.setdefault(design_id, []).append(tag)
    variants: dict[int, list[tuple[int, str, int | None]]] = {}
    for variant_id, design_id, name, default_id in (
        Variant.objects.filter(**scope)
        .order_by("name", "pk")
        .values_list("id", "design_id", "name", "default_version_id")
    ):
        variants.setdefault(design_id, []).append((variant_id, name, default_id))
    versions: dict[int, dict[int, tuple[Any, ...]]] = {}
    for row in (
        VariantVersion.objects.filter(**variant_scope)
        .order_by("pk")
        .values_list(
            "id", "variant__design_id", "original_name", "change_note", "printer_model",
            "slicer_name", "print_seconds", "filament_grams", "thumbnail_id",
        )
    ):  # fmt: skip
        versions.setdefault(row[1], {})[row[0]] = row
    filaments: dict[int, list[tuple[str, str, str, str]]] = {}
    for version_id, material, brand, name, hex_colour in (
        FilamentUsage.objects.filter(**filament_scope)
        .order_by("version_id", "slot")
        .values_list("version_id", "material", "brand", "name", "color_hex")
    ):
        filaments.setdefault(version_id, []).append(
            (material.strip().upper(), brand, name, hex_colour.upper())
        )

    documents = []
    for design_id, ws_id, name, designer, description, category_id, category, created in rows:
        design_versions = versions.get(design_id, {})
        design_variants = variants.get(design_id, [])
        best = _best_version(design_variants, design_versions)
        usages = [f for vid in design_versions for f in filaments.get(vid, [])]
        colours = _join(f[3] for f in usages if _HEX.match(f[3]))
        body_parts = [
            designer,
            description,
            category or "",
            " ".join(tags.get(design_id, [])),
            " ".join(v[1] for v in design_variants),
            " ".join(f"{v[2]} {v[3]}" for v in design_versions.values()),
            " ".join(f"{f[0]} {f[1]} {f[2]}" for f in usages),
            " ".join(dict.fromkeys(_colour_words(c) for c in colours.split(SEP) if c)),
            " ".join(dict.fromkeys(f"{v[4]} {v[5]}" for v in design_versions.values())),
        ]
        documents.append(
            {
                "design_id": design_id,
                "workspace_id": ws_id,
                "category_id": category_id,
                "name": name,
                "name_key": name.lower()[:200],
                "created_at": connection.ops.adapt_datetimefield_value(created),
                "variant_count": len(design_variants),
                "version_count": len(design_versions),
                "best_version_id": best[0] if best else None,
                "thumbnail_version_id": best[0] if best and best[8] else None,
                "thumbnail_blob_id": best[8] if best else None,
                "print_seconds": best[6] if best else None,
                "filament_grams": best[7] if best else None,
                "materials": _join(f[0] for f in usages),
                "colours": colours,
                "printers": _join(v[4] for v in design_versions.values()),
                "slicers": _join(v[5] for v in design_versions.values()),
                "tags": _join(tags.get(design_id, [])),
                "body": " ".join(part for part in body_parts if part),
            }
        )
    return documents


def _best_version(
    variants: list[tuple[int, str, int | None]], versions: dict[int, tuple[Any, ...]]
) -> tuple[Any, ...] | None:
    """A variant's default version with a thumbnail, else any version with one, else the first
    variant's default version, else the newest version."""
    defaults = [versions[v[2]] for v in variants if v[2] in versions]
    for version in defaults:
        if version[8]:
            return version
    for version in reversed(list(versions.values())):
        if version[8]:
            return version
    if defaults:
        return defaults[0]
    return versions[max(versions)] if versions else None


SUMMARY_COLUMNS = (
    "design_id", "workspace_id", "category_id", "name_key", "created_at", "variant_count",
    "version_count", "best_version_id", "thumbnail_version_id", "thumbnail_blob_id",
    "print_seconds", "filament_grams", "materials", "colours", "printers", "slicers", "tags",
)  # fmt: skip


def search_generation(workspace_id: int) -> str:
    """The workspace's index version; the row id too, so a re-created row never matches."""
    found = SearchGeneration.objects.filter(workspace_id=workspace_id).values_list(
        "pk", "generation"
    )
    row = next(iter(found), None)
    return f"{row[0]}.{row[1]}" if row else "0"
