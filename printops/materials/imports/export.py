"""Filaments and spools out as CSV (a read: any member), with formula-like cells defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from printops.accounts.models import Workspace
from printops.materials import selectors
from printops.materials.imports.common import (
    FILAMENT_COLUMNS,
    FORMULA_STARTS,
    SPOOL_COLUMNS,
)


def _cell(value: Any) -> str:
    """A value as text, with a leading quote where a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(columns: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def filaments_csv(*, workspace: Workspace) -> str:
    """Every filament of the workspace with its vendor, in the import's columns."""
    filaments = selectors.filament_list(workspace=workspace).order_by(
        "vendor__name", "material", "colour_name", "pk"
    )
    return _csv(
        FILAMENT_COLUMNS,
        (
            [
                f.vendor.name,
                f.material,
                f.product_line,
                f.colour_name,
                f.color_hex,
                " ".join(f.multi_color_hexes),
                f.diameter_mm,
                f.density_g_cm3,
                f.net_spool_grams,
                f.price_per_kg,
                f.low_stock_grams,
                f.article_number,
                f.purchase_url,
                f.nozzle_temp_c,
                f.bed_temp_c,
            ]
            for f in filaments.iterator(chunk_size=500)
        ),
    )


def spools_csv(*, workspace: Workspace) -> str:
    """Every spool, archived too, with its filament, grams left, place, lot and label code."""
    spools = selectors.spool_list(workspace=workspace, archived=None, sort="brand")
    return _csv(
        SPOOL_COLUMNS,
        (
            [
                s.label_code,
                s.filament.vendor.name,
                s.filament.material,
                s.filament.product_line,
                s.filament.colour_name,
                s.filament.color_hex,
                s.initial_grams,
                s.remaining_grams,
                s.location,
                s.lot,
                s.cost_paid,
                s.purchase_date,
                s.opened_date,
                "true" if s.archived else "false",
            ]
            for s in spools.iterator(chunk_size=500)
        ),
    )
