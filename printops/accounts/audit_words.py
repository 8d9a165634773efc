"""How people read the audit trail: "queued a print job", not `print_job.queued`.

Every verb a service records has its sentence here (tests/accounts/test_audit_words.py checks
the code for verbs without one); an unknown verb still reads as words ("weighed a spool").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format

VERB_SENTENCES: dict[str, str] = {
    # accounts
    "workspace.created": "created the workspace",
    "workspace.updated": "changed the workspace settings",
    "invitation.created": "invited someone",
    "invitation.accepted": "accepted an invitation",
    "invitation.revoked": "revoked an invitation",
    "membership.role_changed": "changed a member's role",
    "membership.workstation_changed": "changed whether a member is a shared workstation",
    "membership.removed": "removed a member",
    "membership.set_by_cli": "set a membership from the command line",
    "api_token.created": "created an API token",
    "api_token.revoked": "revoked an API token",
    # materials
    "vendor.created": "added a vendor",
    "vendor.updated": "edited a vendor",
    "filament.created": "added a filament",
    "filament.updated": "edited a filament",
    "filament_alias.saved": "remembered which filament a file's filament is",
    "spool.created": "added a spool",
    "spool.updated": "edited a spool",
    "spool.moved": "moved a spool",
    "spool.weighed": "weighed a spool",
    "spool.consumed": "took filament from a spool",
    "spool.marked_empty": "marked a spool empty",
    "spool.archived": "archived a spool",
    "spool.ledger_rebuilt": "rebuilt a spool's ledger",
    "filament_order.created": "ordered filament",
    "filament_order.received": "received a filament order",
    "low_stock_digest.subscribed": "subscribed to the low-stock e-mail",
    "low_stock_digest.unsubscribed": "unsubscribed from the low-stock e-mail",
    "materials.vendors_imported": "imported vendors",
    "materials.filaments_imported": "imported filaments",
    "materials.spools_imported": "imported spools",
    "materials.spoolman_imported": "imported from Spoolman",
    # library
    "design.created": "added a model",
    "design.updated": "edited a model",
    "design.deleted": "deleted a model",
    "design.file_added": "added a file to a model",
    "design.image_added": "added a picture to a model",
    "design.image_removed": "removed a picture from a model",
    "design.primary_image_set": "chose a model's main picture",
    "category.created": "added a category",
    "category.deleted": "deleted a category",
    "variant.created": "added a variant",
    "variant.renamed": "renamed a variant",
    "variant.default_version_set": "chose a variant's default version",
    "version.uploaded": "uploaded a version",
    "version.moved": "moved a version",
    "version.corrected": "corrected a version's values",
    "version.deleted": "deleted a version",
    "filament_usage.confirmed": "confirmed which filament a file uses",
    "filament_usage.created_filament": "added a filament from a file",
    "filament_usage.rematched": "matched a file's filaments again",
    "import.queued": "started a folder import",
    "import.finished": "finished a folder import",
    "import.resumed": "resumed an interrupted folder import",
    # production
    "printer.created": "added a printer",
    "printer.updated": "edited a printer",
    "printer.status_changed": "changed a printer's status",
    "printer.slot_loaded": "loaded a spool into a printer",
    "printer.maintenance_logged": "logged printer maintenance",
    "print_job.queued": "queued a print job",
    "print_job.moved": "moved a print job in the queue",
    "print_job.started": "started a print job",
    "print_job.completed": "completed a print job",
    "print_job.failed": "marked a print job failed",
    "print_job.cancelled": "cancelled a print job",
    "print_job.requeued": "queued a failed print job again",
    "print_job.spool_switched": "switched a print job's spool",
    "print_queue.reordered": "reordered the print queue",
    "print_queue.gathered": "gathered jobs that share a filament",
}


def verb_sentence(verb: str) -> str:
    """The verb as the rest of a sentence whose subject is the actor."""
    if verb in VERB_SENTENCES:
        return VERB_SENTENCES[verb]
    noun, _, action = verb.rpartition(".")
    action, noun = action.replace("_", " "), noun.replace("_", " ")
    if not noun:
        return action
    article = "an" if noun[:1] in "aeiou" else "a"
    return f"{action} {article} {noun}"


def object_type_label(model_name: str) -> str:
    """An event's object type (a model's `model_name`, e.g. "filamentalias") in words."""
    for model in apps.get_models():
        if model._meta.model_name == model_name:
            return str(model._meta.verbose_name)
    return model_name.replace("_", " ")


def field_label(name: str) -> str:
    """A before/after key as words: "remaining_grams" → "remaining grams"."""
    return name.removesuffix("_id").replace("_", " ")


# Verb prefixes that are not one kind of object, or whose plural is not noun + "s".
_GROUPS = {
    "print_queue": "The print queue",
    "materials": "Imports into materials",
    "import": "Folder imports",
    "low_stock_digest": "Low-stock e-mails",
    "category": "Categories",
    "filament_usage": "Filaments in files",
    "filament_alias": "Remembered filament names",
    "api_token": "API tokens",
}


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def audit_verb_choices(verbs: list[str]) -> list[tuple[str, str]]:
    """Filter choices for the verbs a workspace has: each kind of object (any action on it: the
    verb prefix, e.g. "print_job.") and then each action, in words."""
    groups = sorted({verb.rpartition(".")[0] for verb in verbs if "." in verb})
    choices = [
        (f"{g}.", f"{_GROUPS.get(g) or _capfirst(g.replace('_', ' ')) + 's'}: any action")
        for g in groups
    ]
    choices += sorted(((v, _capfirst(verb_sentence(v))) for v in verbs), key=lambda c: c[1])
    return choices


def object_type_choices(model_names: list[str]) -> list[tuple[str, str]]:
    """Filter choices for the object types a workspace's events name, in words, sorted."""
    labels = ((name, _capfirst(object_type_label(name))) for name in model_names)
    return sorted(labels, key=lambda choice: choice[1])


def field_value(value: Any) -> Any:
    """A before/after value as the rest of the UI writes it: ISO dates and times as dates."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "DATETIME_FORMAT")
    return value
