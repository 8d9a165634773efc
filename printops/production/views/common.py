"""What the production pages share: reading an id typed into a form, the scoped getters, and
coming back from an action with its sentence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme

from printops.accounts.request import WorkspaceRequest
from printops.core.errors import DomainError
from printops.production import selectors
from printops.production.models import Printer, PrintJob


def id_or_none(value: Any) -> int | None:
    """A whole number from a form or query value; None when it is blank or not a number."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def job_or_404(request: WorkspaceRequest, pk: int) -> PrintJob:
    return get_object_or_404(selectors.print_job_list(workspace=request.workspace), pk=pk)


def printer_or_404(request: WorkspaceRequest, pk: int) -> Printer:
    return get_object_or_404(selectors.printer_list(workspace=request.workspace), pk=pk)


def chosen_printer(request: WorkspaceRequest, raw: Any) -> Printer | None:
    """The printer a form chose by id; None for "any printer" (blank)."""
    pk = id_or_none(raw)
    return None if pk is None else printer_or_404(request, pk)


def report(request: HttpRequest, act: Callable[[], str]) -> None:
    """Run an action and put its sentence in the messages, or the refusal's."""
    try:
        sentence = act()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, sentence)


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (the queue, a filtered queue, a job page)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)
