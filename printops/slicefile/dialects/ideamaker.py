"""ideaMaker: `;Key #1: value` header lines, `;Print Time:` and `;Material#1 Used:` (mm) at
the end. There is no nominal layer height line: it is the `;HEIGHT:` of `;LAYER:1` (layer 0 is
the first layer; raft layers are numbered below 0)."""

from __future__ import annotations

import re

from printops.slicefile.dialects.common import colon_pairs
from printops.slicefile.draft import Draft
from printops.slicefile.gcode_text import GcodeText
from printops.slicefile.normalize import (
    LAYER_RANGE_MM,
    NOZZLE_RANGE_MM,
    guarded,
    parse_duration_s,
    to_float,
)

NAME = "ideaMaker"
_SLICED_BY = re.compile(r"^;Sliced by ideaMaker\s+([\d.]+)")
_INDEXED = re.compile(
    r"^(Filament Type|Filament Name|Filament Diameter|Filament Density|Material) #(\d+)(?: Used)?$"
)


def detect(text: GcodeText) -> bool:
    return any(_SLICED_BY.match(line) for line in text.head[:5])


def parse(text: GcodeText, draft: Draft) -> None:
    draft.slicer_name = "ideaMaker"
    for line in text.head[:5]:
        match = _SLICED_BY.match(line)
        if match:
            draft.slicer_version = match.group(1)
    pairs = colon_pairs(line for line in text.lines() if not line.startswith((";LAYER", ";HEIGHT")))
    # "Material#1 Used" has no space before '#'; normalize the key shapes.
    settings = {re.sub(r"Material#", "Material #", k): v for k, v in pairs.items()}
    draft.settings.update(settings)
    draft.printer_model = settings.get("Printer Type")
    dimension = (settings.get("Dimension") or "").split()
    if len(dimension) >= 4:
        draft.nozzle_diameter_mm = guarded(
            to_float(dimension[3]), NOZZLE_RANGE_MM, "nozzle", dimension[3], draft.warnings
        )
    draft.print_time_s = parse_duration_s(settings.get("Print Time"))
    for key, value in settings.items():
        match = _INDEXED.match(key)
        if not match:
            continue
        slot = int(match.group(2)) - 1
        if not 0 <= slot < 16:
            continue
        filament = draft.filament(slot)
        kind = match.group(1)
        if kind == "Filament Type":
            filament.type = value
        elif kind == "Filament Name":
            filament.name = value
        elif kind == "Filament Diameter":
            filament.diameter_mm = to_float(value)
        elif kind == "Filament Density":
            density = to_float(value)  # kg/m³
            filament.density_g_cm3 = density / 1000 if density else None
        elif key.endswith("Used"):
            draft.usage_stated = True
            filament.used_mm = to_float(value)
    _layer_heights(text, draft)


def _layer_heights(text: GcodeText, draft: Draft) -> None:
    lines = text.head
    if not any(line.startswith(";LAYER:1") for line in lines) and text.read_more:
        lines = lines + text.read_more(2 * 1024 * 1024)
    layer = None
    for line in lines:
        if line.startswith(";LAYER:"):
            layer = line[7:].strip()
        elif line.startswith(";HEIGHT:") and layer in {"0", "1"}:
            height = guarded(
                to_float(line[8:]), LAYER_RANGE_MM, "layer height", line, draft.warnings
            )
            if layer == "0":
                draft.first_layer_height_mm = height
            else:
                draft.layer_height_mm = height
                return
