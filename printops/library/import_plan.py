"""Planning a folder import: which files under a folder the import takes, and of what kind.

Pure reading of the disk, no database: `import_plan` walks a folder (iteratively, never following
links) and classifies what it finds; the import services then file each entry.

Where each kind of file goes:

- sliced files (.gcode .bgcode .gcode.3mf .3mf .ufp .gx) become versions through
  `version_upload`, grouped from their folder and file names;
- source meshes (.stl .obj .step .stp) become `DesignFile`s of the design with the suggested
  name, or of the design the sliced files in the same folder went to, or of a new design;
- images (.png .jpg .jpeg .webp) become `DesignImage`s of their folder's design (the first image
  of a design without one is primary); an image with no design to go to is skipped.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from printops.core.errors import InvalidInput

SLICED = "sliced"
MESH = "mesh"
IMAGE = "image"
# Longest suffix first: ".gcode.3mf" must win over ".3mf".
SUFFIX_KINDS = (
    (".gcode.3mf", SLICED),
    (".bgcode", SLICED),
    (".gcode", SLICED),
    (".3mf", SLICED),
    (".ufp", SLICED),
    (".gx", SLICED),
    (".stl", MESH),
    (".obj", MESH),
    (".step", MESH),
    (".stp", MESH),
    (".png", IMAGE),
    (".jpg", IMAGE),
    (".jpeg", IMAGE),
    (".webp", IMAGE),
)
KIND_ORDER = {SLICED: 0, MESH: 1, IMAGE: 2}
SYSTEM_NAMES = {"__macosx", "thumbs.db", "desktop.ini", "$recycle.bin", "system volume information"}
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class PlannedFile:
    path: str  # absolute path on disk
    relative_path: str  # "/"-separated, relative to the imported folder
    kind: str
    size_bytes: int

    @property
    def folder(self) -> str:
        return self.relative_path.rpartition("/")[0]

    @property
    def name(self) -> str:
        return self.relative_path.rpartition("/")[2]


@dataclass
class ImportPlan:
    files: list[PlannedFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # report lines for what is not imported


def file_kind(name: str) -> str | None:
    """ "sliced", "mesh", "image", or None for a file the import does not take."""
    lower = name.lower()
    for suffix, kind in SUFFIX_KINDS:
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return kind
    return None


def is_system_name(name: str) -> bool:
    """Hidden and system files (".DS_Store", "Thumbs.db", "~$x.docx") that an import skips."""
    return name.startswith(".") or name.startswith("~$") or name.lower() in SYSTEM_NAMES


def import_plan(*, root: str | os.PathLike[str]) -> ImportPlan:
    """Every importable file under `root`: sliced files first, then meshes, then images.

    Hidden and system files are left out silently; links (to files or folders) are never
    followed, so nothing outside `root` is read; other files are listed as ignored.
    """
    root_path = os.fspath(root)
    if not os.path.isdir(root_path):
        raise InvalidInput(f"There is no folder at {root_path}.")
    plan = ImportPlan()
    stack = [(root_path, "")]
    while stack:
        folder, relative = stack.pop()
        try:
            with os.scandir(folder) as entries:
                children = sorted(entries, key=lambda e: e.name.lower())
        except OSError as error:
            plan.ignored.append(f"ignored {relative or '.'}/: could not read: {error.strerror}")
            continue
        subfolders = []
        for entry in children:
            if is_system_name(entry.name):
                continue
            # Zips made on Windows may carry "Dragons\Large\x.gcode" as one name.
            child = f"{relative}/{entry.name}" if relative else entry.name
            child = child.replace("\\", "/")
            if entry.is_symlink():
                plan.ignored.append(f"ignored {child}: a link, not followed")
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append((entry.path, child))
            elif entry.is_file(follow_symlinks=False):
                kind = file_kind(entry.name)
                if kind is None:
                    plan.ignored.append(f"ignored {child}: not a sliced file, model or image")
                    continue
                size = entry.stat(follow_symlinks=False).st_size
                plan.files.append(PlannedFile(entry.path, child, kind, size))
        stack.extend(reversed(subfolders))
    plan.files.sort(key=lambda f: (KIND_ORDER[f.kind], f.relative_path.lower()))
    return plan


def file_sha256(path: str) -> str:
    """The file's sha256, read in pieces of CHUNK_BYTES."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def image_check(head: bytes, suffix: str) -> None:
    """Refuse an "image" whose bytes are not what its name says (pages show images inline)."""
    if suffix == ".png":
        ok = head.startswith(b"\x89PNG\r\n\x1a\n")
    elif suffix in (".jpg", ".jpeg"):
        ok = head.startswith(b"\xff\xd8\xff")
    else:
        ok = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if not ok:
        kind = {".png": "PNG", ".webp": "WebP"}.get(suffix, "JPEG")
        raise InvalidInput(f"this is not a {kind} image, whatever its name says.")
