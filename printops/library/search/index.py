"""Keeping the search rows current: one denormalized row per design (the best version's figures
and all versions' facet values) and its text in FTS5 or a tsvector."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from printops.accounts.models import Workspace
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


def search_index_design(*, design_id: int) -> None:
    """(Re)build one design's search row; removes it when the design no longer exists."""
    _write(_documents(design_ids=[design_id]), delete_design_ids=[design_id])


def search_rebuild(*, workspace: Workspace) -> int:
    """Rebuild every search row of a workspace; returns how many designs were indexed."""
    return search_rebuild_workspace_id(workspace.pk)


def search_rebuild_workspace_id(workspace_id: int) -> int:
    """search_rebuild by id (for migrations, which have no live Workspace object)."""
    documents = _documents(workspace_id=workspace_id)
    _write(documents, delete_workspace_id=workspace_id)
    return len(documents)


def _join(values: Iterable[str]) -> str:
    return SEP.join(dict.fromkeys(v for v in values if v))


def _documents(
    *, design_ids: Sequence[int] | None = None, workspace_id: int | None = None
) -> list[dict[str, Any]]:
    """Search rows built in five queries whatever the number of designs."""
    if design_ids is not None:
        designs = Design.objects.filter(pk__in=design_ids)
        scope: dict[str, Any] = {"design_id__in": design_ids}
        variant_scope: dict[str, Any] = {"variant__design_id__in": design_ids}
        filament_scope: dict[str, Any] = {"version__variant__design_id__in": design_ids}
    else:
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


_SUMMARY_COLUMNS = (
    "design_id", "workspace_id", "category_id", "name_key", "created_at", "variant_count",
    "version_count", "best_version_id", "thumbnail_version_id", "thumbnail_blob_id",
    "print_seconds", "filament_grams", "materials", "colours", "printers", "slicers", "tags",
)  # fmt: skip


_BATCH = 500


def _write(
    documents: list[dict[str, Any]],
    *,
    delete_design_ids: Sequence[int] = (),
    delete_workspace_id: int | None = None,
) -> None:
    postgres = connection.vendor == "postgresql"
    columns = ", ".join(_SUMMARY_COLUMNS)
    placeholders = ", ".join(["%s"] * len(_SUMMARY_COLUMNS))
    if postgres:
        insert = (
            f"INSERT INTO library_design_search ({columns}, document) VALUES ({placeholders}, "  # noqa: S608 - placeholders and fixed names only
            "setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B'))"
        )
    else:
        insert = f"INSERT INTO library_design_search ({columns}) VALUES ({placeholders})"  # noqa: S608 - placeholders and fixed names only
    with transaction.atomic(), connection.cursor() as cursor:
        touched = {d["workspace_id"] for d in documents}
        if delete_workspace_id is not None:
            touched.add(delete_workspace_id)
        if delete_design_ids:
            marks = ", ".join(["%s"] * len(delete_design_ids))
            cursor.execute(
                f"SELECT DISTINCT workspace_id FROM library_design_search "  # noqa: S608 - placeholders only
                f"WHERE design_id IN ({marks})",
                list(delete_design_ids),
            )
            touched.update(row[0] for row in cursor.fetchall())
        for workspace_id in touched:
            _bump_generation(workspace_id)
        if delete_workspace_id is not None:
            cursor.execute(
                "DELETE FROM library_design_search WHERE workspace_id = %s", [delete_workspace_id]
            )
            if not postgres:
                cursor.execute(
                    "DELETE FROM library_design_fts WHERE workspace_id = %s", [delete_workspace_id]
                )
        for start in range(0, len(delete_design_ids), _BATCH):
            batch = list(delete_design_ids[start : start + _BATCH])
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM library_design_search WHERE design_id IN ({marks})", batch)  # noqa: S608 - placeholders and fixed names only
            if not postgres:
                cursor.execute(f"DELETE FROM library_design_fts WHERE rowid IN ({marks})", batch)  # noqa: S608 - placeholders and fixed names only
        for start in range(0, len(documents), _BATCH):
            batch = documents[start : start + _BATCH]
            rows = [[d[c] for c in _SUMMARY_COLUMNS] for d in batch]
            if postgres:
                rows = [[*row, d["name"], d["body"]] for row, d in zip(rows, batch, strict=True)]
            cursor.executemany(insert, rows)
            if not postgres:
                cursor.executemany(
                    "INSERT INTO library_design_fts (rowid, design_id, workspace_id, name, body) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [
                        [d["design_id"], d["design_id"], d["workspace_id"], d["name"], d["body"]]
                        for d in batch
                    ],
                )


def _bump_generation(workspace_id: int) -> None:
    if SearchGeneration.objects.filter(workspace_id=workspace_id).update(
        generation=F("generation") + 1
    ):
        return
    try:
        with transaction.atomic():
            SearchGeneration.objects.create(workspace_id=workspace_id, generation=1)
    except IntegrityError:  # created by a concurrent write
        SearchGeneration.objects.filter(workspace_id=workspace_id).update(
            generation=F("generation") + 1
        )


def _generation(workspace_id: int) -> str:
    """The workspace's index version; the row id too, so a re-created row never matches."""
    found = SearchGeneration.objects.filter(workspace_id=workspace_id).values_list(
        "pk", "generation"
    )
    row = next(iter(found), None)
    return f"{row[0]}.{row[1]}" if row else "0"
