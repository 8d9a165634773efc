"""Form helpers: a DomainError as a form error (the one way views report service refusals), and
number fields whose errors are sentences naming the field and its range."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from printops.core.bounds import range_sentence
from printops.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Attach the error's sentence to its field when the form has it, else to the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def decimal_field(
    *,
    what: str,
    low: Decimal | int | str,  # a str is a decimal literal ("0.01"), exact where a float is not
    high: Decimal | int | str,
    places: int,
    unit: str = "",
    **kwargs: Any,
) -> forms.DecimalField:
    """A DecimalField whose errors name the field and its range ("The gross weight must be from
    0 to 100,000 grams.") instead of Django's "no more than 10 digits in total"."""
    sentence = f"The {what} {range_sentence(Decimal(low), Decimal(high), unit, above=False)}."
    messages = {
        code: sentence for code in ("min_value", "max_value", "max_digits", "max_whole_digits")
    }
    messages["max_decimal_places"] = f"Give the {what} with at most {places} decimal places."
    messages["invalid"] = f"The {what} must be a number."
    return forms.DecimalField(
        min_value=Decimal(low),
        max_value=Decimal(high),
        decimal_places=places,
        error_messages=messages,
        **kwargs,
    )


def whole_field(
    *, what: str, low: int, high: int, unit: str = "", **kwargs: Any
) -> forms.IntegerField:
    """An IntegerField whose range errors are one sentence naming the field and its range."""
    sentence = f"The {what} {range_sentence(low, high, unit, above=False)}."
    return forms.IntegerField(
        min_value=low,
        max_value=high,
        error_messages={
            "min_value": sentence,
            "max_value": sentence,
            "invalid": f"The {what} must be a whole number.",
        },
        **kwargs,
    )
