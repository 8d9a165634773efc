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

The rows are written by services/search_index.py (`search_index_design` after any write to a
design, `search_rebuild` for a workspace).
"""

from printops.library.search.find import design_search
from printops.library.search.terms import (
    FACETS,
    MAX_FACET_VALUES,
    MAX_QUERY_CHARS,
    MAX_TOKEN_CHARS,
    MAX_TOKENS,
    SEP,
    SORTS,
    DesignHit,
    SearchFilters,
    SearchPage,
    query_tokens,
)

__all__ = [
    "FACETS",
    "MAX_FACET_VALUES",
    "MAX_QUERY_CHARS",
    "MAX_TOKENS",
    "MAX_TOKEN_CHARS",
    "SEP",
    "SORTS",
    "DesignHit",
    "SearchFilters",
    "SearchPage",
    "design_search",
    "query_tokens",
]
