"""Telling the apps above materials that a workspace's filament catalogue changed.

The library matches the filaments of sliced files to the catalogue; it sits above materials
(ARCHITECTURE §2), so materials cannot call it. Instead it registers a listener here in its
`AppConfig.ready()`, and every service that adds or changes a filament or a vendor calls
`catalogue_changed`. Listeners run once per workspace after the transaction commits, so a
CSV import of 500 filaments tells them once, and a rolled-back change not at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

CatalogueListener = Callable[[int], None]
"""Called with the workspace id after its catalogue changed (and the change committed)."""

_listeners: list[CatalogueListener] = []


def catalogue_listen(listener: CatalogueListener) -> None:
    """Call `listener(workspace_id)` after every committed catalogue change (idempotent)."""
    if listener not in _listeners:
        _listeners.append(listener)


def catalogue_listeners() -> tuple[CatalogueListener, ...]:
    """The listeners registered so far (for system checks and tests)."""
    return tuple(_listeners)


def _notify(workspace_id: int) -> None:
    for listener in tuple(_listeners):
        listener(workspace_id)


def catalogue_changed(*, workspace_id: int) -> None:
    """Tell the listeners, once the current transaction commits, that this workspace's
    filaments or vendors changed. Several changes in one transaction tell them once."""
    connection = transaction.get_connection()
    # Django keeps the callbacks of the open transaction in run_on_commit as (savepoint ids,
    # callable, robust); one already waiting for this workspace is enough. A rolled-back
    # savepoint drops its callbacks, so a later change in the same transaction adds one again.
    for _savepoints, pending, _robust in connection.run_on_commit:
        if getattr(pending, "catalogue_workspace_id", None) == workspace_id and not getattr(
            pending, "done", False
        ):
            return

    def notify() -> None:
        notify.done = True  # type: ignore[attr-defined]  # (tests run callbacks in place)
        _notify(workspace_id)

    notify.catalogue_workspace_id = workspace_id  # type: ignore[attr-defined]
    transaction.on_commit(notify)
