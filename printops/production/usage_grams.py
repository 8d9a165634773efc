"""The grams each filament slot of a file takes, when the file does not state them all.

Cura 5 and ideaMaker write only the filament *length* per extruder. Grams follow from it:
length × cross-section (π·(d/2)², the file's filament diameter, else the matched filament's,
else 1.75 mm) × density (the matched catalogue filament's, else the one the file states, else
the material's typical density, else PLA's). A person's correction of the version's total
grams (the library's "Correct a value" → Filament) wins over both: the slots share the
corrected total in proportion to what they would have taken, so queueing, feasibility and
consumption all use the grams someone checked on a scale.

Pure functions: `plans.version_plans` reads the rows and calls them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

FILE = "file"  # the grams the file states
DERIVED = "derived"  # from the length the file states
CORRECTED = "corrected"  # the slot's share of a person's corrected total

DEFAULT_DIAMETER_MM = 1.75
# Typical densities of the materials offered (g/cm³), from vendors' data sheets; a slot of
# unknown material is taken as PLA, by far the commonest.
TYPICAL_DENSITY_G_CM3 = {
    "PLA": 1.24,
    "PETG": 1.27,
    "ABS": 1.04,
    "ASA": 1.07,
    "TPU": 1.21,
    "PA": 1.14,
    "PC": 1.20,
    "PVA": 1.23,
    "HIPS": 1.04,
}
DEFAULT_DENSITY_G_CM3 = TYPICAL_DENSITY_G_CM3["PLA"]
_CENT = Decimal("0.01")


def grams_from_length(*, length_mm: float, diameter_mm: float, density_g_cm3: float) -> float:
    """Grams of `length_mm` of filament: its volume (mm³ → cm³) × density."""
    area_mm2 = math.pi * (diameter_mm / 2) ** 2
    return length_mm * area_mm2 / 1000 * density_g_cm3


def typical_density(material: str) -> float:
    """The usual density of a material ("PETG" → 1.27); PLA's when unknown."""
    return TYPICAL_DENSITY_G_CM3.get((material or "").upper(), DEFAULT_DENSITY_G_CM3)


# More than this per slot is not a print but a corrupt or hostile number: treated as unstated
# (so the version asks for its grams) rather than overflowing the Decimal arithmetic.
MAX_SLOT_GRAMS = 1_000_000.0


def _positive(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and number > 0 else None


@dataclass(frozen=True)
class SlotGrams:
    """One slot's grams for one copy, and where they come from (FILE, DERIVED, CORRECTED);
    for derived grams, the length, diameter and density used."""

    grams: Decimal
    source: str
    length_mm: float | None = None
    diameter_mm: float | None = None
    density_g_cm3: float | None = None

    @property
    def explanation(self) -> str:
        """How the grams were found, for a tooltip or a note."""
        if self.source == DERIVED:
            return (
                f"derived from {self.length_mm:,.0f} mm of {self.diameter_mm:g} mm filament at "
                f"{self.density_g_cm3:g} g/cm³"
            )
        if self.source == CORRECTED:
            return "a share of the corrected total"
        return "as the file states"


def slot_grams(
    *,
    stated_g: object,
    length_mm: object,
    material: str,
    file_diameter_mm: object = None,
    file_density_g_cm3: object = None,
    filament_diameter_mm: object = None,
    filament_density_g_cm3: object = None,
) -> SlotGrams | None:
    """The grams of one slot: as stated, else derived from its length; None when the file
    gives neither (or only zeros)."""
    stated = _positive(stated_g)
    if stated is not None:
        return SlotGrams(_cents(stated), FILE) if stated <= MAX_SLOT_GRAMS else None
    length = _positive(length_mm)
    if length is None:
        return None
    diameter = _positive(file_diameter_mm) or _positive(filament_diameter_mm) or DEFAULT_DIAMETER_MM
    density = (
        _positive(filament_density_g_cm3)
        or _positive(file_density_g_cm3)
        or typical_density(material)
    )
    derived = grams_from_length(length_mm=length, diameter_mm=diameter, density_g_cm3=density)
    if not math.isfinite(derived) or derived > MAX_SLOT_GRAMS:
        return None
    amount = _cents(derived)
    if amount <= 0:
        return None
    return SlotGrams(amount, DERIVED, length, diameter, density)


def share_corrected_total(
    total_g: Decimal, slots: Sequence[SlotGrams | None]
) -> list[SlotGrams | None] | None:
    """The slots' grams after a person corrected the version's total: each slot's share in
    proportion to its own grams, to the cent, adding up to the total exactly (the rounding
    remainder goes to the largest slot). With one slot it takes the whole total. None when
    several slots give nothing to share by."""
    if len(slots) == 1:
        return [SlotGrams(total_g, CORRECTED)] if total_g > 0 else [None]
    basis = sum((s.grams for s in slots if s is not None), Decimal("0"))
    if basis <= 0:
        return None
    shared: list[SlotGrams | None] = [
        None if s is None else replace(s, grams=_cents(s.grams * total_g / basis), source=CORRECTED)
        for s in slots
    ]
    present = [s for s in shared if s is not None]
    remainder = total_g - sum((s.grams for s in present), Decimal("0"))
    if remainder:
        largest = max(range(len(shared)), key=lambda i: shared[i].grams if shared[i] else -1)  # type: ignore[union-attr]
        slot = shared[largest]
        assert slot is not None
        shared[largest] = replace(slot, grams=slot.grams + remainder)
    return [s if s is not None and s.grams > 0 else None for s in shared]


def _cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(_CENT, rounding=ROUND_HALF_UP)
