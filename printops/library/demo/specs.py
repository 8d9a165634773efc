"""Drawing demo designs from a seeded random generator: names, variants, versions with the
metadata a slicer would write, and the small G-code file that reads back as that metadata."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from printops.library.demo.catalogue import (
    CHANGE_NOTES,
    COLOURS,
    DESIGNERS,
    EPOCH,
    EXTRA_TAGS,
    LICENCES,
    MATERIALS,
    PRINTERS,
    SIZES,
    STOCKED,
    STOCKED_SHARE,
    STYLES,
    SUBJECTS,
    SUFFIXES,
)
from printops.library.demo_pictures import SIZE_PX, picture_png, thumbnail_block


@dataclass
class VersionSpec:
    original_name: str
    change_note: str
    metadata: dict[str, Any]
    gcode: bytes
    sha256: str = ""
    picture: bytes = b""
    picture_sha256: str = ""


@dataclass
class VariantSpec:
    name: str
    versions: list[VersionSpec] = field(default_factory=list)


@dataclass
class DesignSpec:
    name: str
    designer: str
    licence: str
    category: str
    tags: list[str]
    description: str
    created_at: datetime
    variants: list[VariantSpec] = field(default_factory=list)


def design_specs(rng: random.Random, count: int) -> Iterator[DesignSpec]:
    """The first `count` demo designs for this generator, in order."""
    names: set[str] = set()
    for index in range(count):
        subject, category, grams, subject_tags = rng.choice(SUBJECTS)
        name = f"{rng.choice(STYLES)} {subject}{rng.choice(SUFFIXES)}"
        serial = 2
        base = name
        while name in names:
            name = f"{base} No. {serial}"
            serial += 1
        names.add(name)
        tags = sorted({*rng.sample(subject_tags, k=rng.randint(0, len(subject_tags)))} | (
            {rng.choice(EXTRA_TAGS)} if rng.random() < 0.4 else set()
        ))  # fmt: skip
        designer = rng.choice(DESIGNERS)
        spec = DesignSpec(
            name=name,
            designer=designer,
            licence=rng.choice(LICENCES) if designer else "",
            category=category,
            tags=tags,
            description=_description(rng, name, subject, designer),
            created_at=EPOCH + timedelta(minutes=index * 37 + rng.randint(0, 30)),
        )
        for variant_name, scale, filaments in _variant_choices(rng):
            variant = VariantSpec(name=variant_name)
            printer = rng.choice(PRINTERS)
            for number in range(1, rng.choice((1, 1, 2, 2, 3)) + 1):
                variant.versions.append(
                    _version(rng, spec, variant_name, number, printer, grams * scale, filaments)
                )
            spec.variants.append(variant)
        yield spec


def _description(rng: random.Random, name: str, subject: str, designer: str) -> str:
    openings = (
        f"A {subject.lower()} that sells well at markets.",
        f"{name}: prints without supports on most printers.",
        f"Customers' favourite {subject.lower()}; check the first layer.",
        f"Remixed {subject.lower()} with a flat base for better adhesion.",
        "",
    )
    credit = f" Original design by {designer}." if designer and rng.random() < 0.5 else ""
    return (rng.choice(openings) + credit).strip()


def _variant_choices(rng: random.Random) -> list[tuple[str, float, list[tuple[Any, ...]]]]:
    chosen: dict[str, tuple[str, float, list[tuple[Any, ...]]]] = {}
    for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
        size, scale = rng.choice(SIZES)
        if rng.random() < STOCKED_SHARE:
            material, colour = rng.choice(STOCKED)
            colours = [colour]
        else:
            material = rng.choice(MATERIALS)
            colours = rng.sample(COLOURS, k=2 if rng.random() < 0.15 else 1)
        filaments = [(*material, colour) for colour in colours]
        colour_names = "/".join(colour[0] for colour in colours)
        name = f"{size} · {material[0].title() if material[0] == 'SILK PLA' else material[0]} "
        name += colour_names
        chosen.setdefault(name, (name, scale, filaments))
    return list(chosen.values())


def _version(
    rng: random.Random,
    design: DesignSpec,
    variant_name: str,
    number: int,
    printer: tuple[str, str, str, float],
    grams: float,
    filaments: list[tuple[Any, ...]],
) -> VersionSpec:
    printer_model, slicer, slicer_version, nozzle = printer
    if rng.random() < 0.15:
        nozzle = 0.6 if nozzle == 0.4 else 0.4
    layer = rng.choice((0.12, 0.16, 0.2, 0.2, 0.2, 0.24, 0.28) if nozzle == 0.4 else (0.3, 0.32))
    total_g = round(max(1.0, grams * rng.uniform(0.8, 1.25)), 2)
    seconds_per_gram = rng.uniform(45, 80) * (0.2 / layer) ** 0.7 * (0.4 / nozzle)
    print_time_s = int(total_g * seconds_per_gram + 300)
    shares = [1.0] if len(filaments) == 1 else [0.75, 0.25]
    usage = []
    for slot, ((material, brand, fname, density, cost, _, _, (_, hex_colour)), share) in enumerate(
        zip(filaments, shares, strict=True)
    ):
        used_g = round(total_g * share, 2)
        usage.append(
            {
                "slot": slot,
                "type": material,
                "brand": brand,
                "name": fname,
                "color_hex": hex_colour,
                "used_g": used_g,
                "used_mm": round(used_g / density / 2.405 * 1000, 2),
                "density_g_cm3": density,
                "diameter_mm": 1.75,
                "cost_per_kg": cost,
            }
        )
    nozzle_c, bed_c = filaments[0][5], filaments[0][6]
    stem = "_".join(design.name.replace("(", "").replace(")", "").split())
    variant_stem = "_".join(variant_name.replace("·", "").replace("/", "-").split())
    original_name = f"{stem}_{variant_stem}_v{number}.gcode"
    settings = {
        "printer_model": printer_model,
        "nozzle_diameter": ",".join([str(nozzle)] * len(usage)),
        "layer_height": str(layer),
        "first_layer_height": "0.2",
        "temperature": ",".join(str(f[5]) for f in filaments),
        "first_layer_temperature": ",".join(str(f[5] + 5) for f in filaments),
        "bed_temperature": ",".join(str(f[6]) for f in filaments),
        "first_layer_bed_temperature": ",".join(str(f[6]) for f in filaments),
        "filament_type": ";".join(f[0] for f in filaments),
        "filament_vendor": ";".join(f[1] for f in filaments),
        "filament_settings_id": ";".join(f'"{f[2]}"' for f in filaments),
        "filament_colour": ";".join(f[7][1] for f in filaments),
        "filament_density": ",".join(str(f[3]) for f in filaments),
        "filament_diameter": ",".join("1.75" for _ in filaments),
        "filament_cost": ",".join(str(f[4]) for f in filaments),
    }
    metadata = {
        "format": "gcode",
        "slicer": {"name": slicer, "version": slicer_version},
        "printer_model": printer_model,
        "nozzle_diameter_mm": nozzle,
        "layer_height_mm": layer,
        "first_layer_height_mm": 0.2,
        "nozzle_temperature_c": nozzle_c,
        "nozzle_temperature_first_layer_c": nozzle_c + 5,
        "bed_temperature_c": bed_c,
        "bed_temperature_first_layer_c": bed_c,
        "print_time_s": print_time_s,
        "filaments": usage,
        "total_filament_g": round(sum(u["used_g"] for u in usage), 2),
        "total_filament_mm": round(sum(u["used_mm"] for u in usage), 2),
        "plates": [],
        "thumbnails": [{"width": SIZE_PX, "height": SIZE_PX, "format": "png", "plate": None}],
        "objects": [],
        "geometry": None,
        "settings": settings,
        "warnings": [],
    }
    note = "" if number == 1 else rng.choice(CHANGE_NOTES)
    picture = picture_png(design.category, tuple(u["color_hex"] for u in usage))
    return VersionSpec(
        original_name=original_name,
        change_note=note,
        metadata=metadata,
        gcode=_gcode(
            design, variant_name, number, slicer, slicer_version, metadata, settings, picture
        ),
        picture=picture,
    )


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return (f"{hours}h " if hours else "") + f"{minutes}m {secs}s"


def _gcode(
    design: DesignSpec,
    variant_name: str,
    number: int,
    slicer: str,
    slicer_version: str,
    metadata: dict[str, Any],
    settings: dict[str, str],
    picture: bytes,
) -> bytes:
    """A small G-code file that `printops inspect` reads back as `metadata` (PrusaSlicer style:
    generator line on top, usage and config block at the end)."""
    stamp = design.created_at + timedelta(days=number)
    usage = metadata["filaments"]
    lines = [
        f"; generated by {slicer} {slicer_version} on {stamp:%Y-%m-%d at %H:%M:%S} UTC",
        f"; PrintOps demo: {design.name} / {variant_name} / version {number}",
        *thumbnail_block(picture),
        "",
        "M73 P0 R1",
        f"M104 S{metadata['nozzle_temperature_first_layer_c']}",
        f"M140 S{metadata['bed_temperature_first_layer_c']}",
        "G28",
        "G90",
        "M83",
        "G1 Z0.2 F720",
        "G1 X10 Y10 E1.2 F1500",
        "G1 X60 Y10 E2.4",
        "G1 X60 Y60 E2.4",
        "M104 S0",
        "M140 S0",
        "M84",
        "",
        "; filament used [mm] = " + ", ".join(f"{u['used_mm']:.2f}" for u in usage),
        "; filament used [g] = " + ", ".join(f"{u['used_g']:.2f}" for u in usage),
        f"; total filament used [g] = {metadata['total_filament_g']:.2f}",
        f"; estimated printing time (normal mode) = {_duration(metadata['print_time_s'])}",
        "",
        "; prusaslicer_config = begin",
        *(f"; {key} = {value}" for key, value in sorted(settings.items())),
        "; prusaslicer_config = end",
        "",
    ]
    return "\n".join(lines).encode()
