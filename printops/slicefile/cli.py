"""`printops inspect FILE... [--json]`: metadata as a table or JSON; exit 2 with one line
`error: <sentence>` per unreadable file. Imports nothing heavy (no Django, no Pillow)."""

from __future__ import annotations

import json
import sys
from typing import Any

from printops.slicefile.errors import SliceFileError
from printops.slicefile.reader import read

USAGE = "usage: printops inspect FILE... [--json]\n"


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    paths = [arg for arg in argv if arg != "--json"]
    if not paths or any(arg in {"-h", "--help"} for arg in paths):
        sys.stdout.write(USAGE)
        return 0 if paths else 2
    results: list[dict[str, Any]] = []
    failed = False
    for path in paths:
        try:
            metadata = read(path)
        except SliceFileError as exc:
            failed = True
            sys.stderr.write(f"error: {path}: {exc}\n" if len(paths) > 1 else f"error: {exc}\n")
            continue
        except Exception as exc:
            failed = True
            sys.stderr.write(f"error: {path} could not be read ({type(exc).__name__}).\n")
            continue
        results.append(
            {"file": path, **metadata.to_dict()} if len(paths) > 1 else metadata.to_dict()
        )
    if results:
        if as_json:
            payload: Any = results if len(paths) > 1 else results[0]
            sys.stdout.write(json.dumps(payload, indent=1) + "\n")
        else:
            for number, result in enumerate(results):
                if number:
                    sys.stdout.write("\n")
                sys.stdout.write(_table(result))
    return 2 if failed else 0


def _table(result: dict[str, Any]) -> str:
    slicer = result.get("slicer") or {}
    rows = [
        ("file", result.get("file")),
        ("format", result["format"]),
        ("slicer", " ".join(str(v) for v in (slicer.get("name"), slicer.get("version")) if v)),
        ("printer", result["printer_model"]),
        ("nozzle", _unit(result["nozzle_diameter_mm"], "mm")),
        ("layer height", _unit(result["layer_height_mm"], "mm")),
        ("first layer", _unit(result["first_layer_height_mm"], "mm")),
        (
            "nozzle temp",
            _pair(result["nozzle_temperature_first_layer_c"], result["nozzle_temperature_c"]),
        ),
        ("bed temp", _pair(result["bed_temperature_first_layer_c"], result["bed_temperature_c"])),
        ("print time", _duration(result["print_time_s"])),
        ("filament", _filament_total(result)),
    ]
    for filament in result["filaments"]:
        parts = [filament.get("type"), filament.get("color_hex"), filament.get("brand")]
        usage = [_unit(filament.get("used_g"), "g"), _unit(filament.get("used_mm"), "mm")]
        text = " ".join(p for p in parts if p) + "  " + " ".join(u for u in usage if u)
        rows.append((f"  slot {filament['slot']}", text.strip()))
    for plate in result["plates"]:
        rows.append(
            (
                f"  plate {plate['index']}",
                f"{_duration(plate['print_time_s'])} {_unit(plate['filament_g'], 'g')}".strip(),
            )
        )
    if result["thumbnails"]:
        sizes = ", ".join(f"{t['width']}x{t['height']} {t['format']}" for t in result["thumbnails"])
        rows.append(("thumbnails", sizes))
    if result["objects"]:
        rows.append(("objects", ", ".join(result["objects"][:10])))
    geometry = result.get("geometry")
    if geometry:
        size = " x ".join(f"{v:g}" for v in geometry["size_mm"])
        rows.append(
            (
                "geometry",
                f"{geometry['triangles']} triangles, {size} mm, {geometry['volume_cm3']:g} cm³",
            )
        )
    rows.append(("settings", f"{len(result['settings'])} keys"))
    for warning in result["warnings"]:
        rows.append(("warning", warning))
    return "".join(f"{label:<14} {value}\n" for label, value in rows if value not in (None, ""))


def _unit(value: Any, unit: str) -> str:
    return "" if value is None else f"{value:g} {unit}"


def _pair(first: Any, normal: Any) -> str:
    if first is None and normal is None:
        return ""
    normal_text = "?" if normal is None else normal
    first_text = "?" if first is None else first
    return f"{normal_text} °C (first layer {first_text} °C)"


def _duration(seconds: Any) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    return f"{hours}h {rest // 60:02d}m {rest % 60:02d}s"


def _filament_total(result: dict[str, Any]) -> str:
    parts = [_unit(result["total_filament_g"], "g"), _unit(result["total_filament_mm"], "mm")]
    return " ".join(p for p in parts if p)
