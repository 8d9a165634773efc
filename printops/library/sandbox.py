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
import selectors
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MEMORY_LIMIT_BYTES = 768 * 1024 * 1024
CPU_LIMIT_SECONDS = 15
WALL_TIMEOUT_SECONDS = 20


class SandboxFailed(Exception):
    """The child crashed, ran out of memory or time; the message is a user-facing sentence."""


def _limit_resources(memory_bytes: int, cpu_seconds: int | None) -> None:
    """The child limits itself first thing (preexec_fn is unsafe in a threaded server)."""
    try:
        import resource
    except ImportError:  # Windows: the wall-clock timeout still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if cpu_seconds is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


Result = tuple[dict | None, bytes | None, str]
TIMEOUT_SENTENCE = "Reading the file took too long; it may be damaged."
CRASH_SENTENCE = "The file could not be read safely; it may be damaged or hostile."


def read_in_sandbox(path: str, out_dir: str) -> Result:
    """(metadata, thumbnail PNG, unreadable sentence) for the file at `path`.

    Inside `reusing_workers()` each thread keeps one long-lived child for many files
    (an import of 1 000 files saves ~70 ms of start-up per file); otherwise a child per file.
    """
    if _reuse.depth:
        worker = getattr(_reuse.local, "worker", None)
        if worker is None:
            worker = _reuse.local.worker = SandboxWorker()
            with _reuse.lock:
                _reuse.close_abandoned()
                _reuse.workers.append(worker)
        return worker.read(path, out_dir)
    return _read_once(path, out_dir)


def _read_once(path: str, out_dir: str) -> Result:
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
        return None, None, TIMEOUT_SENTENCE
    return _collect(out_dir, ok=completed.returncode == 0)


def _collect(out_dir: str, *, ok: bool) -> Result:
    out = Path(out_dir)
    if (out / "error.txt").exists():
        return None, None, (out / "error.txt").read_text(encoding="utf-8")[:500]
    if not ok or not (out / "metadata.json").exists():
        return None, None, CRASH_SENTENCE
    metadata = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    thumbnail = (out / "thumbnail.png").read_bytes() if (out / "thumbnail.png").exists() else None
    return metadata, thumbnail, ""


class SandboxWorker:
    """One long-lived child that reads files one after another, each under its own CPU limit
    and wall-clock timeout; a child that times out or dies is replaced for the next file, and
    so is one started under other limits than the module's current ones."""

    FILES_PER_CHILD = 500  # a fresh child now and then keeps memory from creeping

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._served = 0
        self._limits = (MEMORY_LIMIT_BYTES, CPU_LIMIT_SECONDS)
        self.thread = threading.current_thread()  # the only thread that reads with it

    def _start(self) -> subprocess.Popen[str]:
        self.close()
        self._limits = (MEMORY_LIMIT_BYTES, CPU_LIMIT_SECONDS)
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "printops.library.sandbox",
                "--serve",
                str(MEMORY_LIMIT_BYTES),
                str(CPU_LIMIT_SECONDS),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        self._served = 0
        return self._process

    def read(self, path: str, out_dir: str) -> Result:
        process = self._process
        if (
            process is None
            or process.poll() is not None
            or self._served >= self.FILES_PER_CHILD
            or self._limits != (MEMORY_LIMIT_BYTES, CPU_LIMIT_SECONDS)
        ):
            process = self._start()
        self._served += 1
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(f"{path}\t{out_dir}\n")
            process.stdin.flush()
        except OSError:
            self.close()
            return None, None, CRASH_SENTENCE
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=WALL_TIMEOUT_SECONDS):
                self.close()
                return None, None, TIMEOUT_SENTENCE
        answer = process.stdout.readline().strip()
        if answer != "done":  # the child died (memory or CPU limit, or a crash)
            self.close()
            return _collect(out_dir, ok=False)
        return _collect(out_dir, ok=True)

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


class _Reuse:
    def __init__(self) -> None:
        self.depth = 0
        self.lock = threading.Lock()
        self.local = threading.local()
        self.workers: list[SandboxWorker] = []

    def close_abandoned(self) -> None:
        """Close the children of threads that have ended (call with the lock held): inside a
        long block (the test suite keeps one open for its whole run) threads come and go."""
        for worker in [w for w in self.workers if not w.thread.is_alive()]:
            worker.close()
            self.workers.remove(worker)


_reuse = _Reuse()


@contextmanager
def reusing_workers() -> Iterator[None]:
    """Within this block, every thread reads files with one long-lived sandbox child."""
    with _reuse.lock:
        _reuse.depth += 1
    try:
        yield
    finally:
        with _reuse.lock:
            _reuse.depth -= 1
            if _reuse.depth == 0:
                finished, _reuse.workers = _reuse.workers, []
                _reuse.local = threading.local()
            else:
                _reuse.close_abandoned()
                finished = []
        for worker in finished:
            worker.close()


def _serve(cpu_seconds: int) -> int:
    """Child loop: one "PATH\tOUT_DIR" line in, "done" out, each file with fresh CPU time."""
    import resource

    for line in sys.stdin:
        path, _, out_dir = line.rstrip("\n").partition("\t")
        usage = resource.getrusage(resource.RUSAGE_SELF)
        allowed = int(usage.ru_utime + usage.ru_stime) + cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (allowed, resource.RLIM_INFINITY))
        _child(path, out_dir)
        sys.stdout.write("done\n")
        sys.stdout.flush()
    return 0


def _child(path: str, out_dir: str) -> int:
    from printops import slicefile  # after the limits, so parsing is covered by them

    out = Path(out_dir)
    try:
        # The largest thumbnail that decodes within the pixel limit, re-encoded at a bounded
        # size; the ones that fail are warnings in the metadata.
        metadata, png = slicefile.read_with_thumbnail(path)
    except slicefile.SliceFileError as error:
        (out / "error.txt").write_text(str(error), encoding="utf-8")
        return 0
    if png is not None:
        (out / "thumbnail.png").write_bytes(png)
    (out / "metadata.json").write_text(json.dumps(metadata.to_dict()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        _limit_resources(int(sys.argv[2]), None)
        sys.exit(_serve(int(sys.argv[3])))
    _limit_resources(int(sys.argv[3]), int(sys.argv[4]))
    sys.exit(_child(sys.argv[1], sys.argv[2]))
