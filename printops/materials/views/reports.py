"""The weigh-in reconciliation report page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from printops.accounts.decorators import workspace_required
from printops.accounts.request import WorkspaceRequest
from printops.materials import reports

GROUPING_LABELS = {"source": "By source", "printer": "By printer", "filament": "By filament"}


@workspace_required
def weigh_in_report(request: WorkspaceRequest) -> HttpResponse:
    grouping = request.GET.get("by", "source")
    if grouping not in reports.GROUPINGS:
        grouping = "source"
    months_raw = request.GET.get("months", "6")
    months = int(months_raw) if months_raw.isdigit() else 6
    if months not in reports.MONTH_CHOICES:
        months = 6
    report = reports.weigh_in_variance(
        workspace=request.workspace,
        months=months,
        grouping=grouping,
    )
    rows = [(line, [line.by_month.get(month) for month in report.months]) for line in report.lines]
    return render(
        request,
        "materials/weigh_in_report.html",
        {
            "report": report,
            "rows": rows,
            "grouping": grouping,
            "groupings": GROUPING_LABELS.items(),
            "months": months,
            "month_choices": reports.MONTH_CHOICES,
        },
    )
