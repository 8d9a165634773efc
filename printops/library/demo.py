"""Demo rows for the library: designs → variants → versions with real (small) G-code files.

Deterministic: the same seed gives the same designs, files and metadata, and the n-th design
does not depend on how many are asked for, so `--designs 100` after `--designs 40` adds 60.
Idempotent: designs are keyed by name; a name already in the workspace is skipped.

Fast enough for `printops demo --designs 10000` (~50 000 versions): rows go in with
bulk_create in chunks, and each G-code file is written straight to storage under its content
address (the same key and Blob row blob_put would make; blob_put per file was the bottleneck).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import OuterRef, Subquery

from printops.accounts.models import Membership, Workspace
from printops.accounts.roles import Role
from printops.core.blobs import blob_storage_key
from printops.core.models import Blob
from printops.library.demo_pictures import SIZE_PX, picture_png, thumbnail_block
from printops.library.models import (
    DEFAULT_CATEGORIES,
    Category,
    Design,
    FilamentUsage,
    Tag,
    Variant,
    VariantVersion,
)
from printops.library.services import filament_usage_rows
from printops.library.services.search_index import search_rebuild
from printops.materials.demo import FILAMENTS as DEMO_FILAMENTS
from printops.materials.stock_matching import FilamentCatalogue

CHUNK_DESIGNS = 500
EPOCH = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)

# (subject, category, typical grams at "Medium", tags it tends to get)
SUBJECTS = (
    ("Cat Keychain", "Keychain", 5, ("gift", "quick print")),
    ("Dragon Keychain", "Keychain", 7, ("gift", "print in place")),
    ("Paw Keychain", "Keychain", 4, ("gift", "kids")),
    ("Name Tag Keychain", "Keychain", 5, ("custom", "gift")),
    ("Benchy Keychain", "Keychain", 6, ("quick print",)),
    ("Dice Keychain", "Keychain", 6, ("print in place",)),
    ("Guitar Pick Keychain", "Keychain", 3, ("market",)),
    ("Octopus Keychain", "Keychain", 6, ("kids", "multicolour")),
    ("Hoop Earrings", "Earring", 2, ("jewellery", "market")),
    ("Leaf Earrings", "Earring", 2, ("jewellery",)),
    ("Feather Earrings", "Earring", 2, ("jewellery", "bestseller")),
    ("Moon Earrings", "Earring", 2, ("jewellery", "gift")),
    ("Drop Earrings", "Earring", 2, ("jewellery",)),
    ("Dragon", "Decoration", 90, ("print in place", "bestseller")),
    ("Vase", "Decoration", 70, ("vase mode",)),
    ("Planter", "Decoration", 110, ("home",)),
    ("Octopus", "Decoration", 40, ("kids", "print in place")),
    ("Skull", "Decoration", 60, ("halloween",)),
    ("Lithophane Lamp", "Decoration", 80, ("gift", "custom")),
    ("Christmas Ornament", "Decoration", 12, ("christmas", "seasonal")),
    ("Owl", "Decoration", 35, ("home",)),
    ("Fox", "Decoration", 30, ("kids",)),
    ("Axolotl", "Decoration", 25, ("kids", "bestseller")),
    ("Castle", "Decoration", 150, ("needs supports",)),
    ("Miniature Knight", "Decoration", 8, ("miniature", "needs supports")),
    ("Miniature Wizard", "Decoration", 8, ("miniature", "needs supports")),
    ("Tealight Holder", "Decoration", 45, ("home", "christmas")),
    ("Phone Stand", "Functional", 45, ("desk",)),
    ("Cable Clip", "Functional", 3, ("desk", "quick print")),
    ("Headphone Hook", "Functional", 35, ("desk",)),
    ("Spool Holder", "Functional", 90, ("workshop",)),
    ("Drawer Organiser", "Functional", 120, ("workshop", "home")),
    ("Tablet Stand", "Functional", 70, ("desk",)),
    ("Wall Hook", "Functional", 15, ("home",)),
    ("SD Card Holder", "Functional", 12, ("desk",)),
    ("Pen Cup", "Functional", 60, ("desk", "vase mode")),
    ("Bag Clip", "Functional", 6, ("kitchen", "quick print")),
    ("Battery Holder", "Functional", 40, ("workshop",)),
)
STYLES = (
    "Articulated", "Low-poly", "Twisted", "Voronoi", "Geometric", "Flexi", "Hexagon", "Spiral",
    "Minimalist", "Gothic", "Tiny", "Chunky", "Modular", "Stackable", "Celtic", "Faceted",
    "Sleepy", "Ribbed", "Wavy", "Retro",
)  # fmt: skip
SUFFIXES = ("", "", "", "", " Mk2", " v3", " XL", " (Remix)", " Deluxe", " Lite")
DESIGNERS = (
    "McGybeer", "Cinderwing3D", "Flexi Factory", "Makers Mashup", "Layer Lab", "Printed Nest",
    "Kijai", "Sanjay Mortimer", "Ana Prints", "Odd Duck Designs", "Filament Fox", "Tom Stanton",
    "3DPrintingGeek", "Polymaker Studio", "Studio Hex", "",
)  # fmt: skip
LICENCES = ("CC BY 4.0", "CC BY-NC 4.0", "CC BY-SA 4.0", "Standard Digital File Licence", "")
EXTRA_TAGS = ("gift", "bestseller", "market", "new", "multicolour", "seasonal")
SIZES = (("Mini", 0.4), ("Small", 0.65), ("Medium", 1.0), ("Large", 1.8), ("XL", 3.0))
# (material, brand, filament name, density g/cm³, €/kg, nozzle °C, bed °C)
MATERIALS = (
    ("PLA", "Bambu Lab", "Bambu PLA Basic", 1.24, 20.0, 215, 60),
    ("PLA", "Prusament", "Prusament PLA", 1.24, 25.0, 215, 60),
    ("PLA", "Polymaker", "PolyTerra PLA", 1.31, 22.0, 210, 60),
    ("PETG", "Prusament", "Prusament PETG", 1.27, 25.0, 240, 85),
    ("PETG", "Bambu Lab", "Bambu PETG HF", 1.25, 22.0, 240, 70),
    ("SILK PLA", "Eryone", "Eryone Silk PLA", 1.24, 24.0, 220, 60),
    ("TPU", "Bambu Lab", "Bambu TPU 95A HF", 1.22, 40.0, 230, 35),
    ("ASA", "Polymaker", "PolyLite ASA", 1.07, 30.0, 260, 100),
)
COLOURS = (
    ("red", "#E53935"), ("black", "#111111"), ("white", "#F5F5F5"), ("blue", "#1E88E5"),
    ("green", "#43A047"), ("yellow", "#FDD835"), ("orange", "#FB8C00"), ("purple", "#8E24AA"),
    ("pink", "#F48FB1"), ("grey", "#9E9E9E"), ("gold", "#D4AF37"), ("silver", "#C0C0C0"),
    ("teal", "#00897B"), ("natural", "#E8DCC0"),
)  # fmt: skip
# Most demo files are sliced for filaments the demo shop stocks, so they match its catalogue on
# upload as a real shop's would; the rest wait in the review queue.
STOCKED_SHARE = 0.9
STOCKED = tuple(
    (
        (material, vendor, f"{vendor} {material}", float(density), float(price), nozzle, bed),
        (colour.lower(), hex_colour),
    )
    for vendor, material, colour, hex_colour, density, price, nozzle, bed in DEMO_FILAMENTS
)
# (printer model as the slicer writes it, slicer, slicer version, usual nozzle)
PRINTERS = (
    ("Bambu Lab A1 mini", "PrusaSlicer", "2.8.1", 0.4),
    ("Bambu Lab X1 Carbon", "PrusaSlicer", "2.8.1", 0.4),
    ("Bambu Lab P1S", "SuperSlicer", "2.5.59.13", 0.4),
    ("Original Prusa MK4", "PrusaSlicer", "2.8.1", 0.4),
    ("Original Prusa MINI+", "PrusaSlicer", "2.7.4", 0.4),
    ("Creality Ender-3 V2", "SuperSlicer", "2.5.59.13", 0.4),
    ("Voron 2.4 350", "SuperSlicer", "2.5.59.13", 0.6),
)
CHANGE_NOTES = (
    "Thicker walls",
    "Faster: 0.28 mm layers",
    "Fixed the stringing on the tail",
    "Brim added for bed adhesion",
    "Less infill (10 %)",
    "Rotated 45° to avoid supports",
    "New filament profile",
    "Tree supports instead of normal ones",
)


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


def build_demo(
    *, workspace: Workspace, rng: random.Random, designs: int = 40, **options: object
) -> list[str]:
    """Up to `designs` demo designs (never duplicated), then a rebuilt search index."""
    categories = {
        name: Category.objects.get_or_create(workspace=workspace, name=name)[0]
        for name in DEFAULT_CATEGORIES
    }
    existing = set(Design.objects.filter(workspace=workspace).values_list("name", flat=True))
    owner = (
        Membership.objects.filter(workspace=workspace, role=Role.OWNER)
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    wanted = [spec for spec in design_specs(rng, designs) if spec.name not in existing]
    counts = [0, 0, 0]
    for start in range(0, len(wanted), CHUNK_DESIGNS):
        chunk = wanted[start : start + CHUNK_DESIGNS]
        _store_files(chunk)
        added = _write_chunk(workspace, chunk, categories=categories, user_id=owner)
        counts = [a + b for a, b in zip(counts, added, strict=True)]
    indexed = search_rebuild(workspace=workspace)
    return [
        f"library: {counts[0]} designs, {counts[1]} variants, {counts[2]} versions added "
        f"({indexed} designs in the search index)"
    ]


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


def _store_files(chunk: list[DesignSpec]) -> None:
    """Each version's G-code under its content address, plus its Blob row (as blob_put would)."""
    files: dict[str, bytes] = {}
    for design in chunk:
        for variant in design.variants:
            for version in variant.versions:
                version.sha256 = hashlib.sha256(version.gcode).hexdigest()
                files[version.sha256] = version.gcode
                version.picture_sha256 = hashlib.sha256(version.picture).hexdigest()
                files[version.picture_sha256] = version.picture
    known = set(
        Blob.objects.filter(sha256__in=list(files)).values_list("sha256", flat=True).iterator()
    )
    new = []
    for sha256, data in files.items():
        if sha256 in known:
            continue
        key = blob_storage_key(sha256)
        if not default_storage.exists(key):
            default_storage.save(key, ContentFile(data))
        media_type = "image/png" if data.startswith(b"\x89PNG") else "text/x-gcode"
        new.append(
            Blob(sha256=sha256, size_bytes=len(data), storage_key=key, media_type=media_type)
        )
    Blob.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)


