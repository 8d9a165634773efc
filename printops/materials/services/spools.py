"""Spools and their grams ledger.

Grams change only through ledger rows. A spool's `remaining_grams` is the sum of its rows, kept
as a column for fast lists and changed in the same transaction as the row it follows.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import IntegrityError, transaction
from django.db.models import Sum

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.roles import Perm
from printops.core.errors import Conflict, InvalidInput, NeedsConfirmation, NotFound
from printops.core.fixed_sql import Columns, fetch
from printops.core.validation import clean_text
from printops.materials.models import (
    Filament,
    Spool,
    SpoolLedgerEntry,
)
from printops.materials.print_jobs import print_job_exists
from printops.materials.services.changes import fields_change
from printops.materials.services.inputs import (
    CONSUME_REASONS,
    LABEL_ALPHABET,
    LABEL_LENGTH,
    SPOOL_FIELDS,
    WEIGH_IN_RISE_TO_CONFIRM_GRAMS,
    Amount,
    _money,
    clean_grams,
)

# --- spools ----------------------------------------------------------------------------------


def _new_label_code() -> str:
    return "".join(secrets.choice(LABEL_ALPHABET) for _ in range(LABEL_LENGTH))


def _ledger_row(
    *,
    actor: Actor | None,
    spool: Spool,
    grams: Decimal,
    reason: str,
    note: str = "",
    expected_grams: Decimal | None = None,
    print_job_id: int | None = None,
) -> SpoolLedgerEntry:
    return SpoolLedgerEntry.objects.create(
        workspace_id=spool.workspace_id,
        spool=spool,
        grams=grams,
        reason=reason,
        actor=actor.user if actor else None,
        staff=actor.staff if actor else None,
        note=note,
        expected_grams=expected_grams,
        print_job_id=print_job_id,
    )


class SpoolDetails(TypedDict, total=False):
    """A spool's purchase details and place, as typed in; one left out is empty."""

    cost_paid: Amount | None
    purchase_date: date | None
    lot: str
    location: str
    opened_date: date | None


def _spool_values(details: SpoolDetails) -> dict[str, Any]:
    # A TypedDict is not checked when the code runs: a misspelt field from an untyped caller
    # is a programming error, as a wrong keyword argument is.
    unknown = set(details) - set(SpoolDetails.__annotations__)
    if unknown:
        raise TypeError(f"unknown spool fields: {sorted(unknown)}")
    purchase_date, opened_date = details.get("purchase_date"), details.get("opened_date")
    if purchase_date and opened_date and opened_date < purchase_date:
        raise InvalidInput("A spool cannot be opened before it was bought.", field="opened_date")
    return {
        "cost_paid": _money(details.get("cost_paid"), "cost paid", "cost_paid"),
        "purchase_date": purchase_date,
        "lot": clean_text(details.get("lot", ""), "lot", "lot", 80),
        "location": clean_text(details.get("location", ""), "location", "location", 80),
        "opened_date": opened_date,
    }


def spool_create(
    *,
    actor: Actor,
    filament: Filament,
    initial_grams: Amount | None = None,
    remaining_grams: Amount | None = None,
    **details: Unpack[SpoolDetails],
) -> Spool:
    """Add a spool of a filament (full unless `remaining_grams` says otherwise) with its
    new_spool ledger row and a label code unique in the workspace."""
    actor.require(Perm.MANAGE_STOCK)
    if filament.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose one of this workspace's filaments.", field="filament")
    initial = clean_grams(
        initial_grams if initial_grams not in (None, "") else filament.net_spool_grams,
        "initial weight",
        "initial_grams",
    )
    remaining = (
        clean_grams(remaining_grams, "remaining weight", "remaining_grams", allow_zero=True)
        if remaining_grams not in (None, "")
        else initial
    )
    if remaining > initial:
        raise InvalidInput(
            f"The remaining weight ({remaining} g) cannot be more than the initial weight "
            f"({initial} g).",
            field="remaining_grams",
        )
    values = _spool_values(details)
    with transaction.atomic():
        for attempt in range(5):
            try:
                with transaction.atomic():
                    spool = Spool.objects.create(
                        workspace=actor.workspace,
                        filament=filament,
                        initial_grams=initial,
                        remaining_grams=remaining,
                        label_code=_new_label_code(),
                        **values,
                    )
                break
            except IntegrityError:  # a label code already taken: 1 in ~10⁹ per existing spool
                if attempt == 4:
                    raise
        _ledger_row(
            actor=actor, spool=spool, grams=remaining, reason=SpoolLedgerEntry.Reason.NEW_SPOOL
        )
        audit_record(
            actor=actor,
            verb="spool.created",
            obj=spool,
            after={
                "filament": str(filament),
                "initial_grams": str(initial),
                "remaining_grams": str(remaining),
                **snapshot(spool, SPOOL_FIELDS),
            },
        )
    return spool


