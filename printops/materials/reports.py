"""The weigh-in reconciliation report: how far the recorded use of filament is from the scale.

A weigh-in's variance (measured − expected grams) is what the ledger got wrong since the spool
was last weighed (or added). It is shared among the uses recorded on that spool in between, in
proportion to their grams, so a source that under-reports — one printer whose slicer profile
says 40 g where 46 g go, or manual notes that are always rounded down — collects the negative
variance, month by month. A weigh-in with no recorded use in between counts as "no recorded use":
filament went somewhere the ledger never heard of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from printops.accounts.models import Workspace
from printops.materials import extensions
from printops.materials.models import Filament, SpoolLedgerEntry

Reason = SpoolLedgerEntry.Reason
USE_REASONS = (Reason.PRINT, Reason.FAILED_PRINT, Reason.ADJUSTMENT)
NO_RECORDED_USE = "No recorded use"
GROUPINGS = ("source", "printer", "filament")
MONTH_CHOICES = (3, 6, 12, 24)
_SOURCE_LABELS = {
    Reason.PRINT: "Prints",
    Reason.FAILED_PRINT: "Failed prints",
    Reason.ADJUSTMENT: "Manual use",
}


@dataclass
class VarianceLine:
    """One source (or printer, or filament): recorded use and the variance weigh-ins found."""

    label: str
    weigh_ins: int = 0
    recorded_grams: Decimal = Decimal("0")
    variance_grams: Decimal = Decimal("0")
    by_month: dict[date, Decimal] = field(default_factory=dict)

    @property
    def variance_percent(self) -> Decimal | None:
        """Variance as a share of the recorded use: −12 means 12 % more went than was recorded."""
        if not self.recorded_grams:
            return None
        return (self.variance_grams / self.recorded_grams * 100).quantize(Decimal("0.1"))


@dataclass
class VarianceReport:
    grouping: str
    months: list[date]
    lines: list[VarianceLine]
    weigh_ins: int

    @property
    def total_variance_grams(self) -> Decimal:
        return sum((line.variance_grams for line in self.lines), Decimal("0"))


def _month(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def _months_back(today: date, months: int) -> list[date]:
    out = [date(today.year, today.month, 1)]
    while len(out) < months:
        first = out[-1]
        out.append(date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1))
    return out[::-1]


def _printer_names(*, workspace: Workspace, print_job_ids: set[int]) -> dict[int, str]:
    """Printer names per print job, from production (one layer up) through
    `extensions.printer_names`."""
    names: dict[int, str] = {}
    if not print_job_ids:
        return names
    for provider in extensions.printer_names.providers():
        names.update(provider(workspace=workspace, print_job_ids=print_job_ids))
    return names


def _labeller(
    grouping: str, *, workspace: Workspace, rows: list[dict[str, Any]]
) -> Callable[[dict[str, Any]], str]:
    if grouping == "printer":
        jobs = {r["print_job_id"] for r in rows if r["print_job_id"] is not None}
        printers = _printer_names(workspace=workspace, print_job_ids=jobs)

        def by_printer(row: dict[str, Any]) -> str:
            if row["reason"] == Reason.ADJUSTMENT:
                return "Manual use"
            return printers.get(row["print_job_id"] or 0, "Printer not recorded")

        return by_printer
    if grouping == "filament":
        ids = {r["spool__filament_id"] for r in rows}
        filaments = {
            f.pk: str(f)
            for f in Filament.objects.filter(workspace=workspace, pk__in=ids).select_related(
                "vendor"
            )
        }
        return lambda row: filaments.get(row["spool__filament_id"], "?")
    return lambda row: _SOURCE_LABELS.get(row["reason"], row["reason"])


def weigh_in_variance(
    *, workspace: Workspace, months: int = 6, grouping: str = "source"
) -> VarianceReport:
    """Variance found by the weigh-ins of the last `months` calendar months, shared among the
    uses recorded before each, grouped by source, printer or filament. Two queries (three by
    printer), then one pass in Python."""
    if grouping not in GROUPINGS:
        raise ValueError(f"grouping must be one of {GROUPINGS}")
    month_list = _months_back(timezone.localdate(), months)
    start = timezone.make_aware(datetime.combine(month_list[0], datetime.min.time()))
    weighed_spools = SpoolLedgerEntry.objects.filter(
        workspace=workspace, reason=Reason.WEIGH_IN, created_at__gte=start
    ).values("spool_id")
    # values() rows are plain dicts; the stubs' TypedDict is not a dict[str, Any] to mypy.
    rows = cast(
        list[dict[str, Any]],
        list(
            SpoolLedgerEntry.objects.filter(workspace=workspace, spool_id__in=weighed_spools)
            .order_by("spool_id", "created_at", "pk")
            .values(
                "spool_id", "spool__filament_id", "reason", "grams", "print_job_id", "created_at"
            )
        ),
    )
    label_of = _labeller(grouping, workspace=workspace, rows=rows)
    lines: dict[str, VarianceLine] = {}
    weigh_ins = 0
    for spool_rows in _per_spool(rows):
        since_weighing: list[dict[str, Any]] = []
        for row in spool_rows:
            if row["reason"] in USE_REASONS:
                since_weighing.append(row)
                continue
            if row["reason"] != Reason.WEIGH_IN:
                continue
            if row["created_at"] >= start:
                weigh_ins += 1
                _share(row, since_weighing, lines, label_of)
            since_weighing = []
    ordered = sorted(lines.values(), key=lambda line: (line.variance_grams, line.label))
    return VarianceReport(grouping=grouping, months=month_list, lines=ordered, weigh_ins=weigh_ins)


def _per_spool(rows: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    current: list[dict[str, Any]] = []
    for row in rows:
        if current and current[-1]["spool_id"] != row["spool_id"]:
            yield current
            current = []
        current.append(row)
    if current:
        yield current


def _share(
    weigh_in: dict[str, Any],
    uses: list[dict[str, Any]],
    lines: dict[str, VarianceLine],
    label_of: Callable[[dict[str, Any]], str],
) -> None:
    variance = weigh_in["grams"]
    month = _month(weigh_in["created_at"])
    used: defaultdict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    for row in uses:
        used[label_of(row)] += -row["grams"]
    total = sum(used.values(), Decimal("0"))
    if not total:
        used = defaultdict(lambda: Decimal("0"), {NO_RECORDED_USE: Decimal("0")})
    for label, grams in used.items():
        part = variance * grams / total if total else variance
        line = lines.setdefault(label, VarianceLine(label=label))
        line.weigh_ins += 1
        line.recorded_grams += grams
        line.variance_grams += part.quantize(Decimal("0.01"))
        line.by_month[month] = line.by_month.get(month, Decimal("0")) + part.quantize(
            Decimal("0.01")
        )
