from __future__ import annotations

from django import template

from printops.library.presenters import duration as _duration

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    return _duration(seconds)


@register.filter
def grams(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} g"
