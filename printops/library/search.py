"""Library search: SQLite FTS5 or PostgreSQL full-text, behind one module.

Each design has one denormalized row in `library_design_search` (migration 0002): the best
version's figures for result cards, and the facet values of all its versions (materials,
colours, printers, slicers, tags). The text lives in an FTS5 table on SQLite
(`library_design_fts`, rowid = design id, bm25 with the name weighted 10:1) and in a `document
tsvector` column on PostgreSQL ('simple' configuration, name weighted A, the rest B, ts_rank).

A search is one query over the workspace's rows (text match joined in, version-level range
filters as an ORM subquery), then facets, the sort and the page are made from those rows in
Python, and one more query reads the page's cards. With 10 000 designs this stays well under the
50 ms target on both databases (docs/library-search.md has the figures).

Colours are named by the product's one palette (`materials.colour`, nearest by CIEDE2000): the
words "blue" or "dark grey" find them, the colour facet lists each name once with the number
of designs that have it, and a colour filter finds the designs with a colour of the same name
("#FF0000" finds "#E53935", both Red, but not orange). Names are worked out for the few
distinct colours present, never per row.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from printops.accounts.models import Workspace
from printops.library.models import (
    Category,
    Design,
    Favourite,
    FilamentUsage,
    SearchGeneration,
    Variant,
    VariantVersion,
)
from printops.materials.colour import colour_name, palette_swatch

SORTS = ("relevance", "name", "newest", "print_time", "grams")
FACETS = ("category", "material", "colour", "printer_model", "slicer", "tag")
MAX_QUERY_CHARS = 500
MAX_TOKENS = 12
MAX_TOKEN_CHARS = 40
MAX_FACET_VALUES = 50
# Values inside one summary column are joined by a newline: no name a person types has one.
SEP = "\n"
# unicode61 (FTS5) and PostgreSQL's parser both split on anything but letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class SearchFilters:
    """What a search is narrowed to; empty values filter nothing.

    Design-level: category, materials (any, case-insensitive), colours (any filament colour
    near any swatch), tags (all of them), favourites_of. Version-level (one version must meet
    them all): printer_model, slicer, nozzle_mm, the layer, time and grams ranges (inclusive).
    """

    category_id: int | None = None
    materials: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    printer_model: str = ""
    nozzle_mm: float | None = None
    layer_min_mm: float | None = None
    layer_max_mm: float | None = None
    time_min_s: int | None = None
    time_max_s: int | None = None
    grams_min: float | None = None
    grams_max: float | None = None
    tags: tuple[str, ...] = ()
    favourites_of: int | None = None
    slicer: str = ""


@dataclass(frozen=True)
class DesignHit:
    """One design in a result list, with its best version's figures."""

    design_id: int
    name: str
    designer: str
    category: str
    variant_count: int
    version_count: int
    version_id: int | None
    thumbnail_version_id: int | None
    thumbnail_blob_id: int | None
    materials: list[str] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    print_seconds: int | None = None
    filament_grams: float | None = None
    is_favourite: bool = False


@dataclass(frozen=True)
class SearchPage:
    """A page of hits, the number of all matches, and facet counts over all matches."""

    items: list[DesignHit]
    total: int
    facets: dict[str, list[tuple[Any, str, int]]]


# --- Query text --------------------------------------------------------------------------------


def query_tokens(query: str) -> list[str]:
    """The words of a query, lower-cased: letters and digits only, so no FTS operator, quote or
    bracket ever reaches the database; at most MAX_TOKENS of MAX_TOKEN_CHARS each."""
    tokens: list[str] = []
    for word in _TOKEN.findall((query or "")[:MAX_QUERY_CHARS].lower()):
        word = word[:MAX_TOKEN_CHARS]
        if word not in tokens:
            tokens.append(word)
        if len(tokens) == MAX_TOKENS:
            break
    return tokens


def _fts5_match(tokens: Sequence[str]) -> str:
    """Every word as a quoted FTS5 string (implicit AND); the last one as a prefix."""
    quoted = [f'"{token}"' for token in tokens]
    quoted[-1] += "*"
    return " ".join(quoted)


def _tsquery(tokens: Sequence[str]) -> str:
    """Every word as a quoted tsquery lexeme joined by &; the last one as a prefix."""
    quoted = [f"'{token}'" for token in tokens]
    quoted[-1] += ":*"
    return " & ".join(quoted)


# --- Colours -----------------------------------------------------------------------------------


def _colour_words(hex_colour: str) -> str:
    """The searchable words of a colour: its palette name, and "gray" beside "grey"."""
    name = colour_name(hex_colour).lower()
    return f"{name} {name.replace('grey', 'gray')}" if "grey" in name else name


