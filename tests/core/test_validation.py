"""The shared input cleaning gives the same sentences in every app."""

from decimal import Decimal

import pytest

from printops.core.errors import InvalidInput
from printops.core.validation import clean_number, clean_text, clean_whole


def test_text_folds_white_space_and_refuses_past_the_limit():
    assert clean_text("  two   words \n", "note", "note", 20) == "two words"
    assert clean_text(None, "note", "note", 20) == ""
    with pytest.raises(InvalidInput, match="Keep the note under 5 characters") as error:
        clean_text("too long", "note", "note", 5)
    assert error.value.field == "note"


def test_required_text_asks_for_the_value():
    with pytest.raises(InvalidInput, match="Give the printer's name"):
        clean_text("   ", "printer's name", "name", 120, required=True)


@pytest.mark.parametrize("value", [3, "3", " 3 ", 3.0])
def test_whole_numbers_arrive_as_int(value):
    assert clean_whole(value, "copies", "copies", low=1, high=10) == 3


@pytest.mark.parametrize("value", ["three", 2.5, True, None, "", "1e3"])
def test_anything_else_is_not_a_whole_number(value):
    with pytest.raises(InvalidInput, match="The copies must be a whole number"):
        clean_whole(value, "copies", "copies", low=1, high=10)


def test_optional_whole_numbers_may_be_blank_but_not_out_of_range():
    assert clean_whole("", "lead time", "lead_time_days", low=0, high=365, optional=True) is None
    assert clean_whole(None, "lead time", "lead_time_days", low=0, high=365, optional=True) is None
    with pytest.raises(InvalidInput, match="between 0 and 365"):
        clean_whole(400, "lead time", "lead_time_days", low=0, high=365, optional=True)


def test_numbers_are_exact_decimals_in_range():
    assert clean_number("0.4", "nozzle", "nozzle", low=Decimal("0.1"), high=Decimal(2)) == Decimal(
        "0.4"
    )
    for bad in ("NaN", "Infinity", "9", "x"):
        with pytest.raises(InvalidInput):
            clean_number(bad, "nozzle", "nozzle", low=Decimal("0.1"), high=Decimal(2))
