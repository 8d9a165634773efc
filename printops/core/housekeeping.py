"""Sweeps that clear what crashes and abandoned work leave behind, at start-up and daily.

Each app registers its sweeps in its `AppConfig.ready()` (core knows no app above it). Every
sweep is idempotent and only touches what is older than a grace period, so several servers or
workers may run them at the same time. `printops worker` (and so `printops serve` with its
in-process worker) runs the start-up sweeps before taking tasks, then, in a background thread,
every sweep at once and again each time its interval has passed (daily unless it says hourly);
`printops manage housekeeping` runs them all by hand or from cron.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)

WAKE_SECONDS = 3600
UPLOAD_TEMP_GRACE = timedelta(hours=1)


@dataclass(frozen=True)
class Sweep:
    """One clean-up: `run()` returns how many things it removed or changed."""

    name: str
    run: Callable[[], int]
    at_startup: bool = True
    every_hours: int = 24


_sweeps: list[Sweep] = []


def sweep_register(
    *, name: str, run: Callable[[], int], at_startup: bool = True, every_hours: int = 24
) -> None:
    """Add a sweep (once per name: a second registration replaces the first)."""
    _sweeps[:] = [sweep for sweep in _sweeps if sweep.name != name]
    _sweeps.append(Sweep(name=name, run=run, at_startup=at_startup, every_hours=every_hours))


def sweeps() -> tuple[Sweep, ...]:
    return tuple(_sweeps)


def housekeeping_run(
    *, startup: bool = False, only: Callable[[Sweep], bool] | None = None
) -> dict[str, int]:
    """Run every sweep (at start-up: those marked `at_startup`; else those `only` accepts); a
    sweep that fails is logged and the others still run. Returns the count per sweep."""
    counts: dict[str, int] = {}
    for sweep in sweeps():
        if (startup and not sweep.at_startup) or (only is not None and not only(sweep)):
            continue
        try:
            counts[sweep.name] = sweep.run()
        except Exception:  # one broken sweep (storage down) must not stop the others
            logger.exception("housekeeping: %s failed", sweep.name)
    cleared = {name: count for name, count in counts.items() if count}
    if cleared:
        logger.info(
            "housekeeping: %s", ", ".join(f"{name} {count}" for name, count in cleared.items())
        )
    return counts


def housekeeping_start_daily() -> threading.Thread:
    """A daemon thread that runs every sweep now, then each again when its interval has passed,
    for as long as the process lives (it wakes hourly)."""

    def loop() -> None:
        last_run: dict[str, float] = {}

        def due(sweep: Sweep) -> bool:
            now = time.monotonic()
            if now - last_run.get(sweep.name, -1e18) < sweep.every_hours * 3600 - 60:
                return False
            last_run[sweep.name] = now
            return True

        while True:
            close_old_connections()
            try:
                housekeeping_run(only=due)
            finally:
                close_old_connections()
            time.sleep(WAKE_SECONDS)

    thread = threading.Thread(target=loop, name="printops-housekeeping", daemon=True)
    thread.start()
    return thread


def upload_temp_files_sweep(*, older_than: timedelta = UPLOAD_TEMP_GRACE) -> int:
    """Delete Django's temporary upload files not written for `older_than`: a request that is
    still receiving its file keeps touching it, so only a killed request's file is this old."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for entry in os.scandir(folder):
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:  # finished (and deleted) by its request meanwhile
            continue
    return removed
