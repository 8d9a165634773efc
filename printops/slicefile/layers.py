"""`filament_by_layer(path)`: one streaming pass over the G-code, cumulative grams per filament
at each layer change, for the exact consumption of a print that failed part-way.

It reads the whole file (in 1 MB chunks, flat memory) and so belongs in a background task,
never on the upload path. Extrusion follows M82/M83 (and G90/G91), G92 E resets and tool
changes; grams use each filament's diameter and density from `read()` (1.75 mm and 1.24 g/cm³
when the file does not say, with a warning).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from printops.slicefile.errors import SliceFileError
from printops.slicefile.reader import read

DEFAULT_DIAMETER_MM = 1.75
DEFAULT_DENSITY_G_CM3 = 1.24
_CHUNK = 1024 * 1024
_MAX_LINE = 64 * 1024
_LAYER_MARKERS = (b";LAYER_CHANGE", b";LAYER:", b"; CHANGE_LAYER", b";LAYER_START")
_E_VALUE = re.compile(rb"E(-?\d*\.?\d+)")
_Z_VALUE = re.compile(rb"Z(-?\d*\.?\d+)")


@dataclass(frozen=True)
class LayerUsage:
    layer: int  # 0-based index of the layer that starts here
    z_mm: float | None
    grams: tuple[float, ...]  # cumulative grams per filament slot before this layer starts


@dataclass(frozen=True)
class FilamentByLayer:
    layers: tuple[LayerUsage, ...]
    total_grams: tuple[float, ...]
    warnings: tuple[str, ...]


def _lines(path: str | os.PathLike[str]) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        rest = b""
        while True:
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            if len(rest) > _MAX_LINE:
                rest = b""  # an endless line is not G-code; drop it without holding it
            yield from lines
        if rest:
            yield rest


def filament_by_layer(path: str | os.PathLike[str]) -> FilamentByLayer:
    """Cumulative grams per filament at every layer change of a text G-code file."""
    metadata = read(path)
    if metadata.format not in {"gcode"}:
        raise SliceFileError("Per-layer filament use is read from text G-code files only.")
    warnings: list[str] = []
    grams_per_mm: dict[int, float] = {}
    for filament in metadata.filaments:
        diameter = filament.diameter_mm or DEFAULT_DIAMETER_MM
        density = filament.density_g_cm3 or DEFAULT_DENSITY_G_CM3
        grams_per_mm[filament.slot] = math.pi * (diameter / 2) ** 2 * density / 1000
    if not metadata.filaments or any(
        f.density_g_cm3 is None or f.diameter_mm is None for f in metadata.filaments
    ):
        warnings.append("Some filament diameter or density is not stated; defaults were used.")
    default_rate = math.pi * (DEFAULT_DIAMETER_MM / 2) ** 2 * DEFAULT_DENSITY_G_CM3 / 1000

    used_mm: dict[int, float] = {}
    tool = 0
    relative = False
    last_e = 0.0
    z: float | None = None
    layers: list[LayerUsage] = []
    use_markers: bool | None = None
    last_layer_z: float | None = None

    def snapshot() -> tuple[float, ...]:
        slots = max([*used_mm, *grams_per_mm, 0]) + 1
        return tuple(
            round(used_mm.get(slot, 0.0) * grams_per_mm.get(slot, default_rate), 6)
            for slot in range(slots)
        )

    for line in _lines(path):
        if not line:
            continue
        first = line[0]
        if first == 59:  # ';'
            if line.startswith(_LAYER_MARKERS):
                use_markers = True
                layers.append(LayerUsage(layer=len(layers), z_mm=z, grams=snapshot()))
            continue
        if first == 71:  # 'G'
            code = line.split(b";", 1)[0]
            if code.startswith((b"G1 ", b"G0 ", b"G2 ", b"G3 ", b"G1\t")):
                if b"Z" in code:
                    match = _Z_VALUE.search(code)
                    if match:
                        z = float(match.group(1))
                if b"E" in code:
                    match = _E_VALUE.search(code)
                    if match:
                        e = float(match.group(1))
                        delta = e if relative else e - last_e
                        last_e = e if not relative else last_e
                        # Signed: a retraction and its re-extrusion cancel out.
                        used_mm[tool] = used_mm.get(tool, 0.0) + delta
                        if delta > 0 and (
                            use_markers is None
                            and z is not None
                            and (last_layer_z is None or z > last_layer_z + 1e-6)
                        ):
                            # No layer comments: a new Z with extrusion starts a layer.
                            layers.append(LayerUsage(layer=len(layers), z_mm=z, grams=snapshot()))
                            last_layer_z = z
            elif code.startswith(b"G92"):
                match = _E_VALUE.search(code)
                if match:
                    last_e = float(match.group(1))
            elif code.startswith(b"G91"):
                relative = True
            elif code.startswith(b"G90"):
                relative = False
        elif first == 77:  # 'M'
            if line.startswith(b"M83"):
                relative = True
            elif line.startswith(b"M82"):
                relative = False
        elif first == 84 and line[1:2].isdigit():  # 'T'
            tool = int(re.match(rb"T(\d+)", line).group(1))  # type: ignore[union-attr]
            last_e = 0.0 if not relative else last_e
    return FilamentByLayer(layers=tuple(layers), total_grams=snapshot(), warnings=tuple(warnings))