def _named(colours: Iterable[str]) -> dict[str, str]:
    """Each distinct "#RRGGBB" with its palette name (one lookup per colour, never per row)."""
    return {c: colour_name(c) for c in colours if c}


# --- Indexing ----------------------------------------------------------------------------------


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


# --- Searching ---------------------------------------------------------------------------------

# Positions in a matched row (see _matches).
_ID, _CATEGORY, _NAME, _CREATED, _SECONDS, _GRAMS = range(6)
_MATERIALS, _COLOURS, _PRINTERS, _SLICERS, _TAGS, _RANK = range(6, 12)


def design_search(
    *,
    workspace: Workspace,
    query: str = "",
    filters: SearchFilters = SearchFilters(),
    sort: str = "relevance",
    user_id: int | None = None,
    limit: int = 48,
    offset: int = 0,
) -> SearchPage:
    """Designs of this workspace matching the words (the last one as a prefix) and filters,
    sorted, one page of them, and facet counts over all of them. Never raises on odd input."""
    tokens = query_tokens(query)
    if tokens and len(tokens[-1]) == 1 and tokens[-1].isalpha():
        # A lone letter being typed narrows nothing yet ("d*" matched 8 000 of 10 000 demo
        # designs in 38 ms): wait for the second letter, keep the words before it.
        tokens = tokens[:-1]
    if sort not in SORTS or (sort == "relevance" and not tokens):
        sort = "relevance" if tokens else "name"
    if not tokens and filters == SearchFilters():
        return _browse(
            workspace_id=workspace.pk, sort=sort, user_id=user_id, limit=limit, offset=offset
        )
    rows = _matches(
        workspace_id=workspace.pk, tokens=tokens, filters=filters, dates=sort == "newest"
    )
    wanted = {m.strip().upper() for m in filters.materials if m and m.strip()}
    if wanted:
        rows = [r for r in rows if wanted.intersection(r[_MATERIALS].split(SEP))]
    wanted_colours = {colour_name(c) for c in filters.colours if _HEX.match(c or "")}
    if wanted_colours:
        named = _named({c for r in rows for c in r[_COLOURS].split(SEP)})
        rows = [
            r for r in rows if any(named.get(c) in wanted_colours for c in r[_COLOURS].split(SEP))
        ]
    facets = _facets(workspace_id=workspace.pk, rows=rows)
    rows.sort(key=_sort_key(sort), reverse=sort == "newest")
    limit = max(0, min(int(limit), 500))
    offset = max(0, int(offset))
    page_ids = [r[_ID] for r in rows[offset : offset + limit]]
    return SearchPage(items=_hits(page_ids, user_id=user_id), total=len(rows), facets=facets)


def _browse(
    *, workspace_id: int, sort: str, user_id: int | None, limit: int, offset: int
) -> SearchPage:
    """The whole library, unfiltered: the landing page and the most common search.

    Its design order and facet counts only change when the index does, so they are kept in the
    cache under the workspace's search generation: after the first visit a page costs three
    small queries (generation, cards, favourites) instead of reading every row (41 ms at
    10 000 designs on SQLite).
    """
    key = f"library-browse:{workspace_id}:{_generation(workspace_id)}"
    cached = cache.get(key)
    if cached is None:
        # Every sort order at once (a few ms each): switching the sort is then free too.
        rows = _matches(workspace_id=workspace_id, tokens=[], filters=SearchFilters(), dates=True)
        orders = {
            each: [r[_ID] for r in sorted(rows, key=_sort_key(each), reverse=each == "newest")]
            for each in SORTS
            if each != "relevance"
        }
        cached = (orders, _facets(workspace_id=workspace_id, rows=rows))
        cache.set(key, cached, timeout=3600)
    orders, facets = cached
    ordered_ids = orders.get(sort, orders["name"])
    limit = max(0, min(int(limit), 500))
    offset = max(0, int(offset))
    page_ids = ordered_ids[offset : offset + limit]
    return SearchPage(items=_hits(page_ids, user_id=user_id), total=len(ordered_ids), facets=facets)


def _sort_key(sort: str) -> Any:
    if sort == "relevance":
        return lambda r: (r[_RANK], r[_NAME], r[_ID])
    if sort == "newest":
        return lambda r: (r[_CREATED], r[_ID])
    if sort == "print_time":
        return lambda r: (r[_SECONDS] is None, r[_SECONDS] or 0, r[_NAME], r[_ID])
    if sort == "grams":
        return lambda r: (r[_GRAMS] is None, r[_GRAMS] or 0, r[_NAME], r[_ID])
    return lambda r: (r[_NAME], r[_ID])


