"""What CSV and Spoolman imports share: the columns, a plan of rows, reading a row's dates and
flags. Finding and writing the rows is `services.imports`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from printops.core.errors import InvalidInput

FILAMENT_COLUMNS = (
    "vendor",
    "material",
    "product_line",
    "colour_name",
    "color_hex",
    "multi_color_hexes",
    "diameter_mm",
    "density_g_cm3",
    "net_spool_grams",
    "price_per_kg",
    "low_stock_grams",
    "article_number",
    "purchase_url",
    "nozzle_temp_c",
    "bed_temp_c",
)


SPOOL_COLUMNS = (
    "label_code",
    "vendor",
    "material",
    "product_line",
    "colour_name",
    "color_hex",
    "initial_grams",
    "remaining_grams",
    "location",
    "lot",
    "cost_paid",
    "purchase_date",
    "opened_date",
    "archived",
)


REQUIRED = {
    "filaments": ("vendor", "material", "color_hex"),
    "spools": ("label_code", "vendor", "material", "colour_name"),
}


KINDS = ("filaments", "spools")


MAX_BYTES = 2 * 1024 * 1024  # a 5 000-spool export is about 600 kB


MAX_ROWS = 5000


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


_LABEL = re.compile(r"^[A-Z0-9]{1,12}$")


_TRUE = {"true", "yes", "1", "y"}


_FALSE = {"false", "no", "0", "n", ""}


@dataclass
class ImportRow:
    """One line of the file and what importing it does (or why it cannot)."""

    line: int
    action: str  # "create" | "update" | "unchanged" | "error"
    label: str
    sentence: str = ""


@dataclass
class ImportPlan:
    kind: str
    rows: list[ImportRow] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.action == "error"]

    @property
    def summary(self) -> str:
        return (
            f"{self.count('create')} to add, {self.count('update')} to update, "
            f"{self.count('unchanged')} unchanged, {len(self.errors)} with errors"
        )


def _words(value: str) -> str:
    return " ".join((value or "").split())


def _date(value: str, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"The {what} “{value[:20]}” is not a date: write it as 2025-03-31."
        ) from None


def _bool(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(f"“{value[:20]}” is not true or false.")
