"""Importing filaments and spools (from a CSV file or from Spoolman): each row written through
the catalogue and spool services in its own savepoint, all rows in one transaction. A preview
runs the import and rolls everything back, so what it shows is exactly what *Import* will do;
*Import* keeps it only when no row has an error. Reading and checking the files is
`printops.materials.imports`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import DomainError, InvalidInput
from printops.materials import selectors
from printops.materials.imports.common import (
    _LABEL,
    FILAMENT_COLUMNS,
    ImportPlan,
    ImportRow,
    _bool,
    _date,
    _words,
)
from printops.materials.imports.csv_files import read_rows
from printops.materials.imports.spoolman import spoolman_rows
from printops.materials.models import Filament, Material, Spool, Vendor, filament_display_name
from printops.materials.services.filaments import filament_create, filament_update, vendor_create
from printops.materials.services.inputs import FILAMENT_FIELDS, SPOOL_FIELDS, clean_hex
from printops.materials.services.spools import spool_archive, spool_create, spool_update


class _Unchanged(Exception):
    """Rolls back a row's savepoint when the update changed nothing (no audit noise)."""


class _Preview(Exception):
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan


def _filament_for(workspace: Workspace, row: dict[str, str]) -> Filament | None:
    """The filament a row names: vendor, material, product line (when the file has the column:
    "Matte" and "Basic" Black are two filaments) and colour name (the hex when no name)."""
    filaments = selectors.filament_list(workspace=workspace).filter(
        vendor__name__iexact=_words(row.get("vendor", "")),
        material=_words(row.get("material", "")).upper() or Material.PLA,
    )
    if "product_line" in row:
        filaments = filaments.filter(product_line__iexact=_words(row["product_line"]))
    colour = _words(row.get("colour_name", ""))
    if colour:
        filaments = filaments.filter(colour_name__iexact=colour)
    else:
        filaments = filaments.filter(color_hex=clean_hex(row.get("color_hex", "")))
    return filaments.order_by("pk").first()


def _filament_row(actor: Actor, row: dict[str, str]) -> tuple[str, str]:
    vendor_name = _words(row.get("vendor", ""))
    label = filament_display_name(
        vendor=vendor_name,
        material=row.get("material", ""),
        product_line=row.get("product_line", ""),
        colour=row.get("colour_name", ""),
    )
    if not vendor_name:
        raise InvalidInput("Give the vendor (the brand on the spool).")
    vendor: Vendor | None = (
        selectors.vendor_list(workspace=actor.workspace).filter(name__iexact=vendor_name).first()
    )
    if vendor is None:
        vendor = vendor_create(actor=actor, name=vendor_name)
    given: dict[str, Any] = {c: row[c] for c in FILAMENT_COLUMNS if c in row and c != "vendor"}
    if "multi_color_hexes" in given:
        given["multi_color_hexes"] = given["multi_color_hexes"].replace(",", " ").split()
    existing = _filament_for(actor.workspace, row)
    if existing is None:
        filament_create(actor=actor, vendor=vendor, **given)
        return "create", label
    if not _words(given.get("colour_name", "")):
        given.pop("colour_name", None)  # matched by its hex: keep the name it has
    fields = [f for f in FILAMENT_FIELDS if f != "vendor_id"]
    values = {f: getattr(existing, f) for f in fields} | given
    before = snapshot(existing, FILAMENT_FIELDS)
    filament_update(actor=actor, filament=existing, vendor=vendor, **values)
    if snapshot(existing, FILAMENT_FIELDS) == before:
        raise _Unchanged(label)
    return "update", label


def _spool_row(actor: Actor, row: dict[str, str]) -> tuple[str, str]:
    code = row.get("label_code", "").strip().upper()
    label = code or "(no label code)"
    if not _LABEL.match(code):
        raise InvalidInput(
            "Give each spool a label code of up to 12 letters and digits, e.g. K7QF2M."
        )
    filament = _filament_for(actor.workspace, row)
    if filament is None:
        raise InvalidInput(
            f"There is no filament {_words(row.get('vendor', ''))} {row.get('material', '')} "
            f"{row.get('colour_name', '')}: import or add the filament first."
        )
    details: dict[str, Any] = {
        "cost_paid": row.get("cost_paid") or None,
        "purchase_date": _date(row.get("purchase_date", ""), "purchase date"),
        "lot": row.get("lot", ""),
        "location": row.get("location", ""),
        "opened_date": _date(row.get("opened_date", ""), "opened date"),
    }
    archived = _bool(row.get("archived", ""))
    existing = (
        selectors.spool_list(workspace=actor.workspace, archived=None)
        .filter(label_code=code)
        .first()
    )
    if existing is None:
        spool = spool_create(
            actor=actor,
            filament=filament,
            initial_grams=row.get("initial_grams") or None,
            remaining_grams=row.get("remaining_grams") or None,
            **details,
        )
        # Keep the file's label code, so the labels on the spools still work and a second
        # import finds them; spool_create drew a random one.
        Spool.objects.filter(pk=spool.pk).update(label_code=code)
        if archived:
            spool_archive(actor=actor, spool=spool, archived=True)
        return "create", label
    if existing.filament_id != filament.pk:
        raise InvalidInput(f"Spool {code} is already here as {existing.filament}, not this one.")
    fields = (*SPOOL_FIELDS,)
    before = snapshot(existing, fields)
    given = {k: v for k, v in details.items() if k in row}
    current = {k: getattr(existing, k) for k in details}
    spool_update(actor=actor, spool=existing, **(current | given))
    if "archived" in row and archived != existing.archived:
        spool_archive(actor=actor, spool=existing, archived=archived)
    if snapshot(existing, fields) == before:
        raise _Unchanged(label)
    return "update", label


