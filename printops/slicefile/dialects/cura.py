"""Cura: Marlin-style (`;TIME:`, `;Filament used:`), Griffin (`;EXTRUDER_TRAIN.0...`, what UFP
holds), legacy 15.x (`;Print time:`, `;Basic settings:`), and the GUI's `;SETTING_3` footer
(escaped JSON holding INI text of the user's changed settings).

Cura writes no material type, and Marlin-flavour files carry temperatures only as heater
commands: the first-layer values before `;LAYER:0`, the normal ones when layer 1 starts.
"""

from __future__ import annotations

import configparser
import json
import math
import re

from printops.slicefile.dialects.common import temperature, temperatures_from_commands
from printops.slicefile.draft import Draft
from printops.slicefile.gcode_text import GcodeText
from printops.slicefile.normalize import (
    LAYER_RANGE_MM,
    NOZZLE_RANGE_MM,
    guarded,
    parse_duration_s,
    to_float,
)

NAME = "Cura"
# Cura's footer is a few KB; a larger one is not Cura's and is not parsed.
MAX_SETTING_3_CHARS = 1_000_000
# Griffin printers (Ultimaker) take 2.85 mm filament; the header gives volume only.
GRIFFIN_FILAMENT_DIAMETER_MM = 2.85
# Ultimaker generic materials (fdm-materials), the GUIDs a Griffin header names.
_GENERIC_MATERIALS = {
    "506c9f0d-e3aa-4bd4-b2d2-23e2425b1aa9": "PLA",
    "1cbfaeb3-1906-4b26-b2e7-6f777a8c197a": "PETG",
    "60636bb4-518f-42e7-8237-fe77b194ebe0": "ABS",
    "1d52b2be-a3a2-41de-a8b1-3bcdb5618695": "TPU",
}
_HEADER = re.compile(r"^;([A-Z_][A-Za-z0-9_. ]*?):\s*(.*)$")
_ENGINE = re.compile(r"Cura_SteamEngine\s+(\S+)")
_LEGACY_TIME = re.compile(r"^;Print time:\s*(.+)$", re.IGNORECASE)
_LEGACY_USE = re.compile(r"^;Filament used:\s*([\d.]+)m\s+([\d.]+)g", re.IGNORECASE)
_LEGACY_LAYER = re.compile(r"Layer height:\s*([\d.]+)", re.IGNORECASE)


def detect(text: GcodeText) -> bool:
    for line in text.head[:60]:
        if "Cura_SteamEngine" in line or line.startswith((";FLAVOR:", ";Basic settings:")):
            return True
    return False


def parse(text: GcodeText, draft: Draft) -> None:
    draft.slicer_name = "Cura"
    header: dict[str, str] = {}
    for line in text.head[:400]:
        if line.startswith(";"):
            match = _HEADER.match(line)
            if match:
                header.setdefault(match.group(1), match.group(2).strip())
            engine = _ENGINE.search(line)
            if engine and draft.slicer_version is None:
                draft.slicer_version = engine.group(1)
    draft.slicer_version = header.get("GENERATOR.VERSION") or draft.slicer_version
    draft.settings.update({key: value for key, value in header.items() if key != "SETTING_3"})
    cura_settings = setting_3(text.lines(), draft)
    draft.settings.update(cura_settings)
    if header.get("FLAVOR") == "Griffin" or "EXTRUDER_TRAIN.0.NOZZLE.DIAMETER" in header:
        _griffin(header, cura_settings, draft)
    else:
        _marlin(text, header, draft)
    _from_settings(cura_settings, draft)
    lines = text.head
    if not any(line.startswith(";LAYER:1") for line in lines) and text.read_more:
        lines = lines + text.read_more(1024 * 1024)
    temperatures_from_commands(lines, draft)
    if (
        draft.bed_temperature_c is None
        and draft.bed_temperature_first_layer_c is None
        and any(re.match(r"^M140 S0\b", line) for line in text.tail or text.head)
    ):
        # No bed target before printing, and the end G-code switches the bed off: it was off.
        draft.bed_temperature_c = draft.bed_temperature_first_layer_c = 0


def _marlin(text: GcodeText, header: dict[str, str], draft: Draft) -> None:
    if "TIME" in header:
        draft.print_time_s = parse_duration_s(header["TIME"])
    if "Filament used" in header:
        metres = [to_float(v.strip().rstrip("m")) for v in header["Filament used"].split(",")]
        if all(m is not None for m in metres):
            draft.usage_stated = True
            for slot, value in enumerate(metres):
                draft.filament(slot).used_mm = round((value or 0) * 1000, 3)
    if "Layer height" in header:
        draft.layer_height_mm = guarded(
            to_float(header["Layer height"]), LAYER_RANGE_MM, "layer height", None, draft.warnings
        )
    draft.printer_model = header.get("TARGET_MACHINE.NAME") or draft.printer_model
    for line in text.head[:60]:
        legacy_time = _LEGACY_TIME.match(line)
        if legacy_time:
            draft.print_time_s = parse_duration_s(legacy_time.group(1).replace("minutes", "m"))
        legacy_use = _LEGACY_USE.match(line)
        if legacy_use:
            draft.usage_stated = True
            filament = draft.filament(0)
            filament.used_mm = round(float(legacy_use.group(1)) * 1000, 3)
            filament.used_g = float(legacy_use.group(2))
        if line.startswith(";Basic settings:"):
            layer = _LEGACY_LAYER.search(line)
            if layer:
                draft.layer_height_mm = to_float(layer.group(1))


