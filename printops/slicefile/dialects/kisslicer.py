"""KISSlicer: `; key = value` settings (a relative setting may appear first, then the absolute
one, so the last value wins), `Estimated Build Time: N minutes`, `Ext #1 = N mm`."""

from __future__ import annotations

import re

from printops.slicefile.dialects.common import eq_pairs, temperature
from printops.slicefile.draft import Draft
from printops.slicefile.gcode_text import GcodeText
from printops.slicefile.normalize import LAYER_RANGE_MM, NOZZLE_RANGE_MM, first_number

NAME = "KISSlicer"
_TIME = re.compile(r"Build Time:\s*([\d.]+)\s*minutes", re.IGNORECASE)
_EXTRUDER = re.compile(r"^;\s*Ext #?(\d+)\s*=\s*([\d.]+)\s*mm")


def detect(text: GcodeText) -> bool:
    return any(line.startswith("; KISSlicer") for line in text.head[:3])


def parse(text: GcodeText, draft: Draft) -> None:
    draft.slicer_name = "KISSlicer"
    for line in text.head[:10]:
        if line.startswith("; version "):
            draft.slicer_version = line[10:].strip()
            break
    settings = eq_pairs(text.lines())
    draft.settings.update(settings)
    warnings = draft.warnings
    draft.printer_model = settings.get("printer_name")
    draft.nozzle_diameter_mm = first_number(settings, ("nozzle_dia_1",), NOZZLE_RANGE_MM, warnings)
    draft.layer_height_mm = first_number(
        settings, ("layer_thickness_mm",), LAYER_RANGE_MM, warnings
    )
    draft.first_layer_height_mm = first_number(
        settings, ("first_layer_thickness_mm",), LAYER_RANGE_MM, warnings
    )
    draft.nozzle_temperature_c = temperature(settings.get("temperature_C"), "temperature_C", draft)
    draft.nozzle_temperature_first_layer_c = temperature(
        settings.get("first_layer_C"), "first_layer_C", draft
    )
    draft.bed_temperature_c = temperature(settings.get("bed_C"), "bed_C", draft)
    draft.bed_temperature_first_layer_c = draft.bed_temperature_c
    for line in text.lines():
        time_match = _TIME.search(line) if "Build Time" in line else None
        if time_match and line.startswith(";"):
            draft.print_time_s = round(float(time_match.group(1)) * 60)
        extruder = _EXTRUDER.match(line)
        if extruder:
            draft.usage_stated = True
            draft.filament(int(extruder.group(1)) - 1).used_mm = float(extruder.group(2))
