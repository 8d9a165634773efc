"""Folder import: 1 000 files in under 60 s with flat memory. Printed figures, never pass/fail.

    .venv/bin/python benchmarks/bench_import.py [--files 1000]

Builds a Windows-style tree ("Designs/Dragon 7/Large/dragon 7 large v3.gcode", names with
spaces and accents, upper-case extensions) in a temporary folder: sliced files are copies of
real corpus G-code with one unique comment line appended (so every file has its own hash),
plus small PNG pictures and STL meshes. Imports it into a fresh SQLite database, then imports it
again to show the resume (skip) speed. Prints wall time, files/s, peak RSS and the ratio
against the 60 s target. Everything lives in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "files"
SAMPLES = (
    CORPUS / "prusaslicer" / "ps020101_mini_petg.gcode",
    CORPUS / "prusaslicer" / "ps020801_mini_cube.gcode",
    CORPUS / "cura" / "cura040400_evt.gcode",
    CORPUS / "orcaslicer" / "orca020101_trimmed.gcode",
)
TARGET_SECONDS = 60.0
SIZES = ("Large", "Small", "Mini")


def png(seed: int) -> bytes:
    """A tiny valid PNG whose pixel differs per seed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    pixel = bytes([0, seed % 256, (seed // 256) % 256, 7])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )


def stl(seed: int) -> bytes:
    size = 10 + seed % 50
    triangles = [
        ((0, 0, 0), (size, 0, 0), (0, size, 0)),
        ((0, 0, 0), (0, size, 0), (0, 0, size)),
        ((0, 0, 0), (0, 0, size), (size, 0, 0)),
        ((size, 0, 0), (0, 0, size), (0, size, 0)),
    ]
    header = f"bench {seed}".encode().ljust(80, b"\0")
    return (
        header
        + struct.pack("<I", len(triangles))
        + b"".join(struct.pack("<12fH", 0, 0, 0, *a, *b, *c, 0) for a, b, c in triangles)
    )


def build_tree(root: Path, files: int) -> dict[str, int]:
    samples = [p.read_bytes() for p in SAMPLES if p.exists()]
    if not samples:
        sys.exit(f"the corpus is missing at {CORPUS}")
    counts = {"sliced": 0, "image": 0, "mesh": 0}
    n = 0
    design = 0
    while n < files:
        design += 1
        folder = root / "Designs" / f"Dragón {design}"
        for size in SIZES:
            (folder / size).mkdir(parents=True, exist_ok=True)
            for version in (1, 2):
                if n >= files:
                    break
                data = samples[n % len(samples)] + f"\n; bench file {n}\n".encode()
                name = f"dragon {design} {size.lower()} v{version}.GCODE"
                (folder / size / name).write_bytes(data)
                counts["sliced"] += 1
                n += 1
        if n < files:
            (folder / f"photo {design}.PNG").write_bytes(png(design))
            counts["image"] += 1
            n += 1
        if n < files:
            (folder / f"dragon {design}.stl").write_bytes(stl(design))
            counts["mesh"] += 1
            n += 1
    (root / "Designs" / "Thumbs.db").write_bytes(b"windows litter")
    (root / "Designs" / "desktop.ini").write_bytes(b"windows litter")
    return counts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="printops-bench-import-"))
    try:
        os.environ["DJANGO_SETTINGS_MODULE"] = "printops.settings"
        os.environ["PRINTOPS_DATA_DIR"] = str(work / "data")
        os.environ["PRINTOPS_WORKER"] = "immediate"
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from printops.accounts.actor import Actor
        from printops.accounts.services import user_sign_up
        from printops.library.services import import_job_create, import_run

        membership = user_sign_up(
            email="bench@example.com",
            password="a long bench password 42",  # noqa: S106 - a throw-away database
            name="Bench",
            workspace_name="Bench Prints",
        )
        actor = Actor(user=membership.user, membership=membership, via="cli")
        tree = work / "My Library"
        counts = build_tree(tree, args.files)
        print(
            f"tree: {args.files} files ({counts['sliced']} sliced, {counts['image']} images, "
            f"{counts['mesh']} meshes) in {tree}"
        )
        rss_before = peak_rss_mb()
        samples: list[tuple[int, float]] = []

        def progress(job) -> None:
            samples.append((job.processed_files, peak_rss_mb()))

        for label in ("first import", "re-run (resume)"):
            job = import_job_create(actor=actor, name=tree.name)
            started = time.perf_counter()
            job = import_run(actor=actor, job=job, root=tree, on_progress=progress)
            seconds = time.perf_counter() - started
            print(
                f"{label}: {job.processed_files} files in {seconds:.1f} s "
                f"({job.processed_files / seconds:.0f} files/s) · imported {job.imported_files}, "
                f"skipped {job.skipped_files}, failed {job.failed_files} · "
                f"{seconds / TARGET_SECONDS:.2f}× the {TARGET_SECONDS:.0f} s target"
            )
        quarter = [rss for done, rss in samples if done >= args.files // 4][:1]
        print(
            f"peak RSS: {rss_before:.0f} MB before, {quarter[0] if quarter else 0:.0f} MB at a "
            f"quarter of the first import, {peak_rss_mb():.0f} MB at the end (flat = similar)"
        )
        unreadable = [line for line in job.report if "unreadable" in line][:3]
        if unreadable:
            print("unreadable samples:", *unreadable, sep="\n  ")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