def _matches(
    *, workspace_id: int, tokens: list[str], filters: SearchFilters, dates: bool
) -> list[tuple[Any, ...]]:
    """All rows of the workspace matching the text and the SQL-side filters."""
    postgres = connection.vendor == "postgresql"
    # Dates only when sorting by them: turning 10 000 SQLite strings into datetimes cost 7 ms.
    # ISO strings (SQLite) and timestamps (PostgreSQL) both sort in time order.
    created = ("s.created_at" if postgres else "(s.created_at || '')") if dates else "NULL"
    source = "library_design_search s"
    where = ["s.workspace_id = %s"]
    params: list[Any] = []
    rank = "0"
    if tokens and postgres:
        rank = "-ts_rank(s.document, to_tsquery('simple', %s))"
        params.append(_tsquery(tokens))
        where.append("s.document @@ to_tsquery('simple', %s)")
    elif tokens:
        # CROSS JOIN makes SQLite run the MATCH once and look rows up by design id; a plain
        # join re-ran the MATCH for every row (350 ms for "dragon" at 10 000 designs).
        # bm25 is lower for better matches; the name counts ten times the rest.
        source = "library_design_fts f CROSS JOIN library_design_search s ON s.design_id = f.rowid"
        rank = "bm25(library_design_fts, 0, 0, 10.0, 1.0)"
        where.append("library_design_fts MATCH %s")
    joins = [
        source,
        "JOIN library_design d ON d.id = s.design_id AND d.workspace_id = s.workspace_id",
    ]
    where_params: list[Any] = [workspace_id]
    if tokens:
        where_params.append(_tsquery(tokens) if postgres else _fts5_match(tokens))
    if filters.category_id is not None:
        where.append("s.category_id = %s")
        where_params.append(filters.category_id)
    for tag in filters.tags:
        sql, sql_params = _sql(
            Design.tags.through.objects.filter(
                tag__workspace_id=workspace_id, tag__name=" ".join(tag.split()).lower()
            ).values("design_id")
        )
        where.append(f"s.design_id IN ({sql})")
        where_params.extend(sql_params)
    if filters.favourites_of is not None:
        sql, sql_params = _sql(
            Favourite.objects.filter(
                workspace_id=workspace_id, user_id=filters.favourites_of
            ).values("design_id")
        )
        where.append(f"s.design_id IN ({sql})")
        where_params.extend(sql_params)
    versions = _version_filter(workspace_id=workspace_id, filters=filters)
    if versions is not None:
        sql, sql_params = _sql(versions.values("variant__design_id"))
        where.append(f"s.design_id IN ({sql})")
        where_params.extend(sql_params)
    statement = (
        f"SELECT s.design_id, s.category_id, s.name_key, {created}, s.print_seconds, "  # noqa: S608 - placeholders and fixed names only
        f"s.filament_grams, s.materials, s.colours, s.printers, s.slicers, s.tags, {rank} "
        f"FROM {' '.join(joins)} WHERE {' AND '.join(where)}"
    )
    if not tokens:
        # Rows come sorted by name, so sorting by name (or by a column with ties) in Python
        # is a near-linear pass over already ordered rows. With words the rank decides, and
        # Python sorts by it anyway: ordering 8 000 matches in SQL first cost 4 ms for nothing.
        statement += " ORDER BY s.name_key, s.design_id"
    with connection.cursor() as cursor:
        cursor.execute(statement, params + where_params)
        return cursor.fetchall()


def _sql(queryset: Any) -> tuple[str, tuple[Any, ...]]:
    return queryset.query.sql_with_params()


def _version_filter(*, workspace_id: int, filters: SearchFilters) -> Any:
    """The versions meeting every version-level filter, or None when there are none."""
    conditions: dict[str, Any] = {}
    if filters.printer_model.strip():
        # Exact: the values come from the facet list, and an exact match can use the index
        # (iexact is a LIKE scan on SQLite).
        conditions["printer_model"] = filters.printer_model.strip()
    if filters.slicer.strip():
        conditions["slicer_name"] = filters.slicer.strip()
    if filters.nozzle_mm is not None and math.isfinite(filters.nozzle_mm):
        # Stored values come from text ("0.4"); compare with a tolerance, not equality.
        conditions["nozzle_diameter_mm__gte"] = filters.nozzle_mm - 0.001
        conditions["nozzle_diameter_mm__lte"] = filters.nozzle_mm + 0.001
    for name, value in (
        ("layer_height_mm__gte", filters.layer_min_mm),
        ("layer_height_mm__lte", filters.layer_max_mm),
        ("print_seconds__gte", filters.time_min_s),
        ("print_seconds__lte", filters.time_max_s),
        ("filament_grams__gte", filters.grams_min),
        ("filament_grams__lte", filters.grams_max),
    ):
        if value is not None and math.isfinite(value):
            conditions[name] = value
    if not conditions:
        return None
    # order_by(): the model's default ordering would sort the subquery for nothing.
    return VariantVersion.objects.filter(workspace_id=workspace_id, **conditions).order_by()


