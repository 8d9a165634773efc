"""Which catalogue filament a slicer's filament preset is printed with, and how sure we are.

A sliced file names a filament by material ("PLA", "PETG-CF"), brand, preset name ("Bambu PLA
Basic @BBL X1C"), sometimes the slicer's own id ("GFA00"), and a colour. A match scores each
catalogue filament of the same material family:

    confidence = colour × material × brand, lifted towards 1 when the preset id or name names
    the filament's article number.

- colour: `match_confidence(ΔE2000)` against the filament's colour (or the nearest of its
  multi-colour hexes); 0.5 when the file gives no colour, so brand and material alone never link;
- material: 1 for the same material, 0.9 for a variant of it (PLA-CF for PLA), 0.6 when the file
  does not say; another family is not a candidate at all;
- brand: 1 when the vendor's name and the file's brand contain one another, 0.9 when the file
  gives none or "Generic", 0.75 for another brand — a different brand in the same colour is a
  substitution staff should confirm, which the threshold below enforces.
- product line: 0.8 when the preset name names a line ("Bambu PLA Matte") and the filament has
  another one ("Basic"), so Matte and Basic Black are never swapped without asking; 1 when the
  line's words are in the preset name, when the file names no line, or the filament has none.

A preset staff already mapped (a `FilamentAlias`) wins with confidence 1.

This module knows nothing of the library: it takes `SlicerFilament` values and answers with
filaments, so the library (one layer up) decides what to link.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from printops.accounts.models import Workspace
from printops.materials.colour import Lab, delta_e_2000, hex_to_lab, match_confidence
from printops.materials.models import Filament, FilamentAlias, Material

# Above this, a match is linked without asking (ΔE ≈ 3 with brand and material agreeing, or
# ΔE ≈ 2 when the file gives no brand); below, it waits in the review queue.
AUTO_LINK_CONFIDENCE = 0.85
_NO_COLOUR = 0.5
_MATERIAL_VARIANT = 0.9
_MATERIAL_UNKNOWN = 0.6
_BRAND_UNKNOWN = 0.9
_BRAND_OTHER = 0.75
# Prusa and Bambu write "(Unknown)" / "(Undefined)" when a preset has no vendor.
_GENERIC_BRANDS = frozenset({"", "generic", "unknown", "undefined", "other", "none"})
# Slicer spellings that are a family of ours under another name.
_FAMILY_ALIASES = {
    "NYLON": Material.PA,
    "PET": Material.PETG,
    "PAHT": Material.PA,
    "PA6": Material.PA,
    "PA12": Material.PA,
    "PA11": Material.PA,
    "FLEX": Material.TPU,
}
_TOKEN = re.compile(r"[A-Z0-9]+")
_OTHER_LINE = 0.8
# Words a preset name uses for a product line or finish (Bambu, Prusa, Polymaker, eSun, Sunlu…).
LINE_WORDS = frozenset(
    {
        "BASIC", "MATTE", "SILK", "HF", "CF", "GF", "TRANSLUCENT", "GALAXY", "MARBLE", "GLOW",
        "METAL", "METALLIC", "WOOD", "TOUGH", "PRO", "PLUS", "SPARKLE", "SATIN", "GLOSS",
        "AERO", "LITE", "RAPID", "TURBO", "SPEED", "DUAL", "GRADIENT", "RAINBOW", "ECO",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SlicerFilament:
    """A filament as a sliced file describes it."""

    material: str = ""
    brand: str = ""
    name: str = ""
    slicer_filament_id: str = ""
    color_hex: str = ""

    @property
    def key(self) -> str:
        """The identity a remembered mapping is stored under: the same preset in the same
        colour, however its letters are cased or spaced."""
        # "Bambu PLA Basic @BBL X1C" and "… @BBL A1M" are one filament in two printer
        # profiles: the part after "@" names the printer, not the filament.
        name = self.name.split("@", 1)[0]
        parts = (self.material, self.brand, name, self.slicer_filament_id, self.color_hex)
        normal = "\x1f".join(" ".join(part.split()).casefold() for part in parts)
        return hashlib.sha256(normal.encode()).hexdigest()

    @property
    def family(self) -> str:
        """Our material for the file's type ("PLA+" → PLA, "PA6-CF" → PA), "" when unknown."""
        return material_family(self.material)


