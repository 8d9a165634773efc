"""Run printops.slicefile in a child process with hard limits on memory and CPU time.

slicefile bounds its own work, but a parser bug on a hostile file must never take the web
worker with it: the child gets RLIMIT_AS and RLIMIT_CPU, and a wall-clock timeout. It imports
neither Django nor this package's Django modules, so it starts in ~60 ms.

Child protocol: `python -m printops.library.sandbox PATH OUT_DIR MEMORY_BYTES CPU_SECONDS`
writes OUT_DIR/metadata.json and, when the file has one, OUT_DIR/thumbnail.png; on an
unreadable file it writes OUT_DIR/error.txt with the sentence. Exit code 0 in all three cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

MEMORY_LIMIT_BYTES = 768 * 1024 * 1024
CPU_LIMIT_SECONDS = 15
WALL_TIMEOUT_SECONDS = 20


class SandboxFailed(Exception):
    """The child crashed, ran out of memory or time; the message is a user-facing sentence."""


def _limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    """The child limits itself first thing (preexec_fn is unsafe in a threaded server)."""
    try:
        import resource
    except ImportError:  # Windows: the wall-clock timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def read_in_sandbox(path: str, out_dir: str) -> tuple[dict | None, bytes | None, str]:  # type: ignore[type-arg]
    """(metadata, thumbnail PNG, unreadable sentence) for the file at `path`."""
    try:
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "printops.library.sandbox",
                path,
                out_dir,
                str(MEMORY_LIMIT_BYTES),
                str(CPU_LIMIT_SECONDS),
            ],
            capture_output=True,
            timeout=WALL_TIMEOUT_SECONDS,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
    except subprocess.TimeoutExpired:
        return None, None, "Reading the file took too long; it may be damaged."
    out = Path(out_dir)
    if (out / "error.txt").exists():
        return None, None, (out / "error.txt").read_text(encoding="utf-8")[:500]
    if completed.returncode != 0 or not (out / "metadata.json").exists():
        return None, None, "The file could not be read safely; it may be damaged or hostile."
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    thumbnail = (out / "thumbnail.png").read_bytes() if (out / "thumbnail.png").exists() else None
    return metadata, thumbnail, ""


def _child(path: str, out_dir: str) -> int:
    from printops import slicefile  # after the limits, so parsing is covered by them

    out = Path(out_dir)
    try:
        metadata = slicefile.read(path)
    except slicefile.SliceFileError as error:
        (out / "error.txt").write_text(str(error), encoding="utf-8")
        return 0
    data = metadata.to_dict()
    if metadata.thumbnails:
        largest = max(
            range(len(metadata.thumbnails)),
            key=lambda i: metadata.thumbnails[i].width * metadata.thumbnails[i].height,
        )
        try:
            _, png = slicefile.thumbnail_bytes(path, largest)
            (out / "thumbnail.png").write_bytes(png)
        except slicefile.SliceFileError as error:
            data.setdefault("warnings", []).append(f"thumbnail: {error}")
    (out / "metadata.json").write_text(json.dumps(data), encoding="utf-8")
    return 0


if __name__ == "__main__":
    _limit_resources(int(sys.argv[3]), int(sys.argv[4]))
    sys.exit(_child(sys.argv[1], sys.argv[2]))
