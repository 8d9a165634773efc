"""What a running import remembers: which design each folder's files went to (so meshes and
images can follow them), and which files the workspace already has (so a rerun skips them).
Reads only; the import services do the writing."""

from __future__ import annotations

import threading

from printops.accounts.models import Workspace
from printops.library.grouping import suggest_grouping
from printops.library.import_plan import PlannedFile
from printops.library.models import Design, DesignFile, DesignImage, VariantVersion


class FolderDesigns:
    """Which design each folder's files went to, so meshes and images can follow them."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.by_folder: dict[str, list[str]] = {}
        self.planned: set[str] = set()  # designs a dry run would create
        self.lock = threading.Lock()

    def note(self, folder: str, design_name: str) -> None:
        with self.lock:
            names = self.by_folder.setdefault(folder, [])
            if design_name.lower() not in {n.lower() for n in names}:
                names.append(design_name)

    def exists(self, name: str) -> bool:
        if name.lower() in self.planned:
            return True
        return Design.objects.filter(workspace=self.workspace, name__iexact=name).exists()

    def for_mesh(self, item: PlannedFile) -> str:
        guess = suggest_grouping(item.relative_path).design
        if self.exists(guess):
            return guess
        return self._near(item.folder) or guess

    def for_image(self, item: PlannedFile) -> str | None:
        guess = suggest_grouping(item.relative_path).design
        here = self.by_folder.get(item.folder, [])
        for name in here:
            if name.lower() == guess.lower():
                return name
        if item.folder:
            return self._near(item.folder) or guess
        return here[0] if here else None

    def _near(self, folder: str) -> str | None:
        """The design of this folder, else the one design below it, else the nearest above."""
        if self.by_folder.get(folder):
            return self.by_folder[folder][0]
        prefix = f"{folder}/" if folder else ""
        below = {
            name.lower(): name
            for key, names in self.by_folder.items()
            if key.startswith(prefix)
            for name in names
        }
        if len(below) == 1:
            return next(iter(below.values()))
        while folder:
            folder = folder.rpartition("/")[0]
            if folder and self.by_folder.get(folder):
                return self.by_folder[folder][0]
        return None


class KnownFiles:
    """The sha256 of every file already in the workspace's library, with what it is; files of
    this run claim their hash first, so two copies of one file are never filed twice."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.hashes: set[str] = set()
        for model in (VariantVersion, DesignFile, DesignImage):
            self.hashes.update(
                model.objects.filter(workspace=workspace).values_list("blob__sha256", flat=True)
            )
        self.labels: dict[str, str] = {}
        self.pending: dict[str, str] = {}
        self.lock = threading.Lock()

    def claim(self, sha256: str, relative_path: str) -> str | None:
        """None when this file is new (and now claimed), else what it already is."""
        with self.lock:
            if sha256 in self.labels:
                return self.labels[sha256]
            if sha256 in self.pending:
                return f"a copy of {self.pending[sha256]} in this import"
            if sha256 not in self.hashes:
                self.pending[sha256] = relative_path
                return None
        self.labels[sha256] = self._label(sha256)
        return self.labels[sha256]

    def settle(self, sha256: str, label: str | None) -> None:
        """Record what a claimed file became (None: it failed and may be tried again)."""
        with self.lock:
            self.pending.pop(sha256, None)
            if label is not None:
                self.hashes.add(sha256)
                self.labels[sha256] = label

    def _label(self, sha256: str) -> str:
        version = (
            VariantVersion.objects.select_related("variant__design")
            .filter(workspace=self.workspace, blob__sha256=sha256)
            .first()
        )
        if version is not None:
            return str(version)
        source = (
            DesignFile.objects.select_related("design")
            .filter(workspace=self.workspace, blob__sha256=sha256)
            .first()
        )
        if source is not None:
            return f"a source file of {source.design.name}"
        image = (
            DesignImage.objects.select_related("design")
            .filter(workspace=self.workspace, blob__sha256=sha256)
            .first()
        )
        return f"an image of {image.design.name}" if image is not None else "a library file"
