"""The schedule drawn for the page: one lane per printer, each job a bar between its estimated
start and finish on a common time axis (`production.schedule` works out the times)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from printops.production.models import Printer, PrintJob
from printops.production.schedule import Schedule, ScheduledJob


@dataclass
class Bar:
    """One job on a printer's timeline, placed in percent of the time shown."""

    job: PrintJob | None
    entry: ScheduledJob
    left: float
    width: float
    # Written once here: 500 bars × three `|date` filters were most of the page's time.
    name: str = ""
    when: str = ""
    style: str = ""


@dataclass
class Lane:
    printer: Printer
    bars: list[Bar]
    free_at: datetime | None


@dataclass
class Timeline:
    start: datetime
    end: datetime
    lanes: list[Lane]
    ticks: list[tuple[float, datetime]]  # (percent from the left, time)


def schedule_lanes(
    *, schedule: Schedule, printers: list[Printer], jobs: dict[int, PrintJob]
) -> Timeline:
    """The schedule as one lane per printer, each job a bar between its estimated start and
    finish, on a common time axis from now to the last finish (at least an hour)."""
    start = schedule.now
    finishes = [e.finish for e in [*schedule.printing, *schedule.queued] if e.finish is not None]
    end = max([*finishes, start + timedelta(hours=1)])
    span = (end - start).total_seconds()
    by_printer: dict[int, list[Bar]] = {}
    for entry in [*schedule.printing, *schedule.queued]:
        if entry.printer_id is None or entry.start is None or entry.finish is None:
            continue
        left = max((entry.start - start).total_seconds(), 0) / span * 100
        width = max((entry.finish - max(entry.start, start)).total_seconds() / span * 100, 0.6)
        job = jobs.get(entry.job_id)
        width = min(width, 100 - left)
        begins, ends = timezone.localtime(entry.start), timezone.localtime(entry.finish)
        by_printer.setdefault(entry.printer_id, []).append(
            Bar(
                job=job,
                entry=entry,
                left=left,
                width=width,
                name=(
                    f"{job.version.variant.design.name} · {job.version.variant.name}"
                    if job
                    else f"Job #{entry.job_id}"
                ),
                when=f"{begins:%a %H:%M}–{ends:%H:%M}",
                style=f"left: {left:.2f}%; width: {width:.2f}%",
            )
        )
    lanes = [
        Lane(printer=p, bars=by_printer.get(p.pk, []), free_at=schedule.free_at.get(p.pk))
        for p in printers
    ]
    step = _tick_step(span)
    first = start.replace(minute=0, second=0, microsecond=0) + step
    ticks: list[tuple[float, datetime]] = []
    moment = first
    while moment < end and len(ticks) < 12:
        ticks.append(((moment - start).total_seconds() / span * 100, moment))
        moment += step
    return Timeline(start=start, end=end, lanes=lanes, ticks=ticks)


def _tick_step(span_seconds: float) -> timedelta:
    for hours in (1, 2, 3, 6, 12, 24, 48, 96, 168):
        if span_seconds / (hours * 3600) <= 8:
            return timedelta(hours=hours)
    return timedelta(days=14)