ROW_IMPORTERS: dict[str, tuple[Perm, Callable[[Actor, dict[str, str]], tuple[str, str]]]] = {
    "filaments": (Perm.EDIT_CATALOGUE, _filament_row),
    "spools": (Perm.MANAGE_STOCK, _spool_row),
}


def _import_rows(
    actor: Actor,
    plan: ImportPlan,
    rows: Iterable[tuple[int, dict[str, str]]],
    import_row: Callable[[Actor, dict[str, str]], tuple[str, str]],
) -> None:
    """Import each row in its own savepoint (inside the caller's transaction)."""
    for line, row in rows:
        try:
            with transaction.atomic():
                action, label = import_row(actor, row)
        except _Unchanged as unchanged:
            action, label = "unchanged", str(unchanged)
        except DomainError as error:
            label = row.get("label_code") or f"{row.get('vendor', '')} {row.get('colour_name', '')}"
            plan.rows.append(ImportRow(line, "error", label.strip(), error.message))
            continue
        except IntegrityError:
            plan.rows.append(ImportRow(line, "error", "", "This row conflicts with another one."))
            continue
        plan.rows.append(ImportRow(line, action, label))


def _csv_run(*, actor: Actor, kind: str, data: bytes) -> ImportPlan:
    if kind not in ROW_IMPORTERS:
        raise InvalidInput("Import filaments or spools.")
    perm, import_row = ROW_IMPORTERS[kind]
    actor.require(perm)
    plan = ImportPlan(kind=kind)
    _import_rows(actor, plan, read_rows(kind=kind, data=data), import_row)
    return plan


def _vendor_row(actor: Actor, row: dict[str, str]) -> tuple[str, str]:
    name = _words(row.get("vendor", ""))
    if selectors.vendor_list(workspace=actor.workspace).filter(name__iexact=name).exists():
        raise _Unchanged(name)
    vendor_create(actor=actor, name=name, empty_spool_grams=row.get("empty_spool_grams") or 0)
    return "create", name


def _spoolman_run(*, actor: Actor, data: dict[str, list[dict[str, Any]]]) -> ImportPlan:
    actor.require(Perm.EDIT_CATALOGUE)
    vendor_rows, filament_rows, spool_rows = spoolman_rows(data)
    plan = ImportPlan(kind="spoolman")
    _import_rows(actor, plan, vendor_rows, _vendor_row)
    _import_rows(actor, plan, filament_rows, _filament_row)
    _import_rows(actor, plan, spool_rows, _spool_row)
    return plan


def _rolled_back(run: Callable[[], ImportPlan]) -> ImportPlan:
    """The plan of an import that is run and then rolled back."""
    try:
        with transaction.atomic():
            raise _Preview(run())
    except _Preview as preview:
        return preview.plan


def _kept(
    *, actor: Actor, plan: ImportPlan, verb: str, refusal: Callable[[ImportRow], str]
) -> None:
    """Refuse the whole import when a row has an error (the caller's transaction rolls it back),
    else record it in the audit log."""
    if plan.errors:
        raise InvalidInput(f"Nothing was imported: {refusal(plan.errors[0])}")
    audit_record(
        actor=actor,
        verb=verb,
        after={
            "created": plan.count("create"),
            "updated": plan.count("update"),
            "unchanged": plan.count("unchanged"),
        },
    )


def import_preview(*, actor: Actor, kind: str, data: bytes) -> ImportPlan:
    """What importing the file would do, row by row, with each error as a sentence; nothing
    is written (the import runs and is rolled back)."""
    return _rolled_back(lambda: _csv_run(actor=actor, kind=kind, data=data))


def import_apply(*, actor: Actor, kind: str, data: bytes) -> ImportPlan:
    """Import every row of the file in one transaction, or nothing when a row has an error."""
    with transaction.atomic():
        plan = _csv_run(actor=actor, kind=kind, data=data)
        _kept(
            actor=actor,
            plan=plan,
            verb=f"materials.{kind}_imported",
            refusal=lambda first: (
                f"{len(plan.errors)} row(s) have errors, the first on line {first.line}: "
                f"{first.sentence}"
            ),
        )
    return plan


def spoolman_preview(*, actor: Actor, data: dict[str, list[dict[str, Any]]]) -> ImportPlan:
    """What importing Spoolman's vendors, filaments and spools would do; nothing is written."""
    return _rolled_back(lambda: _spoolman_run(actor=actor, data=data))


def spoolman_apply(*, actor: Actor, data: dict[str, list[dict[str, Any]]]) -> ImportPlan:
    """Import Spoolman's vendors, filaments and spools in one transaction, or nothing when one
    record has an error. Spools are found again by their Spoolman id (label code SM<id>)."""
    with transaction.atomic():
        plan = _spoolman_run(actor=actor, data=data)
        _kept(
            actor=actor,
            plan=plan,
            verb="materials.spoolman_imported",
            refusal=lambda first: (
                f"{len(plan.errors)} record(s) have errors, the first "
                f"({first.label or first.line}): {first.sentence}"
            ),
        )
    return plan
