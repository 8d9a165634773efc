"""What the library's services share: name checks, the size limit, finding or making a variant,
and refusing to delete what has been printed."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.core.errors import Conflict, InvalidInput
from printops.library.models import (
    Design,
    Variant,
    VariantVersion,
)

DESIGN_FIELDS = ("name", "designer", "licence", "source_url", "description")


CORRECTABLE_FIELDS = {
    "printer_model": str,
    "nozzle_diameter_mm": float,
    "layer_height_mm": float,
    "nozzle_temperature_c": int,
    "bed_temperature_c": int,
    "print_time_s": int,
    "total_filament_g": float,
}


def _clean_name(value: str, what: str, limit: int = 200) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"Give the {what} a name.", field=what)
    if len(value) > limit:
        raise InvalidInput(f"Keep the {what} name under {limit} characters.", field=what)
    return value


def _check_size(size_bytes: int) -> None:
    limit = settings.PRINTOPS_MAX_UPLOAD_BYTES
    if size_bytes > limit:
        raise InvalidInput(
            f"The file is {size_bytes / 1e6:.0f} MB; the largest allowed is {limit / 1e6:.0f} MB.",
            field="file",
        )
    if size_bytes == 0:
        raise InvalidInput("The file is empty.", field="file")


def _variant_get_or_create(*, actor: Actor, design: Design, name: str) -> Variant:
    name = _clean_name(name, "variant")
    variant = Variant.objects.filter(design=design, name__iexact=name).first()
    if variant is None:
        try:
            with transaction.atomic():
                variant = Variant.objects.create(
                    workspace=actor.workspace, design=design, name=name
                )
        except IntegrityError:  # created by a simultaneous upload
            return Variant.objects.get(design=design, name__iexact=name)
        audit_record(actor=actor, verb="variant.created", obj=variant, after={"name": name})
    return variant


def _delete_unless_printed(obj: Design | VariantVersion, *, what: str) -> None:
    """Delete, or refuse with a sentence when print jobs (a layer above) still point at it:
    their history and ledger rows must keep saying what was printed."""
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        raise Conflict(
            f"{what} print jobs in production, so it stays to keep their history; "
            f"upload a new version instead."
        ) from None
