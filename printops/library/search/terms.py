"""The words of a search: filters, results and pages, query text into tokens for FTS5 or
tsquery, and colours into the palette's words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from printops.materials.colour import colour_name

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


def _colour_words(hex_colour: str) -> str:
    """The searchable words of a colour: its palette name, and "gray" beside "grey"."""
    name = colour_name(hex_colour).lower()
    return f"{name} {name.replace('grey', 'gray')}" if "grey" in name else name


def _named(colours: Iterable[str]) -> dict[str, str]:
    """Each distinct "#RRGGBB" with its palette name (one lookup per colour, never per row)."""
    return {c: colour_name(c) for c in colours if c}
