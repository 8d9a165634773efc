"""A mutable `SliceMetadata` that containers and dialects fill in, then freeze."""

from __future__ import annotations

from dataclasses import dataclass, field

from printops.slicefile.model import (
    Filament,
    Geometry,
    Plate,
    SliceMetadata,
    Slicer,
    Thumbnail,
)


@dataclass
class FilamentDraft:
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

    def is_used(self) -> bool:
        return (self.used_g or 0) > 0 or (self.used_mm or 0) > 0


@dataclass
class Draft:
    format: str
    slicer_name: str | None = None
    slicer_version: str | None = None
    printer_model: str | None = None
    nozzle_diameter_mm: float | None = None
    layer_height_mm: float | None = None
    first_layer_height_mm: float | None = None
    nozzle_temperature_c: int | None = None
    nozzle_temperature_first_layer_c: int | None = None
    bed_temperature_c: int | None = None
    bed_temperature_first_layer_c: int | None = None
    print_time_s: int | None = None
    filaments: list[FilamentDraft] = field(default_factory=list)
    usage_stated: bool = False
    total_filament_g: float | None = None
    total_filament_mm: float | None = None
    plates: list[Plate] = field(default_factory=list)
    thumbnails: list[Thumbnail] = field(default_factory=list)
    objects: list[str] = field(default_factory=list)
    geometry: Geometry | None = None
    settings: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def filament(self, slot: int) -> FilamentDraft:
        """The draft for `slot`, created (in slot order) when missing."""
        for existing in self.filaments:
            if existing.slot == slot:
                return existing
        created = FilamentDraft(slot=slot)
        self.filaments.append(created)
        self.filaments.sort(key=lambda f: f.slot)
        return created

    def freeze(self) -> SliceMetadata:
        """The immutable result: only used filaments when usage is stated, totals filled in."""
        filaments = self.filaments
        if self.usage_stated:
            filaments = [f for f in filaments if f.is_used()]
        total_g = self.total_filament_g
        if total_g is None and any(f.used_g is not None for f in filaments):
            total_g = round(sum(f.used_g or 0 for f in filaments), 3)
        total_mm = self.total_filament_mm
        if total_mm is None and any(f.used_mm is not None for f in filaments):
            total_mm = round(sum(f.used_mm or 0 for f in filaments), 3)
        slicer = None
        if self.slicer_name or self.slicer_version:
            slicer = Slicer(name=self.slicer_name, version=self.slicer_version)
        return SliceMetadata(
            format=self.format,
            slicer=slicer,
            printer_model=self.printer_model or None,
            nozzle_diameter_mm=self.nozzle_diameter_mm,
            layer_height_mm=self.layer_height_mm,
            first_layer_height_mm=self.first_layer_height_mm,
            nozzle_temperature_c=self.nozzle_temperature_c,
            nozzle_temperature_first_layer_c=self.nozzle_temperature_first_layer_c,
            bed_temperature_c=self.bed_temperature_c,
            bed_temperature_first_layer_c=self.bed_temperature_first_layer_c,
            print_time_s=self.print_time_s,
            filaments=tuple(
                Filament(
                    slot=f.slot,
                    type=f.type or None,
                    brand=f.brand or None,
                    name=f.name or None,
                    color_hex=f.color_hex,
                    used_g=f.used_g,
                    used_mm=f.used_mm,
                    density_g_cm3=f.density_g_cm3,
                    diameter_mm=f.diameter_mm,
                    cost_per_kg=f.cost_per_kg,
                )
                for f in filaments
            ),
            total_filament_g=total_g,
            total_filament_mm=total_mm,
            plates=tuple(self.plates),
            thumbnails=tuple(self.thumbnails),
            objects=tuple(self.objects),
            geometry=self.geometry,
            settings=dict(self.settings),
            warnings=tuple(dict.fromkeys(self.warnings)),
        )
