"""Helpers every dialect shares: comment key/value pairs and temperatures from commands."""

from __future__ import annotations

import re
from collections.abc import Iterable

from printops.slicefile.draft import Draft
from printops.slicefile.normalize import (
    LAYER_RANGE_MM,
    TEMPERATURE_RANGE_C,
    as_int,
    guarded,
    to_float,
)

_EQ_PAIR = re.compile(r"^;\s*([A-Za-z_][\w \[\]^()/.#-]*?)\s*=\s?(.*)$")
# A base64 line of an embedded thumbnail ("; AAAAE=") that the head window cut into: its "="
# padding looks like an empty setting. Config lines always have text around "=".
_BASE64_LINE = re.compile(r"^;\s?[A-Za-z0-9+/]+={1,2}\s*$")
_COLON_PAIR = re.compile(r"^;\s*([A-Za-z_][\w \[\]^()/.#-]*?)\s*:\s?(.*)$")
_COMMAND = re.compile(r"^(M104|M109|M140|M190)\b([^;]*)", re.IGNORECASE)
_PARAM = re.compile(r"\b([STR])(-?\d+(?:\.\d+)?)", re.IGNORECASE)
_MACRO = re.compile(r"^(PRINT_START|START_PRINT)\b(.*)", re.IGNORECASE)
_MACRO_PARAM = re.compile(r"\b([A-Z_]+)=(-?\d+(?:\.\d+)?)", re.IGNORECASE)
_NOZZLE_MACRO_KEYS = {"EXTRUDER", "EXTRUDER_TEMP", "HOTEND", "HOTEND_TEMP", "NOZZLE", "NOZZLE_TEMP"}
_BED_MACRO_KEYS = {"BED", "BED_TEMP", "BED_TEMPERATURE"}
_LAYER_MARK = re.compile(r"^;\s*(?:LAYER:|LAYER_CHANGE|layer \d|Z:)", re.IGNORECASE)
_Z_MOVE = re.compile(r"^G[01]\b[^;]*\bZ(\d+(?:\.\d+)?)")


def eq_pairs(lines: Iterable[str]) -> dict[str, str]:
    """`; key = value` comment lines (last one wins, as the slicer's last word)."""
    pairs: dict[str, str] = {}
    for line in lines:
        if line.startswith(";") and "=" in line and not _BASE64_LINE.match(line):
            match = _EQ_PAIR.match(line)
            if match:
                pairs[match.group(1).strip()] = match.group(2).strip()
    return pairs


def colon_pairs(lines: Iterable[str]) -> dict[str, str]:
    """`;key: value` comment lines (last one wins)."""
    pairs: dict[str, str] = {}
    for line in lines:
        if line.startswith(";") and ":" in line:
            match = _COLON_PAIR.match(line)
            if match:
                pairs[match.group(1).strip()] = match.group(2).strip()
    return pairs


def temperature(raw: str | None, label: str, draft: Draft) -> int | None:
    return as_int(guarded(to_float(raw), TEMPERATURE_RANGE_C, label, raw, draft.warnings))


def _commands_before_layer(lines: list[str], layer_index: int) -> list[str]:
    """Lines before the `layer_index`-th layer marker (0: before the first layer's marker)."""
    seen = -1
    kept = []
    for line in lines:
        if _LAYER_MARK.match(line):
            seen += 1
            if seen >= layer_index:
                break
        kept.append(line)
    return kept


def heater_targets(lines: list[str]) -> tuple[list[int], list[int]]:
    """Non-zero nozzle and bed targets set in `lines`, in order (tool 0 or no tool only)."""
    nozzle: list[int] = []
    bed: list[int] = []
    for line in lines:
        if not line or line[0] not in "MmPpSs":
            continue
        match = _COMMAND.match(line)
        if match:
            code = match.group(1).upper()
            params = {k.upper(): float(v) for k, v in _PARAM.findall(match.group(2))}
            tool = re.search(r"\bT(\d+)", match.group(2))
            if tool and tool.group(1) != "0":
                continue
            value = params.get("S") or params.get("R")
            if value is None or not 0 < value <= TEMPERATURE_RANGE_C[1]:
                continue
            (nozzle if code in {"M104", "M109"} else bed).append(round(value))
            continue
        macro = _MACRO.match(line)
        if macro:
            for key, value_text in _MACRO_PARAM.findall(macro.group(2)):
                value = float(value_text)
                if not 0 < value <= TEMPERATURE_RANGE_C[1]:
                    continue
                if key.upper() in _NOZZLE_MACRO_KEYS:
                    nozzle.append(round(value))
                elif key.upper() in _BED_MACRO_KEYS:
                    bed.append(round(value))
    return nozzle, bed


def temperatures_from_commands(head: list[str], draft: Draft) -> None:
    """Fill unset temperatures from the heater commands of the first layer and the next one.

    The last non-zero target before the first layer marker is the first-layer temperature; the
    last one before the second layer's marker is the normal one (Cura switches to it near the end
    of layer 0, or when layer 1 starts).
    """
    start = _commands_before_layer(head, 0)
    early = _commands_before_layer(head, 2)
    first_nozzle, first_bed = heater_targets(start)
    later_nozzle, later_bed = heater_targets(early[len(start) :])
    if draft.nozzle_temperature_first_layer_c is None and first_nozzle:
        draft.nozzle_temperature_first_layer_c = first_nozzle[-1]
    if draft.nozzle_temperature_c is None and (later_nozzle or first_nozzle):
        draft.nozzle_temperature_c = (later_nozzle or first_nozzle)[-1]
    if draft.bed_temperature_first_layer_c is None and first_bed:
        draft.bed_temperature_first_layer_c = first_bed[-1]
    if draft.bed_temperature_c is None and (later_bed or first_bed):
        draft.bed_temperature_c = (later_bed or first_bed)[-1]
    # No change after the first layer: the first-layer target stays (Griffin states only it).
    if draft.nozzle_temperature_c is None:
        draft.nozzle_temperature_c = draft.nozzle_temperature_first_layer_c
    if draft.bed_temperature_c is None:
        draft.bed_temperature_c = draft.bed_temperature_first_layer_c


def layer_heights_from_moves(head: list[str], draft: Draft) -> None:
    """First-layer and layer height from the first Z moves, when the file states neither."""
    heights: list[float] = []
    for line in head:
        if line.startswith("G"):
            match = _Z_MOVE.match(line)
            if match:
                z = float(match.group(1))
                if not heights or z > heights[-1] + 1e-6:
                    heights.append(z)
                elif z < heights[-1] - 1e-6:
                    heights = [z]  # a lift or a homing move; start again
                if len(heights) >= 4:
                    break
    if len(heights) < 3:
        return
    if draft.first_layer_height_mm is None:
        draft.first_layer_height_mm = guarded(
            round(heights[0], 4), LAYER_RANGE_MM, "first layer Z", None, draft.warnings
        )
    if draft.layer_height_mm is None:
        draft.layer_height_mm = guarded(
            round(heights[2] - heights[1], 4), LAYER_RANGE_MM, "layer Z step", None, draft.warnings
        )