def spool_update(*, actor: Actor, spool: Spool, **details: Unpack[SpoolDetails]) -> Spool:
    """Replace a spool's purchase details and place (one left out is emptied); its grams
    change only through the ledger."""
    actor.require(Perm.MANAGE_STOCK)
    values = _spool_values(details)
    with transaction.atomic():
        fields_change(
            actor=actor,
            verb="spool.updated",
            obj=spool,
            fields=SPOOL_FIELDS,
            values=values,
            save=lambda: Spool.objects.filter(pk=spool.pk).update(**values),
        )
    return spool


_REMAINING = Columns("s", Spool, ["remaining_grams"])
# Use is the hottest write (every consume through the API, every completed print): written out
# once (printops.core.fixed_sql), it is compiled outside the write lock, not inside it, and
# RETURNING gives the grams left without a second query. SQLite ≥ 3.35 and PostgreSQL have it.
_SPOOL_USE_SQL = f"""
    UPDATE "{Spool._meta.db_table}" SET "remaining_grams" = "remaining_grams" - %s
    WHERE "id" = %s AND NOT "archived" AND "remaining_grams" >= %s
    RETURNING "remaining_grams"
"""  # noqa: S608 - names from the models, values as parameters


def spool_consume(
    *,
    actor: Actor,
    spool: Spool,
    grams: Amount,
    reason: str = SpoolLedgerEntry.Reason.PRINT,
    note: str = "",
    print_job_id: int | None = None,
) -> SpoolLedgerEntry:
    """Take grams off a spool with one ledger row.

    One conditional UPDATE (`remaining_grams - grams` where at least that much is left), so two
    consumptions at the same moment both count. Taking more than is left is refused, not floored
    at zero: the difference is a counting error someone should see, and a weigh-in corrects it.
    """
    actor.require(Perm.MANAGE_STOCK)
    if reason not in CONSUME_REASONS:
        raise InvalidInput(
            "Record use as a print, a failed print or an adjustment.", field="reason"
        )
    grams = clean_grams(grams, "amount used", "grams")
    note = clean_text(note, "note", "note", 500)
    if reason == SpoolLedgerEntry.Reason.ADJUSTMENT and not note:
        raise InvalidInput("Say why in a note: adjustments need a reason.", field="note")
    if print_job_id is not None and not print_job_exists(
        workspace=actor.workspace, print_job_id=print_job_id
    ):
        raise NotFound(
            f"There is no print job {print_job_id} in this workspace.", field="print_job_id"
        )
    with transaction.atomic():
        left = fetch(_SPOOL_USE_SQL, [grams, spool.pk, grams])
        if not left:
            current = Spool.objects.get(pk=spool.pk)
            if current.archived:
                raise Conflict(f"{spool} is archived; restore it before using it.")
            raise Conflict(
                f"Only {current.remaining_grams} g are left on {spool}, not {grams} g: "
                f"weigh it in to correct the count, or record less.",
                field="grams",
            )
        entry = _ledger_row(
            actor=actor,
            spool=spool,
            grams=-grams,
            reason=reason,
            note=note,
            print_job_id=print_job_id,
        )
        audit_record(
            actor=actor,
            verb="spool.consumed",
            obj=spool,
            after={"grams": str(grams), "reason": reason, "note": note},
        )
    spool.remaining_grams = _REMAINING.convert(left[0])[0]
    return entry


def _locked(spool: Spool) -> Spool:
    return Spool.objects.select_for_update().select_related("filament__vendor").get(pk=spool.pk)