@dataclass(frozen=True)
class FilamentMatch:
    """A catalogue filament for a slicer filament, with how sure we are and why."""

    filament: Filament
    confidence: float
    delta_e: float | None
    remembered: bool = False

    @property
    def confident(self) -> bool:
        return self.remembered or self.confidence >= AUTO_LINK_CONFIDENCE


def material_family(material: str) -> str:
    """Our material for a slicer's material name, or "" when it names none of ours."""
    tokens = _TOKEN.findall(material.upper())
    if not tokens:
        return ""
    # The first word that names a family: "PLA-CF" and "Silk PLA" are both PLA.
    for token in tokens:
        if token in Material.values:
            return token
        if token in _FAMILY_ALIASES:
            return str(_FAMILY_ALIASES[token])
    return str(Material.OTHER)


def _lab_or_none(color_hex: str) -> Lab | None:
    try:
        return hex_to_lab(color_hex) if color_hex else None
    except ValueError:  # a file's odd colour string is "no colour", not an error
        return None


def _line_factor(preset_name: str, product_line: str) -> float:
    """1, or _OTHER_LINE when the preset names a product line the filament's is not."""
    line = set(_TOKEN.findall(product_line.upper()))
    if not line:
        return 1.0
    named = set(_TOKEN.findall(preset_name.split("@", 1)[0].upper()))
    if line <= named or not (named & LINE_WORDS):
        return 1.0
    return _OTHER_LINE


def _contains_either(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    return bool(a and b) and (a in b or b in a)


class FilamentCatalogue:
    """A workspace's filaments and remembered mappings, loaded once (two queries) so a whole
    upload's filaments are matched without a query each."""

    def __init__(self, *, workspace: Workspace) -> None:
        self.filaments = list(Filament.objects.filter(workspace=workspace).select_related("vendor"))
        by_pk = {f.pk: f for f in self.filaments}
        self.aliases = {
            key: by_pk[filament_id]
            for key, filament_id in FilamentAlias.objects.filter(workspace=workspace).values_list(
                "key", "filament_id"
            )
            if filament_id in by_pk
        }
        self._labs = {
            f.pk: [hex_to_lab(h) for h in [f.color_hex, *(f.multi_color_hexes or [])]]
            for f in self.filaments
        }

    def candidates(self, wanted: SlicerFilament, *, limit: int = 3) -> list[FilamentMatch]:
        """The best `limit` filaments for `wanted`, most confident first; a remembered mapping
        comes first with confidence 1."""
        remembered = self.aliases.get(wanted.key)
        scored = [m for f in self.filaments if (m := self._score(wanted, f)) is not None]
        scored.sort(key=lambda m: (-m.confidence, m.delta_e or 0.0, m.filament.pk))
        if remembered is not None:
            scored = [m for m in scored if m.filament.pk != remembered.pk]
            scored.insert(0, FilamentMatch(remembered, 1.0, None, remembered=True))
        return scored[:limit]

    def best(self, wanted: SlicerFilament) -> FilamentMatch | None:
        found = self.candidates(wanted, limit=1)
        return found[0] if found else None

    def _score(self, wanted: SlicerFilament, filament: Filament) -> FilamentMatch | None:
        family = wanted.family
        if family and family != filament.material:
            return None
        if not family:
            material = _MATERIAL_UNKNOWN
        elif wanted.material.strip().upper() == filament.material:
            material = 1.0
        else:
            material = _MATERIAL_VARIANT
        if wanted.brand.strip("() ").casefold() in _GENERIC_BRANDS:
            brand = _BRAND_UNKNOWN
        elif _contains_either(wanted.brand, filament.vendor.name):
            brand = 1.0
        else:
            brand = _BRAND_OTHER
        delta_e = None
        colour = _NO_COLOUR
        target = _lab_or_none(wanted.color_hex)
        if target is not None:
            delta_e = min(delta_e_2000(target, lab) for lab in self._labs[filament.pk])
            colour = match_confidence(delta_e)
        confidence = colour * material * brand * _line_factor(wanted.name, filament.product_line)
        article = filament.article_number.casefold().strip()
        if article and (
            article == wanted.slicer_filament_id.casefold().strip()
            or article in wanted.name.casefold()
        ):
            # The file names this very product: halve the remaining doubt.
            confidence = 1 - (1 - confidence) / 2
        return FilamentMatch(filament, round(confidence, 4), delta_e)
