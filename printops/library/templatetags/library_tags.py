from __future__ import annotations

from typing import Any

from django import template

from printops.library.presenters import duration as _duration

register = template.Library()


@register.filter
def duration(seconds: int | None) -> str:
    return _duration(seconds)


@register.filter
def grams(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} g"


@register.filter
def colour_name(hex_colour: str | None) -> str:
    """The product's name for a "#RRGGBB" (materials.colour), "" for anything else."""
    from printops.materials.colour import colour_name as name

    try:
        return name(hex_colour or "")
    except ValueError:
        return ""


@register.filter
def material_label(code: str | None) -> str:
    """A material family as people write it ("OTHER" → "Other", "PA" → "PA (nylon)"); a
    slicer's own material name is shown as written."""
    from printops.materials.models import Material

    return Material(code).label if code in Material.values else (code or "")


@register.filter
def in_set(value: object, members: Any) -> bool:
    """`value|in_set:members` — for include's `with`, which takes no `in` expression."""
    try:
        return value in members
    except TypeError:
        return False
