"""Filament colours: parsing hex codes, CIEDE2000 differences, names and match confidence.

Pure functions with no Django imports. This is the product's one colour vocabulary: the
materials pages, the label sheet, matching, and the library's search words and colour facets
all name a colour with `colour_name` from FILAMENT_PALETTE, so #2850E0 is "Blue" everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import TypeVar

Lab = tuple[float, float, float]
K = TypeVar("K")

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")

# sRGB (IEC 61966-2-1) linear RGB -> XYZ, D65, to seven places (Lindbloom's matrix). The
# reference white is the matrix applied to RGB (1, 1, 1), so every grey comes out with
# a* = b* = 0 instead of the ~0.01 residue a rounded 0.9505/1.0890 white leaves.
_RGB_TO_XYZ = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
_WHITE_XYZ = tuple(sum(row) for row in _RGB_TO_XYZ)


def normalise_hex(value: str) -> str:
    """Return `value` as upper-case "#RRGGBB"; "#rgb", "rrggbb" and an alpha channel are accepted.

    Alpha ("#RRGGBBAA", "#rgba") is dropped: a spool's colour is what the plastic looks like,
    and translucency is recorded elsewhere.
    """
    text = value.strip() if isinstance(value, str) else ""
    digits = text.removeprefix("#")
    if len(digits) not in (3, 4, 6, 8) or not set(digits) <= _HEX_DIGITS:
        shown = str(value).strip()
        if len(shown) > 20:
            shown = shown[:20] + "…"
        raise ValueError(f"“{shown}” is not a colour; use #RRGGBB.")
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits[:3])
    return "#" + digits[:6].upper()


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """Return the 0–255 red, green and blue channels of a hex colour."""
    digits = normalise_hex(value)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _srgb_to_linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab_f(t: float) -> float:
    delta = 6 / 29
    return t ** (1 / 3) if t > delta**3 else t / (3 * delta**2) + 4 / 29


@lru_cache(maxsize=8192)  # pure; matching and naming convert the same palette over and over
def hex_to_lab(value: str) -> Lab:
    """Return CIELAB (L*, a*, b*) of an sRGB hex colour under D65, 2° observer."""
    rgb = [_srgb_to_linear(c) for c in hex_to_rgb(value)]
    x, y, z = (
        sum(m * c for m, c in zip(row, rgb, strict=True)) / white
        for row, white in zip(_RGB_TO_XYZ, _WHITE_XYZ, strict=True)
    )
    fx, fy, fz = _lab_f(x), _lab_f(y), _lab_f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e_2000(lab1: Lab, lab2: Lab) -> float:
    """Return the CIEDE2000 colour difference (kL = kC = kH = 1), per Sharma, Wu & Dalal (2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2

    # Steps 1–2: a' rescaled by G, then C' and h' (degrees, in [0, 360)).
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    c_bar7 = c_bar**7
    g = 0.5 * (1 - math.sqrt(c_bar7 / (c_bar7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = 0.0 if a1p == 0 and b1 == 0 else math.degrees(math.atan2(b1, a1p)) % 360
    h2p = 0.0 if a2p == 0 and b2 == 0 else math.degrees(math.atan2(b2, a2p)) % 360

    # The hue branches turn on |h2' - h1'| <= 180. Sharma's pair 14 sits exactly on 180 in exact
    # arithmetic, and the two branches differ there by 0.06 ΔE. CPython on x86-64 happens to give
    # 180.0; a libm whose atan2 rounds the other way would flip the branch, so a difference
    # within 1e-9° of 180 counts as 180, as it does on paper.
    dh = h2p - h1p
    on_the_fence = abs(abs(dh) - 180) < 1e-9
    product = c1p * c2p

    # Step 2: ΔL', ΔC', ΔH'.
    delta_lp = l2 - l1
    delta_cp = c2p - c1p
    if product == 0:
        delta_hp = 0.0
    elif abs(dh) <= 180 or on_the_fence:
        delta_hp = dh
    elif dh > 180:
        delta_hp = dh - 360
    else:
        delta_hp = dh + 360
    delta_big_hp = 2 * math.sqrt(product) * math.sin(math.radians(delta_hp / 2))

    # Step 3: means, weighting functions and the rotation term.
    l_bar_p = (l1 + l2) / 2
    c_bar_p = (c1p + c2p) / 2
    if product == 0:
        h_bar_p = h1p + h2p
    elif abs(dh) <= 180 or on_the_fence:
        h_bar_p = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_bar_p = (h1p + h2p + 360) / 2
    else:
        h_bar_p = (h1p + h2p - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar_p - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar_p))
        + 0.32 * math.cos(math.radians(3 * h_bar_p + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar_p - 63))
    )
    delta_theta = 30 * math.exp(-(((h_bar_p - 275) / 25) ** 2))
    c_bar_p7 = c_bar_p**7
    r_c = 2 * math.sqrt(c_bar_p7 / (c_bar_p7 + 25**7))
    s_l = 1 + 0.015 * (l_bar_p - 50) ** 2 / math.sqrt(20 + (l_bar_p - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = -math.sin(math.radians(2 * delta_theta)) * r_c

    term_l = delta_lp / s_l
    term_c = delta_cp / s_c
    term_h = delta_big_hp / s_h
    return math.sqrt(term_l**2 + term_c**2 + term_h**2 + r_t * term_c * term_h)


def delta_e_hex(hex1: str, hex2: str) -> float:
    """Return the CIEDE2000 difference between two hex colours."""
    return delta_e_2000(hex_to_lab(hex1), hex_to_lab(hex2))


def nearest(hex_value: str, candidates: Iterable[tuple[K, str]]) -> list[tuple[K, float]]:
    """Return each candidate key with its ΔE2000 from `hex_value`, closest first, ties in order."""
    target = hex_to_lab(hex_value)
    scored = [(key, delta_e_2000(target, hex_to_lab(hex_))) for key, hex_ in candidates]
    scored.sort(key=lambda pair: pair[1])
    return scored


# Typical swatches for the colour names filament vendors print on their boxes. Each value is a
# representative colour, not a standard: a name is only ever a suggestion next to the hex code.
# "Natural" is undyed PLA/PETG, a milky off-white; transparency itself has no hex.
FILAMENT_PALETTE: tuple[tuple[str, str], ...] = (
    ("Black", "#000000"),
    ("Dark Grey", "#404040"),
    ("Grey", "#808080"),
    ("Silver", "#B4B8BC"),
    ("Light Grey", "#D3D3D3"),
    ("White", "#FFFFFF"),
    ("Ivory", "#FFFFF0"),
    ("Cream", "#FFF5C8"),
    ("Natural", "#EAE6DA"),
    ("Beige", "#E8D9B5"),
    ("Khaki", "#C3B091"),
    ("Tan", "#D2B48C"),
    ("Brown", "#8B4513"),
    ("Dark Brown", "#4E2A14"),
    ("Bronze", "#CD7F32"),
    ("Copper", "#B05A30"),
    ("Gold", "#D4AF37"),
    ("Yellow", "#FFFF00"),
    ("Orange", "#FF7F00"),
    ("Peach", "#FFCBA4"),
    ("Coral", "#FF7F50"),
    ("Red", "#FF0000"),
    ("Dark Red", "#8B0000"),
    ("Pink", "#FFC0CB"),
    ("Hot Pink", "#FF69B4"),
    ("Magenta", "#FF00FF"),
    ("Purple", "#800080"),
    ("Violet", "#8F00FF"),
    ("Lavender", "#B57EDC"),
    ("Navy", "#000080"),
    ("Blue", "#0047FF"),
    ("Light Blue", "#ADD8E6"),
    ("Sky Blue", "#87CEEB"),
    ("Cyan", "#00FFFF"),
    ("Turquoise", "#40E0D0"),
    ("Teal", "#008080"),
    ("Mint", "#98FF98"),
    ("Lime", "#7FFF00"),
    ("Green", "#00A651"),
    ("Dark Green", "#006400"),
    ("Olive", "#808000"),
)


def colour_name_suggestions(hex_value: str, n: int = 3) -> list[str]:
    """Return the `n` palette names closest to `hex_value` by ΔE2000, closest first."""
    if n < 0:
        raise ValueError("Ask for zero or more colour names.")
    return [name for name, _ in nearest(hex_value, FILAMENT_PALETTE)[:n]]


def colour_name(hex_value: str) -> str:
    """Return the palette name closest to `hex_value` by ΔE2000."""
    return _cached_colour_name(normalise_hex(hex_value))


# A search facet names every distinct colour of the library on each cache miss: 41 ΔE2000
# differences per colour, so the answers are kept (the palette never changes at run time).
@lru_cache(maxsize=8192)
def _cached_colour_name(hex_value: str) -> str:
    return colour_name_suggestions(hex_value, 1)[0]


_SWATCH_BY_NAME = {name.casefold(): hex_ for name, hex_ in FILAMENT_PALETTE}


def palette_swatch(name: str) -> str | None:
    """Return the palette's "#RRGGBB" for a colour name (any case), or None when it has none."""
    return _SWATCH_BY_NAME.get(" ".join(str(name).split()).casefold())


# match_confidence is a Hill curve, 1 / (1 + (ΔE / 5)^4), chosen to follow how people judge
# colour differences rather than to be linear in ΔE:
#   ΔE 1   (just noticeable side by side)           -> 0.998
#   ΔE 2   (noticeable to a trained eye)             -> 0.975
#   ΔE 3.5 (the edge of what an untrained eye sees)  -> 0.806
#   ΔE 5   (clearly two different colours)           -> 0.5
#   ΔE 10                                            -> 0.059
#   ΔE 20  (unrelated colours)                       -> 0.004
# It is flat near zero, so two batches of one filament both score near 1, and falls fastest
# around ΔE 5, where a person's answer flips from "same" to "different".
_HALF_CONFIDENCE_DELTA_E = 5.0
_CONFIDENCE_STEEPNESS = 4


def match_confidence(delta_e: float) -> float:
    """Return how sure we are that two colours `delta_e` (ΔE2000) apart are the same, in [0, 1]."""
    if not delta_e >= 0:  # also rejects NaN
        raise ValueError("A colour difference is a number of zero or more.")
    if math.isinf(delta_e):
        return 0.0
    return 1 / (1 + (delta_e / _HALF_CONFIDENCE_DELTA_E) ** _CONFIDENCE_STEEPNESS)