def spool_weigh_in(
    *, actor: Actor, spool: Spool, gross_grams: Amount, note: str = "", confirm: bool = False
) -> SpoolLedgerEntry:
    """Set a spool to what the scale says: net = gross − the vendor's empty-spool weight.

    The ledger row holds the difference (the variance) and `expected_grams`, what the ledger
    said just before, so systematic under- or over-reporting shows up over time. A reading
    far above the ledger raises NeedsConfirmation unless `confirm` is set.
    """
    actor.require(Perm.MANAGE_STOCK)
    gross = clean_grams(gross_grams, "gross weight", "gross_grams")
    note = clean_text(note, "note", "note", 500)
    with transaction.atomic():
        locked = _locked(spool)
        if locked.archived:
            raise Conflict(f"{spool} is archived; restore it before weighing it.")
        empty = locked.filament.vendor.empty_spool_grams
        net = gross - empty
        if net < 0:
            raise InvalidInput(
                f"{gross} g is less than the empty spool alone ({empty} g, from the vendor "
                f"{locked.filament.vendor.name}): weigh the spool with its filament.",
                field="gross_grams",
            )
        expected = locked.remaining_grams
        if net - expected > WEIGH_IN_RISE_TO_CONFIRM_GRAMS and not confirm:
            raise NeedsConfirmation(
                f"The scale's {gross} g means {net} g of filament, {net - expected} g more than "
                f"the ledger's {expected} g. Check the reading and the empty spool weight "
                f"({empty} g); if it is right, confirm to record it.",
                field="confirm",
            )
        Spool.objects.filter(pk=spool.pk).update(remaining_grams=net)
        entry = _ledger_row(
            actor=actor,
            spool=locked,
            grams=net - expected,
            reason=SpoolLedgerEntry.Reason.WEIGH_IN,
            expected_grams=expected,
            note=note or f"Gross {gross} g − empty spool {empty} g",
        )
        audit_record(
            actor=actor,
            verb="spool.weighed",
            obj=spool,
            before={"remaining_grams": str(expected)},
            after={"remaining_grams": str(net), "gross_grams": str(gross)},
        )
    spool.remaining_grams = net
    return entry


def spool_mark_empty(*, actor: Actor, spool: Spool) -> SpoolLedgerEntry:
    """Bring a spool to 0 g with one marked_empty row for whatever the ledger still held."""
    actor.require(Perm.MANAGE_STOCK)
    with transaction.atomic():
        locked = _locked(spool)
        if locked.remaining_grams == 0:
            raise Conflict(f"{spool} is already empty.")
        Spool.objects.filter(pk=spool.pk).update(remaining_grams=0)
        entry = _ledger_row(
            actor=actor,
            spool=locked,
            grams=-locked.remaining_grams,
            reason=SpoolLedgerEntry.Reason.MARKED_EMPTY,
            expected_grams=locked.remaining_grams,
        )
        audit_record(
            actor=actor,
            verb="spool.marked_empty",
            obj=spool,
            before={"remaining_grams": str(locked.remaining_grams)},
            after={"remaining_grams": "0"},
        )
    spool.remaining_grams = Decimal("0")
    return entry


def spool_move(*, actor: Actor, spool: Spool, location: str) -> Spool:
    """Record where a spool now is (shelf, dry box, printer)."""
    actor.require(Perm.MANAGE_STOCK)
    location = clean_text(location, "location", "location", 80)
    with transaction.atomic():
        before = spool.location
        Spool.objects.filter(pk=spool.pk).update(location=location)
        spool.location = location
        audit_record(
            actor=actor,
            verb="spool.moved",
            obj=spool,
            before={"location": before},
            after={"location": location},
        )
    return spool


def spool_archive(*, actor: Actor, spool: Spool, archived: bool = True) -> Spool:
    """Archive a spool (out of lists and totals) or restore it; its ledger stays."""
    actor.require(Perm.MANAGE_STOCK)
    with transaction.atomic():
        Spool.objects.filter(pk=spool.pk).update(archived=archived)
        spool.archived = archived
        audit_record(
            actor=actor,
            verb="spool.archived" if archived else "spool.restored",
            obj=spool,
            after={"archived": archived},
        )
    return spool


def spool_ledger_rebuild(*, spool: Spool) -> Decimal:
    """Recompute a spool's `remaining_grams` from its ledger rows (the source of truth)."""
    with transaction.atomic():
        locked = Spool.objects.select_for_update().get(pk=spool.pk)
        total = SpoolLedgerEntry.objects.filter(spool=locked).aggregate(total=Sum("grams"))[
            "total"
        ] or Decimal("0")
        if total != locked.remaining_grams:
            Spool.objects.filter(pk=spool.pk).update(remaining_grams=total)
            audit_record(
                actor=None,
                workspace=locked.workspace,
                verb="spool.ledger_rebuilt",
                obj=locked,
                before={"remaining_grams": str(locked.remaining_grams)},
                after={"remaining_grams": str(total)},
            )
    spool.remaining_grams = total
    return total
