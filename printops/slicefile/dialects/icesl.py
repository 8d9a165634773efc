"""IceSL: `; key : <tab>value` settings after a `; <IceSL build date>` line."""

from __future__ import annotations

import re

from printops.slicefile.dialects.common import temperature
from printops.slicefile.draft import Draft
from printops.slicefile.gcode_text import GcodeText
from printops.slicefile.normalize import LAYER_RANGE_MM, NOZZLE_RANGE_MM, first_number, to_float

NAME = "IceSL"
_BUILD = re.compile(r"^;\s*<IceSL\s+(.+?)>")
_PAIR = re.compile(r"^;\s*(\w+)\s*:\s*(.*)$")


def detect(text: GcodeText) -> bool:
    return any(_BUILD.match(line) for line in text.head[:200])


def parse(text: GcodeText, draft: Draft) -> None:
    draft.slicer_name = "IceSL"
    settings: dict[str, str] = {}
    for line in text.lines():
        build = _BUILD.match(line)
        if build:
            draft.slicer_version = build.group(1)
        elif line.startswith("; "):
            match = _PAIR.match(line)
            if match:
                settings[match.group(1)] = match.group(2).strip()
    draft.settings.update(settings)
    warnings = draft.warnings
    draft.layer_height_mm = first_number(settings, ("z_layer_height_mm",), LAYER_RANGE_MM, warnings)
    draft.first_layer_height_mm = first_number(
        settings, ("z_layer_height_first_layer_mm",), LAYER_RANGE_MM, warnings
    )
    draft.nozzle_diameter_mm = first_number(
        settings, ("nozzle_diameter_mm_0",), NOZZLE_RANGE_MM, warnings
    )
    draft.nozzle_temperature_c = temperature(
        settings.get("extruder_temp_degree_c_0"), "extruder_temp_degree_c_0", draft
    )
    draft.nozzle_temperature_first_layer_c = draft.nozzle_temperature_c
    draft.bed_temperature_c = temperature(settings.get("bed_temp_degree_c"), "bed", draft)
    draft.bed_temperature_first_layer_c = draft.bed_temperature_c
    diameter = to_float(settings.get("filament_diameter_mm_0"))
    if diameter:
        draft.filament(0).diameter_mm = diameter