def _griffin(header: dict[str, str], cura_settings: dict[str, str], draft: Draft) -> None:
    draft.printer_model = header.get("TARGET_MACHINE.NAME")
    draft.print_time_s = parse_duration_s(header.get("PRINT.TIME"))
    draft.nozzle_diameter_mm = guarded(
        to_float(header.get("EXTRUDER_TRAIN.0.NOZZLE.DIAMETER")),
        NOZZLE_RANGE_MM,
        "nozzle diameter",
        header.get("EXTRUDER_TRAIN.0.NOZZLE.DIAMETER"),
        draft.warnings,
    )
    draft.nozzle_temperature_first_layer_c = temperature(
        header.get("EXTRUDER_TRAIN.0.INITIAL_TEMPERATURE"), "initial temperature", draft
    )
    draft.bed_temperature_first_layer_c = temperature(
        header.get("BUILD_PLATE.INITIAL_TEMPERATURE"), "build plate temperature", draft
    )
    train = 0
    while f"EXTRUDER_TRAIN.{train}.MATERIAL.VOLUME_USED" in header and train < 16:
        volume_mm3 = to_float(header[f"EXTRUDER_TRAIN.{train}.MATERIAL.VOLUME_USED"])
        diameter = to_float(cura_settings.get("material_diameter")) or GRIFFIN_FILAMENT_DIAMETER_MM
        filament = draft.filament(train)
        filament.diameter_mm = diameter
        guid = header.get(f"EXTRUDER_TRAIN.{train}.MATERIAL.GUID", "").lower()
        filament.type = _GENERIC_MATERIALS.get(guid)
        if volume_mm3 is not None and volume_mm3 >= 0:
            draft.usage_stated = True
            filament.used_mm = round(volume_mm3 / (math.pi * (diameter / 2) ** 2), 2)
        train += 1


def _from_settings(cura_settings: dict[str, str], draft: Draft) -> None:
    """Typed values from SETTING_3 when they are plain numbers (not `=formula`)."""
    warnings = draft.warnings
    if draft.layer_height_mm is None:
        draft.layer_height_mm = guarded(
            to_float(cura_settings.get("layer_height")),
            LAYER_RANGE_MM,
            "layer_height",
            None,
            warnings,
        )
    if draft.first_layer_height_mm is None:
        draft.first_layer_height_mm = guarded(
            to_float(cura_settings.get("layer_height_0")),
            LAYER_RANGE_MM,
            "layer_height_0",
            None,
            warnings,
        )
    if draft.nozzle_diameter_mm is None:
        draft.nozzle_diameter_mm = guarded(
            to_float(cura_settings.get("machine_nozzle_size")),
            NOZZLE_RANGE_MM,
            "nozzle",
            None,
            warnings,
        )
    for field_name, key in (
        ("nozzle_temperature_c", "material_print_temperature"),
        ("nozzle_temperature_first_layer_c", "material_print_temperature_layer_0"),
        ("bed_temperature_c", "material_bed_temperature"),
        ("bed_temperature_first_layer_c", "material_bed_temperature_layer_0"),
    ):
        value = to_float(cura_settings.get(key))
        if getattr(draft, field_name) is None and value is not None:
            setattr(draft, field_name, temperature(cura_settings[key], key, draft))


def setting_3(lines: list[str], draft: Draft) -> dict[str, str]:
    """The `[values]` of every INI inside the `;SETTING_3` JSON footer (global, then extruder 0)."""
    parts = [line[11:] for line in lines if line.startswith(";SETTING_3 ")]
    payload = "".join(parts)
    if not payload or len(payload) > MAX_SETTING_3_CHARS:
        return {}
    try:
        document = json.loads(payload)
    except (ValueError, RecursionError):
        draft.warnings.append("The ;SETTING_3 footer is not valid JSON; its settings were skipped.")
        return {}
    if not isinstance(document, dict):
        return {}
    texts: list[str] = []
    if isinstance(document.get("global_quality"), str):
        texts.append(document["global_quality"])
    extruders = document.get("extruder_quality")
    if isinstance(extruders, list) and extruders and isinstance(extruders[0], str):
        texts.append(extruders[0])
    values: dict[str, str] = {}
    for ini_text in texts:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            # Cura escapes the INI's newlines once more inside the JSON string.
            parser.read_string(ini_text.replace("\\n", "\n"))
        except configparser.Error:
            continue
        if parser.has_section("values"):
            values.update(dict(parser.items("values")))
    return values
