"""The normalized metadata of one sliced file (ARCHITECTURE.md section 4).

Frozen dataclasses, so a `SliceMetadata` can be cached and shared; `to_dict()` gives the JSON
shape of the contract with `None` for every value the file does not state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonValue = Any


@dataclass(frozen=True)
class Slicer:
    name: str | None
    version: str | None


@dataclass(frozen=True)
class Filament:
    slot: int
    type: str | None = None
    brand: str | None = None
    name: str | None = None
    color_hex: str | None = None
    used_g: float | None = None
    used_mm: float | None = None
    density_g_cm3: float | None = None
    diameter_mm: float | None = None
    cost_per_kg: float | None = None


@dataclass(frozen=True)
class Plate:
    index: int
    print_time_s: int | None = None
    filament_g: float | None = None


@dataclass(frozen=True)
class Thumbnail:
    width: int
    height: int
    format: str
    plate: int | None = None


@dataclass(frozen=True)
class Geometry:
    triangles: int
    size_mm: tuple[float, float, float]
    volume_cm3: float


@dataclass(frozen=True)
class SliceMetadata:
    """Everything `read()` learned about one file; `None` where the file is silent."""

    format: str
    slicer: Slicer | None = None
    printer_model: str | None = None
    nozzle_diameter_mm: float | None = None
    layer_height_mm: float | None = None
    first_layer_height_mm: float | None = None
    nozzle_temperature_c: int | None = None
    nozzle_temperature_first_layer_c: int | None = None
    bed_temperature_c: int | None = None
    bed_temperature_first_layer_c: int | None = None
    print_time_s: int | None = None
    filaments: tuple[Filament, ...] = ()
    total_filament_g: float | None = None
    total_filament_mm: float | None = None
    plates: tuple[Plate, ...] = ()
    thumbnails: tuple[Thumbnail, ...] = ()
    objects: tuple[str, ...] = ()
    geometry: Geometry | None = None
    settings: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, JsonValue]:
        """The JSON shape of ARCHITECTURE.md section 4 (lists, not tuples; `None` for unknown)."""
        return {
            "format": self.format,
            "slicer": (
                {"name": self.slicer.name, "version": self.slicer.version} if self.slicer else None
            ),
            "printer_model": self.printer_model,
            "nozzle_diameter_mm": self.nozzle_diameter_mm,
            "layer_height_mm": self.layer_height_mm,
            "first_layer_height_mm": self.first_layer_height_mm,
            "nozzle_temperature_c": self.nozzle_temperature_c,
            "nozzle_temperature_first_layer_c": self.nozzle_temperature_first_layer_c,
            "bed_temperature_c": self.bed_temperature_c,
            "bed_temperature_first_layer_c": self.bed_temperature_first_layer_c,
            "print_time_s": self.print_time_s,
            "filaments": [
                {
                    "slot": f.slot,
                    "type": f.type,
                    "brand": f.brand,
                    "name": f.name,
                    "color_hex": f.color_hex,
                    "used_g": f.used_g,
                    "used_mm": f.used_mm,
                    "density_g_cm3": f.density_g_cm3,
                    "diameter_mm": f.diameter_mm,
                    "cost_per_kg": f.cost_per_kg,
                }
                for f in self.filaments
            ],
            "total_filament_g": self.total_filament_g,
            "total_filament_mm": self.total_filament_mm,
            "plates": [
                {"index": p.index, "print_time_s": p.print_time_s, "filament_g": p.filament_g}
                for p in self.plates
            ],
            "thumbnails": [
                {"width": t.width, "height": t.height, "format": t.format, "plate": t.plate}
                for t in self.thumbnails
            ],
            "objects": list(self.objects),
            "geometry": (
                {
                    "triangles": self.geometry.triangles,
                    "size_mm": list(self.geometry.size_mm),
                    "volume_cm3": self.geometry.volume_cm3,
                }
                if self.geometry
                else None
            ),
            "settings": dict(self.settings),
            "warnings": list(self.warnings),
        }
