"""How versions are shown: key parameters with units, and a version's JSON — the API's and the
upload page's, both built on one `version_identity`."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from printops.library.models import VariantVersion


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def signed_duration(seconds: int | None) -> str:
    """'+1 h 05 min', '−12 min', 'no change' or '' when unknown."""
    if seconds is None:
        return ""
    if seconds == 0:
        return "no change"
    return ("+" if seconds > 0 else "−") + duration(abs(seconds))


def _value(version: VariantVersion, field: str) -> Any:
    corrected = version.corrections.get(field)
    return corrected["value"] if corrected else version.metadata.get(field)


KEY_FIELDS = (
    ("Printer", "printer_model", "{}"),
    ("Nozzle", "nozzle_diameter_mm", "{:g} mm"),
    ("Layer height", "layer_height_mm", "{:g} mm"),
    ("Nozzle temperature", "nozzle_temperature_c", "{} °C"),
    ("Bed temperature", "bed_temperature_c", "{} °C"),
    ("Print time", "print_time_s", None),
    ("Filament", "total_filament_g", "{:.1f} g"),
)


def key_parameters(version: VariantVersion) -> list[dict[str, Any]]:
    """The values a person checks first, each with whether it was corrected by hand."""
    rows = []
    for label, field, pattern in KEY_FIELDS:
        value = _value(version, field)
        if field == "print_time_s":
            value = value if value is not None else version.print_seconds
            shown = duration(value)
        elif field == "total_filament_g":
            value = value if value is not None else version.filament_grams
            shown = pattern.format(value) if value is not None else "—"  # type: ignore[union-attr]
        else:
            shown = pattern.format(value) if value is not None else "—"  # type: ignore[union-attr]
        rows.append(
            {
                "label": label,
                "field": field,
                "shown": shown,
                "raw": value,
                "correction": version.corrections.get(field),
                "extracted": version.metadata.get(field),
            }
        )
    return rows


def geometry_rows(version: VariantVersion) -> list[dict[str, str]]:
    """Size (bounding box) and volume of a mesh, where the file let them be measured."""
    geometry = version.metadata.get("geometry") or {}
    rows = []
    size = geometry.get("size_mm")
    if isinstance(size, list) and len(size) == 3 and all(isinstance(v, (int, float)) for v in size):
        rows.append({"label": "Size", "shown": " × ".join(f"{v:.4g}" for v in size) + " mm"})
    volume = geometry.get("volume_cm3")
    if isinstance(volume, (int, float)):
        rows.append({"label": "Volume", "shown": f"{volume:.2f} cm³"})
    return rows


def version_identity(version: VariantVersion) -> dict[str, Any]:
    """What every JSON answer about a version starts with (the API's VersionOut and the upload
    page's rows): which file it is, where it sits, whether it could be read, its grams."""
    variant = version.variant
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.status,
        "unreadable_reason": version.unreadable_reason,
        "original_name": version.original_name,
        "design": {"id": variant.design_id, "name": variant.design.name},
        "variant": {"id": variant.pk, "name": variant.name},
        "filament_grams": version.filament_grams,
    }


def version_api_json(version: VariantVersion) -> dict[str, Any]:
    """A version for the API (`VersionOut`): its identity, its file, figures and corrections."""
    return {
        **version_identity(version),
        "change_note": version.change_note,
        "size_bytes": version.blob.size_bytes,
        "sha256": version.blob.sha256,
        "is_default": version.variant.default_version_id == version.pk,
        "print_seconds": version.print_seconds,
        "corrections": version.corrections,
        "metadata": version.metadata,
        "created_at": version.created_at,
    }


def version_json(version: VariantVersion) -> dict[str, Any]:
    """A version for the upload page's script: its identity, the time as words, and links."""
    return {
        **version_identity(version),
        "print_time": duration(version.print_seconds),
        "url": reverse("library:version", args=[version.pk]),
        "thumbnail_url": (
            reverse("library:thumbnail", args=[version.pk]) if version.thumbnail_id else None
        ),
        "move_url": reverse("library:version_move", args=[version.pk]),
    }
