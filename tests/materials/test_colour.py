"""Colour helpers: hex parsing, sRGB → CIELAB, CIEDE2000, palette names, match confidence."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from printops.materials.colour import (
    FILAMENT_PALETTE,
    colour_name,
    colour_name_suggestions,
    delta_e_2000,
    delta_e_hex,
    hex_to_lab,
    hex_to_rgb,
    match_confidence,
    nearest,
    normalise_hex,
)

# Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula: implementation notes,
# supplementary test data, and mathematical observations", Color Res. Appl. 30(1), Table 1:
# (L1, a1, b1), (L2, a2, b2), ΔE00.
SHARMA_TABLE_1 = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]

hex_colours = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06X}")
lab_colours = st.tuples(
    st.floats(min_value=0, max_value=100),
    st.floats(min_value=-128, max_value=127),
    st.floats(min_value=-128, max_value=127),
)


def test_the_sharma_table_has_all_34_pairs() -> None:
    assert len(SHARMA_TABLE_1) == 34


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    SHARMA_TABLE_1,
    ids=[f"pair-{n}" for n in range(1, len(SHARMA_TABLE_1) + 1)],
)
def test_delta_e_2000_matches_sharma_table_1(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_identical_colours_differ_by_exactly_zero() -> None:
    assert delta_e_2000((50.0, 10.0, -20.0), (50.0, 10.0, -20.0)) == 0.0
    assert delta_e_hex("#00AE42", "#00ae42") == 0.0


def test_delta_e_hex_is_symmetric() -> None:
    assert delta_e_hex("#FF6A13", "#F4EE2A") == delta_e_hex("#F4EE2A", "#FF6A13")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#abc", "#AABBCC"),
        ("abc", "#AABBCC"),
        ("00ae42", "#00AE42"),
        ("#00Ae42", "#00AE42"),
        ("#00AE42FF", "#00AE42"),
        ("#abcd", "#AABBCC"),
        ("  #00ae42\n", "#00AE42"),
    ],
)
def test_normalise_hex_accepts_the_usual_spellings(value: str, expected: str) -> None:
    assert normalise_hex(value) == expected


@pytest.mark.parametrize("value", ["", "#", "#12G45Z", "#12345", "#1234567", "red", "##123456"])
def test_normalise_hex_rejects_what_is_not_a_colour(value: str) -> None:
    with pytest.raises(ValueError, match=r"is not a colour; use #RRGGBB\.$"):
        normalise_hex(value)


def test_the_error_quotes_the_input_the_user_typed() -> None:
    with pytest.raises(ValueError) as error:
        normalise_hex("#12G45Z")
    assert str(error.value) == "“#12G45Z” is not a colour; use #RRGGBB."


def test_the_error_shortens_a_very_long_input() -> None:
    with pytest.raises(ValueError) as error:
        normalise_hex("x" * 10_000)
    assert len(str(error.value)) < 60


def test_hex_to_rgb_reads_the_channels() -> None:
    assert hex_to_rgb("#00AE42") == (0, 174, 66)
    assert hex_to_rgb("#fff") == (255, 255, 255)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#000000", (0.0, 0.0, 0.0)),
        ("#FFFFFF", (100.0, 0.0, 0.0)),
        ("#FF0000", (53.2408, 80.0925, 67.2032)),
        ("#00FF00", (87.7347, -86.1827, 83.1793)),
        ("#0000FF", (32.2970, 79.1875, -107.8602)),
    ],
)
def test_hex_to_lab_gives_the_standard_srgb_values(
    value: str, expected: tuple[float, float, float]
) -> None:
    assert hex_to_lab(value) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("value", ["#111111", "#777777", "#C0C0C0", "#FEFEFE"])
def test_greys_are_achromatic(value: str) -> None:
    _, a, b = hex_to_lab(value)
    assert abs(a) < 1e-6
    assert abs(b) < 1e-6


def test_nearest_sorts_candidates_closest_first_and_keeps_their_keys() -> None:
    candidates = [(1, "#FFFFFF"), (2, "#00AE42"), (3, "#00A040")]
    ranked = nearest("#00AE42", candidates)
    assert [key for key, _ in ranked] == [2, 3, 1]
    assert ranked[0][1] == 0.0
    assert ranked[1][1] < ranked[2][1]


def test_nearest_of_no_candidates_is_empty() -> None:
    assert nearest("#00AE42", []) == []


def test_nearest_rejects_a_candidate_that_is_not_a_colour() -> None:
    with pytest.raises(ValueError, match="is not a colour"):
        nearest("#00AE42", [("spool-7", "green")])


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("#FF0000", "Red"),
        ("#000000", "Black"),
        ("#FFFFFF", "White"),
        ("#00AE42", "Green"),  # Bambu Lab PLA Basic "Bambu Green"
        ("#F4EE2A", "Yellow"),  # Bambu Lab PLA Basic "Yellow"
        ("#FF6A13", "Orange"),  # Bambu Lab PLA Basic "Orange"
        ("#0000FF", "Blue"),
        ("#000080", "Navy"),
        ("#808080", "Grey"),
        ("#161616", "Black"),
    ],
)
def test_colour_name_names_obvious_colours(value: str, name: str) -> None:
    assert colour_name(value) == name


def test_palette_names_are_unique_and_about_forty() -> None:
    names = [name for name, _ in FILAMENT_PALETTE]
    assert len(names) == len(set(names))
    assert 35 <= len(names) <= 45


def test_every_palette_colour_names_itself() -> None:
    for name, value in FILAMENT_PALETTE:
        assert colour_name(value) == name


def test_suggestions_are_distinct_names_closest_first() -> None:
    suggestions = colour_name_suggestions("#00AE42", n=3)
    assert len(suggestions) == 3
    assert suggestions[0] == "Green"
    assert len(set(suggestions)) == 3


def test_suggestions_refuse_a_negative_count() -> None:
    with pytest.raises(ValueError):
        colour_name_suggestions("#00AE42", n=-1)


def test_match_confidence_follows_the_documented_curve() -> None:
    assert match_confidence(0) == 1.0
    assert match_confidence(1) > 0.99
    assert match_confidence(5) == pytest.approx(0.5)
    assert match_confidence(20) < 0.01
    assert match_confidence(math.inf) == 0.0


def test_match_confidence_falls_as_colours_drift_apart() -> None:
    values = [match_confidence(d / 2) for d in range(0, 60)]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize("value", [-0.1, math.nan])
def test_match_confidence_rejects_a_difference_that_cannot_be(value: float) -> None:
    with pytest.raises(ValueError):
        match_confidence(value)


@settings(max_examples=200, deadline=None)
@given(lab1=lab_colours, lab2=lab_colours)
def test_delta_e_2000_is_never_negative_and_is_symmetric(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float]
) -> None:
    forward = delta_e_2000(lab1, lab2)
    assert forward >= 0
    assert forward == pytest.approx(delta_e_2000(lab2, lab1), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(hex1=hex_colours, hex2=hex_colours)
def test_delta_e_hex_is_never_negative_symmetric_and_zero_only_on_itself(
    hex1: str, hex2: str
) -> None:
    forward = delta_e_hex(hex1, hex2)
    assert forward >= 0
    assert forward == pytest.approx(delta_e_hex(hex2, hex1), abs=1e-9)
    assert delta_e_hex(hex1, hex1) == 0.0
    assert 0.0 <= match_confidence(forward) <= 1.0


@settings(max_examples=100, deadline=None)
@given(
    value=st.text(alphabet="0123456789abcdefABCDEF", min_size=6, max_size=6),
    hash_prefix=st.booleans(),
)
def test_normalise_hex_is_idempotent(value: str, hash_prefix: bool) -> None:
    once = normalise_hex(("#" if hash_prefix else "") + value)
    assert normalise_hex(once) == once
    assert once == "#" + value.upper()
