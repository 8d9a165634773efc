"""Input checks for materials' services: each returns the clean value or raises a sentence
(InvalidInput naming the field), so every form, API call and import says the same thing."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from printops.core import bounds
from printops.core.errors import InvalidInput
from printops.materials.colour import normalise_hex
from printops.materials.models import SpoolLedgerEntry

VENDOR_FIELDS = ("name", "empty_spool_grams", "website")
FILAMENT_FIELDS = (
    "vendor_id",
    "material",
    "product_line",
    "colour_name",
    "color_hex",
    "multi_color_hexes",
    "diameter_mm",
    "density_g_cm3",
    "price_per_kg",
    "net_spool_grams",
    "purchase_url",
    "article_number",
    "nozzle_temp_c",
    "bed_temp_c",
    "low_stock_grams",
    "reorder_spools",
    "lead_time_days",
)
SPOOL_FIELDS = ("cost_paid", "purchase_date", "lot", "location", "opened_date", "archived")
MAX_GRAMS = bounds.MAX_GRAMS
MAX_MONEY = bounds.MAX_MONEY
LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed
LABEL_LENGTH = 6
CONSUME_REASONS = (
    SpoolLedgerEntry.Reason.PRINT,
    SpoolLedgerEntry.Reason.FAILED_PRINT,
    SpoolLedgerEntry.Reason.ADJUSTMENT,
)
# Filament does not grow on a spool: a weigh-in more than this above the ledger is more likely a
# wrong reading (the gross weight typed twice, a spool on the scale with its box) than a counting
# error, so it is recorded only when someone confirms it. Scales and empty-spool weights are off
# by tens of grams, hence not zero.
WEIGH_IN_RISE_TO_CONFIRM_GRAMS = Decimal(100)
_CENT = Decimal("0.01")
# A number as the services take it: from a form (Decimal, int), JSON (int, float) or the text
# of a CSV cell; each is checked by the clean_* function for its field.
Amount = Decimal | int | float | str


# --- input checks: each returns the clean value or raises a sentence ------------------------


def clean_hex(value: str, *, field: str = "color_hex") -> str:
    """`#RRGGBB` upper-case from "#ff8800" or "ff8800"; anything else (the short and alpha
    forms `colour.normalise_hex` reads too) is refused."""
    text = (value or "").strip()
    if len(text.removeprefix("#")) == 6:
        try:
            return normalise_hex(text)
        except ValueError:
            pass
    raise InvalidInput(
        f"“{value}” is not a colour: write it as #RRGGBB, e.g. #FF8800.", field=field
    )


def _decimal(value: Any, what: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(f"The {what} must be a number.", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"The {what} must be a number.", field=field)
    return number


def clean_grams(value: Any, what: str, field: str, *, allow_zero: bool = False) -> Decimal:
    """A weight in grams, rounded to 0.01 g, positive (or zero) and at most 100 kg."""
    number = _decimal(value, what, field)
    # Compared before rounding: quantize raises InvalidOperation past 28 digits (1e27 g).
    if number > MAX_GRAMS:
        raise InvalidInput(f"The {what} must be at most {MAX_GRAMS:,} grams.", field=field)
    grams = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    if grams < 0 or (grams == 0 and not allow_zero):
        limit = "zero or more" if allow_zero else "more than zero"
        raise InvalidInput(f"The {what} must be {limit} grams.", field=field)
    return grams


def _positive(value: Any, what: str, field: str, *, step: Decimal, upper: Decimal) -> Decimal:
    """A positive measurement rounded to its column's step; below one step it would be stored
    as 0, which the database refuses (a CSV's density of 0.0004 was a 500)."""
    number = _decimal(value, what, field)
    if number < step or number > upper:
        raise InvalidInput(f"The {what} must be from {step} to {upper}.", field=field)
    return number.quantize(step)


def _money(value: Any, what: str, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    number = _decimal(value, what, field)
    if number < 0:
        raise InvalidInput(f"The {what} cannot be negative.", field=field)
    # Compared before rounding, as in clean_grams; the column holds 10 digits.
    if number > MAX_MONEY:
        raise InvalidInput(f"The {what} must be at most {MAX_MONEY:,}.", field=field)
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise InvalidInput(
                f"“{value[:60]}” is not a web address (https://…).", field=field
            ) from None
    return value
