"""Suggest design, variant and version from a file's path and metadata.

`Dragons/Large/dragon_large_PLA-red_v2.gcode.3mf` → design "Dragon", variant
"Large · PLA red", version 2. Pure functions: no database, easy to test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

SLICED_SUFFIXES = (".gcode.3mf", ".bgcode", ".gcode", ".3mf", ".ufp", ".gx")
MATERIALS = ("PLA", "PETG", "ABS", "ASA", "TPU", "PA", "PC", "PVA", "HIPS", "PLA+", "SILK")
SIZES = ("xs", "small", "medium", "large", "xl", "xxl", "mini", "big", "tiny", "huge")
COLOURS = (
    "red",
    "black",
    "white",
    "blue",
    "green",
    "yellow",
    "orange",
    "purple",
    "pink",
    "grey",
    "gray",
    "silver",
    "gold",
    "brown",
    "clear",
    "natural",
    "transparent",
)
VERSION_RE = re.compile(r"(?:^|[\s_\-.])v(?:er(?:sion)?)?[\s_\-.]?(\d{1,4})$", re.IGNORECASE)
NOISE_FOLDERS = {
    "gcode",
    "sliced",
    "stl",
    "stls",
    "files",
    "print",
    "prints",
    "exports",
    "output",
    "3mf",
    "bambu",
    "prusa",
    "cura",
    "orca",
}


@dataclass(frozen=True)
class Grouping:
    design: str
    variant: str
    version: int | None


def strip_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in (*SLICED_SUFFIXES, ".stl", ".obj", ".step", ".stp", ".zip"):
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0] if "." in name else name


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s_\-()\[\]+]+|(?<!\d)\.|\.(?!\d)", text) if w]


def _singular(word: str) -> str:
    if len(word) > 3 and word.lower().endswith("s") and not word.lower().endswith("ss"):
        return word[:-1]
    return word


def _title(words: list[str]) -> str:
    return " ".join(w if w.isupper() and len(w) > 1 else w.capitalize() for w in words)


def suggest_grouping(relative_path: str, metadata: dict[str, Any] | None = None) -> Grouping:
    """The design, variant and version a file most likely belongs to."""
    path = PurePosixPath(relative_path.replace("\\", "/"))
    stem = strip_suffix(path.name)
    version = None
    match = VERSION_RE.search(stem)
    if match:
        version = int(match.group(1))
        stem = stem[: match.start()]
    folders = [f for f in path.parts[:-1] if f.lower() not in NOISE_FOLDERS]
    stem_words = _words(stem)
    variant_folder_words = {w.lower() for f in folders[1:] for w in _words(f)}
    named = [
        w for w in stem_words if not _is_variant_word(w) and w.lower() not in variant_folder_words
    ]
    folder_words = (
        {w.lower() for w in _words(folders[0])} | {_singular(w).lower() for w in _words(folders[0])}
        if folders
        else set()
    )
    if folders and (
        not named
        or {w.lower() for w in named} <= folder_words
        or not folder_words & {w.lower() for w in named}
    ):
        # The file sits in a folder named after the design ("Dragons/dragon_large.gcode").
        design = _title([_singular(w) for w in _words(folders[0])])
        design_words = folder_words
    else:
        head = named[:5] or stem_words[:1]
        design = _title(head) if head else "Untitled"
        design_words = {w.lower() for w in head}
    variant_parts: list[str] = []
    for folder in folders[1:]:
        variant_parts.append(_title(_words(folder)))
    descriptors = [
        w
        for w in stem_words
        if w.lower() not in design_words
        and _singular(w).lower() not in design_words
        and w.lower() not in {p.lower() for p in variant_parts}
    ]
    sizes = [w for w in descriptors if w.lower() in SIZES]
    variant_parts += [_title([w]) for w in sizes if _title([w]) not in variant_parts]
    material_colour = [
        w.upper() if w.upper() in MATERIALS else w.lower()
        for w in descriptors
        if w.lower() not in SIZES
    ]
    material_colour += _from_metadata(metadata, material_colour)
    if material_colour:
        variant_parts.append(" ".join(material_colour))
    variant = " · ".join(variant_parts) or "Standard"
    return Grouping(design=design[:200] or "Untitled", variant=variant[:200], version=version)


MEASURE_RE = re.compile(r"^\d+(\.\d+)?(mm|h|m|g|min|%)?$", re.IGNORECASE)


def _is_variant_word(word: str) -> bool:
    lower = word.lower()
    return (
        lower in SIZES
        or lower in COLOURS
        or word.upper() in MATERIALS
        or bool(MEASURE_RE.match(word))
    )


def _from_metadata(metadata: dict[str, Any] | None, already: list[str]) -> list[str]:
    """The first filament's material when the name did not say it."""
    if not metadata or any(w.upper() in MATERIALS for w in already):
        return []
    filaments = metadata.get("filaments") or []
    material = (filaments[0].get("type") or "").upper() if filaments else ""
    return [material] if material else []
