"""Shared value parsing: numbers, lists, durations, colours, and the typed-field guards.

Every typed field goes through a guard that keeps malformed values (`porkchop`, `-280`) out of
it and records a warning; the raw text always stays in `settings`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)\b")
_HEX = re.compile(r"#?([0-9a-fA-F]{6})(?:[0-9a-fA-F]{2})?")

# Plausible ranges: a value outside them is a typo or a sentinel, not a setting.
TEMPERATURE_RANGE_C = (0.0, 500.0)
NOZZLE_RANGE_MM = (0.05, 3.0)
LAYER_RANGE_MM = (0.001, 5.0)


def to_float(text: str | None) -> float | None:
    """`text` as a float when it is exactly one finite number (units like `mm` ignored)."""
    if text is None:
        return None
    cleaned = text.strip().strip('"').strip()
    for suffix in ("mm", "g", "%", "s"):
        if cleaned.endswith(suffix) and len(cleaned) > len(suffix):
            cleaned = cleaned[: -len(suffix)].strip()
            break
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def split_list(text: str | None) -> list[str]:
    """Split a per-extruder value: `;` separates strings, `,` separates numbers."""
    if text is None:
        return []
    separator = ";" if ";" in text else ","
    return [item.strip().strip('"').strip() for item in text.split(separator)]


def first_item(text: str | None) -> str | None:
    items = split_list(text)
    return items[0] if items else None


def parse_duration_s(text: str | None) -> int | None:
    """`1d 2h 3m 4s`, `19m 11s`, `4000` (seconds) or `1:02:03` as whole seconds."""
    if text is None:
        return None
    text = text.strip()
    plain = to_float(text)
    if plain is not None:
        return round(plain) if plain >= 0 else None
    clock = re.fullmatch(r"(?:(\d+):)?(\d+):(\d{2})", text)
    if clock:
        hours = int(clock.group(1) or 0)
        return hours * 3600 + int(clock.group(2)) * 60 + int(clock.group(3))
    parts = _DURATION_PART.findall(text)
    if not parts:
        return None
    scale = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    return round(sum(float(number) * scale[unit] for number, unit in parts))


def color_hex(text: str | None) -> str | None:
    """`#RRGGBB` upper-case from `#rrggbb`, `#RRGGBBAA` or `rrggbb`; None otherwise."""
    if not text:
        return None
    match = _HEX.fullmatch(text.strip().strip('"'))
    return "#" + match.group(1).upper() if match else None


def guarded(
    value: float | None,
    bounds: tuple[float, float],
    label: str,
    raw: str | None,
    warnings: list[str],
) -> float | None:
    """`value` when inside `bounds`; otherwise None and a warning naming the raw text."""
    if value is None:
        if raw not in (None, ""):
            warnings.append(f"{label}: {raw!r} is not a number; left out.")
        return None
    if not bounds[0] <= value <= bounds[1]:
        warnings.append(
            f"{label}: {raw if raw is not None else value!r} is out of range; left out."
        )
        return None
    return value


def first_number(
    settings: dict[str, str],
    keys: tuple[str, ...],
    bounds: tuple[float, float],
    warnings: list[str],
) -> float | None:
    """The first entry of the first key present, guarded; malformed list entries are warned."""
    for key in keys:
        raw = settings.get(key)
        if raw is None or raw.strip() == "":
            continue
        items = split_list(raw)
        for position, item in enumerate(items[1:], start=2):
            parsed = to_float(item)
            if item and (parsed is None or not bounds[0] <= parsed <= bounds[1]):
                warnings.append(f"{key}: entry {position} {item!r} is malformed; left out.")
        return guarded(to_float(items[0] if items else None), bounds, key, items[0], warnings)
    return None


def as_int(value: float | None) -> int | None:
    return None if value is None else round(value)


def number_items(text: str | None) -> list[float | None]:
    """Every entry of a per-extruder list as a float (None where malformed or empty)."""
    return [to_float(item) for item in split_list(text)]


# Bambu Studio and OrcaSlicer choose the bed temperature through the plate type.
_BED_TYPE_KEYS = {
    "coolplate": "cool_plate_temp",
    "engineeringplate": "eng_plate_temp",
    "hightempplate": "hot_plate_temp",
    "texturedpeiplate": "textured_plate_temp",
    "supertackplate": "supertack_plate_temp",
    "coolplatesupertack": "supertack_plate_temp",
    "texturedcoolplate": "textured_cool_plate_temp",
}


def bed_temperature_key(bed_type: str | None) -> str | None:
    """The `*_plate_temp` key that `curr_bed_type` selects, or None when unknown."""
    if not bed_type:
        return None
    return _BED_TYPE_KEYS.get(re.sub(r"[^a-z]", "", bed_type.lower()))


def per_filament(items: list[str], count: int) -> list[str]:
    """One entry per filament from a list that may hold N or k×N entries (two-nozzle machines).

    Bambu's H2 printers write k variants per filament one after the other, so filament i's value
    is entry i×k.
    """
    if count <= 0 or not items:
        return items
    if len(items) > count and len(items) % count == 0:
        step = len(items) // count
        return items[::step]
    return items


def item_at(items: Sequence[T], index: int) -> T | None:
    """`items[index]`, or None when the list is shorter or the entry is empty."""
    if index < len(items) and items[index] != "":
        return items[index]
    return None
