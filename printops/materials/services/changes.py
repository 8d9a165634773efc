"""Changing a row's fields together with the audit event that records them, as every *update*
service of materials does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot


def fields_change(
    *,
    actor: Actor,
    verb: str,
    obj: models.Model,
    fields: tuple[str, ...],
    values: dict[str, Any],
    save: Callable[[], object],
) -> None:
    """Set `values` on `obj`, store them with `save`, and audit `fields` before and after, in
    the caller's transaction."""
    before = snapshot(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    save()
    audit_record(actor=actor, verb=verb, obj=obj, before=before, after=snapshot(obj, fields))
