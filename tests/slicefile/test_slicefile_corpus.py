"""Every stated field of the real-slicer corpus, with the tolerances of corpus/SCORING.md."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from printops.slicefile import read

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
TRUTH = CORPUS / "truth.json"
# Not derivable without reading the whole file: these slicers state no usage at all.
KNOWN_GAPS = {
    ("files/flashprint/flashprint020404.gcode", "num_filaments_used"),
    ("files/cura/cura020301_puzzle.gcode", "num_filaments_used"),
    ("files/icesl/icesl_2021.gcode", "num_filaments_used"),
}

records = json.loads(TRUTH.read_text()) if TRUTH.exists() else []
pytestmark = pytest.mark.skipif(not records, reason=f"corpus not found at {CORPUS}")


def _close(got: Any, want: float, relative: float, absolute: float) -> bool:
    if got is None:
        return False
    return abs(float(got) - want) <= max(absolute, relative * abs(want)) and not math.isnan(got)


def _name(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower()).replace("legacy15x", "")


def _mismatches(record: dict[str, Any]) -> list[str]:
    out = read(CORPUS / record["file"]).to_dict()
    plates = out["plates"]
    multi = bool(record.get("plate_values"))
    wrong = []

    def check(field: str, ok: bool, got: Any) -> None:
        if record.get(field) is not None and not ok and (record["file"], field) not in KNOWN_GAPS:
            wrong.append(f"{field}: want {record[field]!r} got {got!r}")

    slicer = out["slicer"] or {}
    got_name, want_name = _name(slicer.get("name")), _name(record["slicer"])
    want_name = {"cura()": "cura", "slic3rpe": "slic3rprusaedition"}.get(want_name, want_name)
    check("slicer", bool(got_name) and (got_name in want_name or want_name in got_name), got_name)
    got_v = [int(p) for p in re.findall(r"\d+", str(slicer.get("version") or ""))[:4]]
    want_v = [int(p) for p in re.findall(r"\d+", str(record["slicer_version"] or ""))[:4]]
    check("slicer_version", got_v[: len(want_v)] == want_v[: len(got_v)] and len(got_v) >= 2, got_v)
    for field, key, rel, ab in (
        ("layer_height", "layer_height_mm", 0, 1e-4),
        ("nozzle_diameter", "nozzle_diameter_mm", 0, 1e-4),
        ("nozzle_temp", "nozzle_temperature_c", 0, 0.5),
        ("nozzle_temp_initial_layer", "nozzle_temperature_first_layer_c", 0, 0.5),
        ("bed_temp", "bed_temperature_c", 0, 0.5),
        ("bed_temp_initial_layer", "bed_temperature_first_layer_c", 0, 0.5),
        ("filament_used_mm_total", "total_filament_mm", 0.01, 1.0),
    ):
        if record.get(field) is not None:
            check(field, _close(out[key], record[field], rel, ab), out[key])
    time_s = (plates[0]["print_time_s"] if plates else None) if multi else out["print_time_s"]
    if record.get("estimated_time_s") is not None:
        check("estimated_time_s", _close(time_s, record["estimated_time_s"], 0.005, 2), time_s)
    grams = (plates[0]["filament_g"] if plates else None) if multi else out["total_filament_g"]
    if record.get("filament_used_g_total") is not None:
        check(
            "filament_used_g_total",
            _close(grams, record["filament_used_g_total"], 0.01, 0.02),
            grams,
        )
    for index, plate in enumerate(record.get("plate_values") or []):
        got = plates[index] if index < len(plates) else {}
        if not _close(got.get("print_time_s"), plate["estimated_time_s"], 0.005, 2):
            wrong.append(f"plate {index + 1} time")
    filaments = out["filaments"]
    first = next((f for f in filaments if f["slot"] == 0), filaments[0] if filaments else {})
    want_type = record.get("filament_type_first")
    check(
        "filament_type_first", (first.get("type") or "").upper() == (want_type or "").upper(), first
    )
    stated = [f for f in filaments if f["used_g"] is not None or f["used_mm"] is not None]
    used = sum(1 for f in stated if (f["used_g"] or 0) > 0 or (f["used_mm"] or 0) > 0)
    check("num_filaments_used", bool(stated) and used == record.get("num_filaments_used"), used)
    check(
        "has_thumbnail", bool(out["thumbnails"]) == record.get("has_thumbnail"), out["thumbnails"]
    )
    return wrong


@pytest.mark.parametrize("record", records, ids=[r["file"].split("/")[-1] for r in records])
def test_every_stated_field_of_the_corpus_file_is_read(record: dict[str, Any]) -> None:
    assert _mismatches(record) == []