def _facets(
    *, workspace_id: int, rows: list[tuple[Any, ...]]
) -> dict[str, list[tuple[Any, str, int]]]:
    """Counts of matching designs per value, most common first (at most MAX_FACET_VALUES)."""
    # One join and split per facet instead of a Counter update per row: 70 ms → 8 ms for
    # 10 000 rows.
    counters = {
        "category": Counter(row[_CATEGORY] for row in rows if row[_CATEGORY] is not None),
        **{
            name: Counter(SEP.join(row[position] for row in rows if row[position]).split(SEP))
            for name, position in (
                ("material", _MATERIALS),
                ("colour", _COLOURS),
                ("printer_model", _PRINTERS),
                ("slicer", _SLICERS),
                ("tag", _TAGS),
            )
        },
    }
    for counter in counters.values():
        counter.pop("", None)
    category = counters["category"]
    names: dict[Any, str] = {}
    if category:
        names = dict(
            Category.objects.filter(workspace_id=workspace_id, pk__in=list(category)).values_list(
                "id", "name"
            )
        )
    facets: dict[str, list[tuple[Any, str, int]]] = {}
    for name, counter in counters.items():
        ordered = sorted(counter.items(), key=lambda item: (-item[1], str(item[0]).lower()))
        if name == "category":
            labelled = [(value, names.get(value, ""), n) for value, n in ordered if value in names]
        elif name == "colour":
            labelled = _colour_facet(rows, colours=counter)
        else:
            labelled = [(value, value, n) for value, n in ordered]
        facets[name] = labelled[:MAX_FACET_VALUES]
    return facets


def _colour_facet(
    rows: list[tuple[Any, ...]], *, colours: Counter[str]
) -> list[tuple[str, str, int]]:
    """One entry per colour name: (the palette's swatch, the name, designs with that colour).

    Several shades of one name ("#000000", "#111111", "#1A1A1A") are one "Black", counted once
    per design; the swatch is the value a filter takes, and it names the same colour back.
    """
    named = _named(colours)
    if len(set(named.values())) == len(named):
        # Every shade has its own name: the per-colour design counts are already the answer.
        counts = Counter({named[c]: n for c, n in colours.items()})
    else:
        counts = Counter(
            name
            for row in rows
            if row[_COLOURS]
            for name in {named[c] for c in row[_COLOURS].split(SEP) if c}
        )
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))
    return [(palette_swatch(name) or "", name, n) for name, n in ordered]


def _hits(design_ids: list[int], *, user_id: int | None) -> list[DesignHit]:
    """Result cards for a page of design ids, in that order (two queries)."""
    if not design_ids:
        return []
    marks = ", ".join(["%s"] * len(design_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.design_id, d.name, d.designer, COALESCE(c.name, ''), s.variant_count, "  # noqa: S608 - placeholders and fixed names only
            "s.version_count, s.best_version_id, s.thumbnail_version_id, s.thumbnail_blob_id, "
            "s.materials, s.colours, s.print_seconds, s.filament_grams "
            "FROM library_design_search s JOIN library_design d ON d.id = s.design_id "
            "LEFT JOIN library_category c ON c.id = d.category_id "
            f"WHERE s.design_id IN ({marks})",
            design_ids,
        )
        rows = {row[0]: row for row in cursor.fetchall()}
    favourites: set[int] = set()
    if user_id is not None:
        favourites = set(
            Favourite.objects.filter(user_id=user_id, design_id__in=design_ids).values_list(
                "design_id", flat=True
            )
        )
    hits = []
    for design_id in design_ids:
        row = rows.get(design_id)
        if row is None:
            continue
        hits.append(
            DesignHit(
                design_id=row[0],
                name=row[1],
                designer=row[2],
                category=row[3],
                variant_count=row[4],
                version_count=row[5],
                version_id=row[6],
                thumbnail_version_id=row[7],
                thumbnail_blob_id=row[8],
                materials=[m for m in row[9].split(SEP) if m],
                colours=[c for c in row[10].split(SEP) if c],
                print_seconds=row[11],
                filament_grams=row[12],
                is_favourite=design_id in favourites,
            )
        )
    return hits
