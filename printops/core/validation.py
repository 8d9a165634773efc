"""Cleaning one typed-in value for a service: a sentence the person can act on, or the value.

Every service checks its own arguments (views and API schemas may check too, but a service never
trusts them), and these three helpers keep the sentences the same across apps: "Keep the note
under 500 characters.", "The number of copies must be a whole number.". `what` is the thing in
the person's words; `field` is the form field or JSON key the error points at.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from printops.core.errors import InvalidInput


def clean_text(value: Any, what: str, field: str, limit: int, *, required: bool = False) -> str:
    """The value with runs of white space folded to one space; refused past `limit` characters,
    or when empty and `required`."""
    text = " ".join(str(value or "").split())
    if required and not text:
        raise InvalidInput(f"Give the {what}.", field=field)
    if len(text) > limit:
        raise InvalidInput(f"Keep the {what} under {limit} characters.", field=field)
    return text


@overload
def clean_whole(
    value: Any, what: str, field: str, *, low: int, high: int, optional: Literal[False] = False
) -> int: ...
@overload
def clean_whole(
    value: Any, what: str, field: str, *, low: int, high: int, optional: Literal[True]
) -> int | None: ...
def clean_whole(
    value: Any, what: str, field: str, *, low: int, high: int, optional: bool = False
) -> int | None:
    """A whole number from `low` to `high`; None for a blank value when `optional`."""
    if optional and (value is None or (isinstance(value, str) and not value.strip())):
        return None
    number = _whole_or_none(value)
    if number is None:
        raise InvalidInput(f"The {what} must be a whole number.", field=field)
    if not low <= number <= high:
        raise InvalidInput(f"The {what} must be between {low} and {high}.", field=field)
    return number


def _whole_or_none(value: Any) -> int | None:
    if isinstance(value, bool):  # True is an int to Python, not a count to a person
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):  # JSON clients send 3.0 for 3; 2.5 is not a whole number
        return int(value) if value.is_integer() else None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def clean_number(value: Any, what: str, field: str, *, low: Decimal, high: Decimal) -> Decimal:
    """A finite decimal number from `low` to `high`, exact (no float rounding on the way)."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(f"The {what} must be a number.", field=field) from None
    if not number.is_finite() or not low <= number <= high:
        raise InvalidInput(f"The {what} must be between {low} and {high}.", field=field)
    return number