@transaction.atomic
def _write_chunk(
    workspace: Workspace,
    chunk: list[DesignSpec],
    *,
    categories: dict[str, Category],
    user_id: int | None,
) -> tuple[int, int, int]:
    blob_ids = dict(
        Blob.objects.filter(
            sha256__in=[
                sha
                for d in chunk
                for va in d.variants
                for v in va.versions
                for sha in (v.sha256, v.picture_sha256)
            ]
        ).values_list("sha256", "id")
    )
    designs = Design.objects.bulk_create(
        [
            Design(
                workspace=workspace,
                name=spec.name,
                designer=spec.designer,
                licence=spec.licence,
                category=categories[spec.category],
                description=spec.description,
                created_by_id=user_id,
            )
            for spec in chunk
        ]
    )
    # auto_now(_add) ignores given values on insert; spread the dates for "newest" afterwards.
    for design, spec in zip(designs, chunk, strict=True):
        design.created_at = design.updated_at = spec.created_at
    Design.objects.bulk_update(designs, ["created_at", "updated_at"], batch_size=250)

    tags = {
        name: Tag.objects.get_or_create(workspace=workspace, name=name)[0]
        for name in sorted({t for spec in chunk for t in spec.tags})
    }
    Design.tags.through.objects.bulk_create(
        [
            Design.tags.through(design_id=design.pk, tag_id=tags[name].pk)
            for design, spec in zip(designs, chunk, strict=True)
            for name in spec.tags
        ]
    )
    variant_specs = [(design, v) for design, spec in zip(designs, chunk, strict=True)
                     for v in spec.variants]  # fmt: skip
    variants = Variant.objects.bulk_create(
        [Variant(workspace=workspace, design=design, name=v.name) for design, v in variant_specs]
    )
    version_rows = []
    for variant, (_, spec) in zip(variants, variant_specs, strict=True):
        for number, version in enumerate(spec.versions, start=1):
            row = VariantVersion(
                workspace=workspace,
                variant=variant,
                number=number,
                blob_id=blob_ids[version.sha256],
                thumbnail_id=blob_ids[version.picture_sha256],
                original_name=version.original_name,
                change_note=version.change_note,
                metadata=version.metadata,
                uploaded_by_id=user_id,
            )
            _fill_fast_columns(row)
            version_rows.append(row)
    versions = VariantVersion.objects.bulk_create(version_rows, batch_size=1000)
    catalogue = FilamentCatalogue(workspace=workspace)
    FilamentUsage.objects.bulk_create(
        [row for version in versions for row in filament_usage_rows(version, catalogue=catalogue)],
        batch_size=1000,
    )
    # The newest version of each variant is the one it prints by default.
    Variant.objects.filter(pk__in=[v.pk for v in variants]).update(
        default_version=Subquery(
            VariantVersion.objects.filter(variant=OuterRef("pk"))
            .order_by("-number")
            .values("pk")[:1]
        )
    )
    return len(designs), len(variants), len(versions)


def _fill_fast_columns(version: VariantVersion) -> None:
    """The flat columns, as the library's upload service fills them from metadata."""
    meta = version.metadata
    version.file_format = meta["format"]
    version.slicer_name = meta["slicer"]["name"]
    version.printer_model = meta["printer_model"]
    version.nozzle_diameter_mm = meta["nozzle_diameter_mm"]
    version.layer_height_mm = meta["layer_height_mm"]
    version.print_seconds = meta["print_time_s"]
    version.filament_grams = meta["total_filament_g"]
