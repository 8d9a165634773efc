"""printops.slicefile: cost must not grow with the file. Printed figures, never pass/fail.

    .venv/bin/python benchmarks/bench_slicefile.py

Builds 1 MB and 100 MB copies of real corpus files (a PrusaSlicer .gcode with its config at the
end, a Bambu .gcode.3mf) by padding the G-code body with moves, in a temporary folder that is
removed afterwards. Prints read() time per size and their ratio, the ratio against reading the
whole file, the whole `printops inspect` command, and filament_by_layer on 50 MB.
"""

from __future__ import annotations

import glob
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from printops.slicefile import read  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "files"
GCODE_SAMPLE = CORPUS / "prusaslicer" / "ps020801_mini_cube.gcode"
GCODE_3MF_SAMPLE = CORPUS / "bambu_studio" / "bs020400_a1mini.gcode.3mf"
MB = 1024 * 1024


def moves(size_bytes: int, seed: int = 1) -> bytes:
    """Plausible relative-extrusion moves (both samples use M83), varied enough that they do
    not compress to nothing."""
    generator = random.Random(seed)
    lines = []
    total = 0
    while total < size_bytes:
        line = (
            f"G1 X{generator.uniform(0, 250):.3f} Y{generator.uniform(0, 210):.3f}"
            f" E{generator.uniform(0.01, 0.2):.5f}\n"
        )
        lines.append(line)
        total += len(line)
    return "".join(lines).encode()


def padded_gcode(source: bytes, size_bytes: int) -> bytes:
    """`source` with moves inserted in the middle of its body, `size_bytes` long in total."""
    middle = source.find(b"\nG1 ", len(source) // 3)
    middle = middle + 1 if middle > 0 else len(source) // 2
    padding = moves(max(0, size_bytes - len(source)))
    return source[:middle] + padding + source[middle:]


def padded_3mf(source: Path, target: Path, size_bytes: int) -> None:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename.endswith("plate_1.gcode"):
                data = padded_gcode(data, size_bytes)
            copy.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def timed(action: Callable[[], object], repeat: int = 15) -> float:
    """Median wall time in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def whole_file(path: Path) -> None:
    """The naive baseline: every line of the file, as a full-scan reader would see it."""
    with open(path, "rb") as handle:
        for _line in handle:
            pass


def whole_member(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".gcode"):
                with archive.open(name) as member:
                    for _line in member:
                        pass


MOONRAKER_PATTERNS = (
    "/home/*/moonraker/moonraker/components/file_manager/metadata.py",
    "/opt/moonraker/moonraker/components/file_manager/metadata.py",
    "/work/*/moonraker/moonraker/components/file_manager/metadata.py",
    "/work/shared/*/moonraker*/**/metadata.py",
    "/tmp/moonraker*/**/metadata.py",
)


def moonraker_metadata() -> str | None:
    """A Moonraker snapshot in the usual places (a whole-disk search would take minutes)."""
    if os.environ.get("MOONRAKER_METADATA"):
        return os.environ["MOONRAKER_METADATA"]
    for pattern in MOONRAKER_PATTERNS:
        found = glob.glob(pattern, recursive=True)
        if found:
            return found[0]
    return None


def main() -> int:
    if not GCODE_SAMPLE.exists():
        print(f"corpus not found at {CORPUS}; nothing to measure")
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench_slicefile_"))
    try:
        print("printops.slicefile benchmark (median of 15 runs, in-process unless noted)")
        source = GCODE_SAMPLE.read_bytes()
        small, big = folder / "small.gcode", folder / "big.gcode"
        small.write_bytes(padded_gcode(source, 1 * MB))
        big.write_bytes(padded_gcode(source, 100 * MB))
        small3, big3 = folder / "small.gcode.3mf", folder / "big.gcode.3mf"
        padded_3mf(GCODE_3MF_SAMPLE, small3, 1 * MB)
        padded_3mf(GCODE_3MF_SAMPLE, big3, 100 * MB)
        for label, one, hundred, whole in (
            (".gcode", small, big, whole_file),
            (".gcode.3mf", small3, big3, whole_member),
        ):
            small_s = timed(lambda path=one: read(path))
            big_s = timed(lambda path=hundred: read(path))
            whole_s = timed(lambda path=hundred, reader=whole: reader(path), repeat=3)
            print(
                f"{label:11s} read 1 MB {small_s * 1000:6.2f} ms | 100 MB {big_s * 1000:6.2f} ms"
                f" | ratio 100/1 MB {big_s / small_s:4.2f} (target <= 1.5, < 20 ms)"
                f" | whole-file pass {whole_s * 1000:7.1f} ms = {whole_s / big_s:5.0f}x read()"
            )
        started = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "printops"), "inspect", str(big), "--json"],
            check=True,
            capture_output=True,
        )
        print(
            f"`printops inspect` on 100 MB .gcode, whole command: "
            f"{(time.perf_counter() - started) * 1000:.0f} ms (target < 500 ms)"
        )
        moonraker = moonraker_metadata()
        if moonraker:
            print(
                f"Moonraker metadata.py found at {moonraker}; compare by hand: python {moonraker}"
            )
        else:
            print("Moonraker metadata.py snapshot: not found on this machine (no comparison)")
        layers_file = folder / "fifty.gcode"
        layers_file.write_bytes(padded_gcode(source, 50 * MB))
        # In a child process, so its peak resident memory is its own.
        child = (
            "import sys, time\n"
            "from printops.slicefile import filament_by_layer\n"
            "started = time.perf_counter()\n"
            "usage = filament_by_layer(sys.argv[1])\n"
            "seconds = time.perf_counter() - started\n"
            "status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
            "peak = int(status.split()[0]) / 1024\n"
            "print(f'{seconds:.2f} {peak:.0f} {len(usage.layers)} {sum(usage.total_grams):.1f}')\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", child, str(layers_file)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        seconds_text, peak_mb, layer_count, grams = result.stdout.split()
        print(
            f"filament_by_layer on 50 MB: {seconds_text} s (target < 3 s), peak RSS {peak_mb} MB"
            f" (flat: it streams 1 MB chunks), {layer_count} layers, {grams} g"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
