"""Bounded numbers for the API's schemas: the limits are enforced and published in OpenAPI.

Unbounded numbers reached the database or `Decimal.quantize` and became 500s (issue 10:
`grams=1e27` raised InvalidOperation, `offset=2**63` overflowed SQLite's integer). Each type
here states its range in the JSON schema (`minimum`/`maximum`) and, when the value is outside
it, answers with one sentence naming the range, which `printops/api.py` prefixes with the field.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, ValidationError, WithJsonSchema, WrapValidator
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1  # a BigAutoField, on SQLite and PostgreSQL alike
MAX_OFFSET = 1_000_000_000
MAX_GRAMS = Decimal("100000")  # 100 kg: more than any spool, fewer than a typo's zeros
MAX_MONEY = Decimal("99999999.99")  # DecimalField(max_digits=10, decimal_places=2)
# What pydantic reads as a decimal when it comes as a string: digits with an optional sign,
# point and exponent.
DECIMAL_PATTERN = r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$"

SENTENCE_ERRORS = {"out_of_range", "pattern_mismatch"}  # the errors worded below
_RANGE_ERRORS = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "decimal_max_digits",
    "decimal_whole_digits",
}


def _number(value: Decimal | int) -> str:
    """1000000 → "1,000,000"; 0.01 stays "0.01"."""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,f}" if value != value.to_integral_value() else f"{int(value):,}"


def range_sentence(low: Decimal | int, high: Decimal | int, unit: str, *, above: bool) -> str:
    """ "must be more than 0 and at most 100,000 grams" / "must be from 1 to 1,000"."""
    tail = f" {unit}" if unit else ""
    if above:
        return f"must be more than {_number(low)} and at most {_number(high)}{tail}"
    return f"must be from {_number(low)} to {_number(high)}{tail}"


def _in_range(low: Decimal | int, high: Decimal | int, unit: str, *, above: bool) -> WrapValidator:
    sentence = range_sentence(low, high, unit, above=above)

    def check(value: Any, handler: Any) -> Any:
        try:
            return handler(value)
        except ValidationError as error:
            if {e["type"] for e in error.errors()} & _RANGE_ERRORS:
                raise PydanticCustomError("out_of_range", sentence) from None
            raise

    return WrapValidator(check)


def whole(low: int, high: int, unit: str = "") -> Any:
    """An integer from `low` to `high` inclusive."""
    return Annotated[int, Field(ge=low, le=high), _in_range(low, high, unit, above=False)]


def decimal(low: Decimal | int, high: Decimal | int, unit: str = "", *, above: bool = False) -> Any:
    """A decimal from `low` (exclusive when `above`) to `high`, sent as a number or a string."""
    low, high = Decimal(low), Decimal(high)
    bound = {"exclusiveMinimum" if above else "minimum": float(low), "maximum": float(high)}
    return Annotated[
        Decimal,
        Field(gt=low, le=high) if above else Field(ge=low, le=high),
        _in_range(low, high, unit, above=above),
        # pydantic publishes a decimal as "number or any string"; say which strings.
        WithJsonSchema(
            {"anyOf": [{"type": "number", **bound}, {"type": "string", "pattern": DECIMAL_PATTERN}]}
        ),
    ]


Id = whole(1, MAX_ID)
Offset = whole(0, MAX_OFFSET)
Grams = decimal(0, MAX_GRAMS, "grams")
PositiveGrams = decimal(0, MAX_GRAMS, "grams", above=True)
Money = decimal(0, MAX_MONEY)


def one_of(*values: str | int) -> Any:
    """A string or integer the endpoint checks against `values` with its own sentence; the
    schema lists them as an enum."""
    kind = "integer" if all(isinstance(v, int) for v in values) else "string"
    python_type = int if kind == "integer" else str
    return Annotated[python_type, WithJsonSchema({"type": kind, "enum": list(values)})]


def matching(pattern: str, sentence: str) -> Any:
    """A string that must match `pattern` (published in the schema), else `sentence`."""

    def check(value: Any, handler: Any) -> Any:
        try:
            return handler(value)
        except ValidationError as error:
            if any(e["type"] == "string_pattern_mismatch" for e in error.errors()):
                raise PydanticCustomError("pattern_mismatch", sentence) from None
            raise

    return Annotated[str, Field(pattern=pattern), WrapValidator(check)]


HexColourIn = matching(r"^#?[0-9A-Fa-f]{6}$", "must be a colour written as #RRGGBB, e.g. #FF8800")
