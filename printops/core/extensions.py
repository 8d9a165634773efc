"""Extension points: how a lower app gets data only a higher app has, without importing it.

Apps import downwards only (ARCHITECTURE §2, enforced by import-linter). Where a lower app truly
needs a higher one's data — the shopping list needs the queue's demand, the weigh-in report
needs printer names, a new workspace needs each app's defaults — the lower app declares an
`ExtensionPoint` with the signature it will call, and the higher app fills it in its
`AppConfig.ready()`:

    # materials/extensions.py (the lower app declares)
    projected_demand: ExtensionPoint[ProjectedDemand] = ExtensionPoint(
        "materials.projected_demand", "grams per filament that planned work will take",
        expected_from=("production",),
    )

    # production/apps.py (the higher app provides)
    def ready(self):
        from printops.materials.extensions import projected_demand
        projected_demand.provide(queue_demand, app="production")

Unlike a dotted string in settings, the provider is a real import (import-linter sees it,
mypy checks its signature against the point's Protocol), and a system check fails at start-up
when an installed app that is expected to provide has not (`printops.core.E001`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.core import checks

Provider = TypeVar("Provider")

_POINTS: list[ExtensionPoint[Any]] = []


class ExtensionPoint(Generic[Provider]):
    """Providers of one kind, in the order the apps registered them (INSTALLED_APPS order)."""

    def __init__(self, name: str, what: str, *, expected_from: tuple[str, ...] = ()) -> None:
        self.name = name
        self.what = what
        # App labels that must provide when installed: their absence is a start-up error.
        self.expected_from = expected_from
        self._providers: list[tuple[str, Provider]] = []
        _POINTS.append(self)

    def provide(self, provider: Provider, *, app: str) -> None:
        """Register `provider` on behalf of the app labelled `app`; registering the same
        provider twice (a second `ready()` in tests) keeps one."""
        if (app, provider) not in self._providers:
            self._providers.append((app, provider))

    def providers(self) -> list[Provider]:
        return [provider for _, provider in self._providers]

    def provided_by(self) -> set[str]:
        return {app for app, _ in self._providers}

    @contextmanager
    def replaced(self, *providers: Provider) -> Iterator[None]:
        """Only these providers for the duration (tests: a fake queue, or none at all)."""
        saved = self._providers
        self._providers = [("test", provider) for provider in providers]
        try:
            yield
        finally:
            self._providers = saved

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self._providers)} providers>"


def extension_points() -> list[ExtensionPoint[Any]]:
    return list(_POINTS)


@checks.register()
def check_expected_providers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """An installed app that an extension point expects to provide and has not: an error, so a
    missing `provide()` fails `manage check` and start-up instead of a page at run time."""
    problems: list[checks.CheckMessage] = []
    for point in _POINTS:
        for label in point.expected_from:
            if apps.is_installed(f"printops.{label}") and label not in point.provided_by():
                problems.append(
                    checks.Error(
                        f"printops.{label} is installed but provides nothing to {point.name} "
                        f"({point.what}).",
                        hint=f"Call {point.name}.provide(...) in its AppConfig.ready().",
                        id="printops.core.E001",
                    )
                )
    return problems
