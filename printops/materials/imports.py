"""Filaments and spools in and out as CSV.

Export is a read (any member). Import goes through the same services as the pages, row by row
in savepoints, inside one transaction: a preview runs it and rolls everything back, so what it
shows is exactly what *Import* will do; *Import* keeps it only when no row has an error.
Re-importing a file changes nothing: a filament is matched by vendor, material and colour name
(the hex when the name is empty), a spool by its label code.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import DomainError, InvalidInput
from printops.materials import selectors, services
from printops.materials.models import Filament, Spool, Vendor

FILAMENT_COLUMNS = (
    "vendor",
    "material",
    "colour_name",
    "color_hex",
    "multi_color_hexes",
    "diameter_mm",
    "density_g_cm3",
    "net_spool_grams",
    "price_per_kg",
    "low_stock_grams",
    "article_number",
    "purchase_url",
    "nozzle_temp_c",
    "bed_temp_c",
)
SPOOL_COLUMNS = (
    "label_code",
    "vendor",
    "material",
    "colour_name",
    "color_hex",
    "initial_grams",
    "remaining_grams",
    "location",
    "lot",
    "cost_paid",
    "purchase_date",
    "opened_date",
    "archived",
)
REQUIRED = {
    "filaments": ("vendor", "material", "color_hex"),
    "spools": ("label_code", "vendor", "material", "colour_name"),
}
KINDS = ("filaments", "spools")
MAX_BYTES = 2 * 1024 * 1024  # a 5 000-spool export is about 600 kB
MAX_ROWS = 5000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LABEL = re.compile(r"^[A-Z0-9]{1,12}$")
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n", ""}


@dataclass
class ImportRow:
    """One line of the file and what importing it does (or why it cannot)."""

    line: int
    action: str  # "create" | "update" | "unchanged" | "error"
    label: str
    sentence: str = ""


@dataclass
class ImportPlan:
    kind: str
    rows: list[ImportRow] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def errors(self) -> list[ImportRow]:
        return [row for row in self.rows if row.action == "error"]

    @property
    def summary(self) -> str:
        return (
            f"{self.count('create')} to add, {self.count('update')} to update, "
            f"{self.count('unchanged')} unchanged, {len(self.errors)} with errors"
        )


class _Unchanged(Exception):
    """Rolls back a row's savepoint when the update changed nothing (no audit noise)."""


class _Preview(Exception):
    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan


# --- export ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A value as text, with a leading quote where a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(columns: tuple[str, ...], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def filaments_csv(*, workspace: Workspace) -> str:
    """Every filament of the workspace with its vendor, in the import's columns."""
    filaments = selectors.filament_list(workspace=workspace).order_by(
        "vendor__name", "material", "colour_name", "pk"
    )
    return _csv(
        FILAMENT_COLUMNS,
        (
            [
                f.vendor.name,
                f.material,
                f.colour_name,
                f.color_hex,
                " ".join(f.multi_color_hexes),
                f.diameter_mm,
                f.density_g_cm3,
                f.net_spool_grams,
                f.price_per_kg,
                f.low_stock_grams,
                f.article_number,
                f.purchase_url,
                f.nozzle_temp_c,
                f.bed_temp_c,
            ]
            for f in filaments.iterator(chunk_size=500)
        ),
    )


def spools_csv(*, workspace: Workspace) -> str:
    """Every spool, archived too, with its filament, grams left, place, lot and label code."""
    spools = selectors.spool_list(workspace=workspace, archived=None, sort="brand")
    return _csv(
        SPOOL_COLUMNS,
        (
            [
                s.label_code,
                s.filament.vendor.name,
                s.filament.material,
                s.filament.colour_name,
                s.filament.color_hex,
                s.initial_grams,
                s.remaining_grams,
                s.location,
                s.lot,
                s.cost_paid,
                s.purchase_date,
                s.opened_date,
                "true" if s.archived else "false",
            ]
            for s in spools.iterator(chunk_size=500)
        ),
    )


# --- reading a file --------------------------------------------------------------------------


def _uncell(text: str) -> str:
    """Undo the export's formula quote, so an exported file imports as it was."""
    text = (text or "").strip()
    if text.startswith("'") and text[1:2] and text[1:2] in "=+-@":
        return text[1:]
    return text


def read_rows(*, kind: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line, {column: text}); a file that cannot be read is one sentence."""
    if kind not in KINDS:
        raise InvalidInput("Import filaments or spools.")
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files."
        )
    if not data.strip():
        raise InvalidInput("The file is empty.")
    if b"\x00" in data:
        raise InvalidInput("This is not a CSV file: save the sheet as CSV (UTF-8) and try again.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The file is not UTF-8 text: save the sheet as CSV (UTF-8) and try again."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        missing = [c for c in REQUIRED[kind] if c not in header]
        if missing:
            expected = ", ".join(FILAMENT_COLUMNS if kind == "filaments" else SPOOL_COLUMNS)
            raise InvalidInput(
                f"The file has no {', '.join(missing)} column: the first line must name the "
                f"columns ({expected}), as the export writes them."
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) == MAX_ROWS:
                raise InvalidInput(
                    f"The file has more than {MAX_ROWS:,} rows: split it into smaller files."
                )
            rows.append(
                (reader.line_num, {h: _uncell(v) for h, v in zip(header, values, strict=False)})
            )
    except csv.Error as error:
        raise InvalidInput(
            f"Line {reader.line_num} is not valid CSV ({error}): check its quotes."
        ) from None
    if not rows:
        raise InvalidInput("The file has column names but no rows.")
    return rows


# --- importing -------------------------------------------------------------------------------


def _words(value: str) -> str:
    return " ".join((value or "").split())


def _date(value: str, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"The {what} “{value[:20]}” is not a date: write it as 2025-03-31."
        ) from None


def _bool(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(f"“{value[:20]}” is not true or false.")


def _filament_for(workspace: Workspace, row: dict[str, str]) -> Filament | None:
    """The filament a row names: vendor, material and colour name (the hex when no name)."""
    filaments = selectors.filament_list(workspace=workspace).filter(
        vendor__name__iexact=_words(row.get("vendor", "")),
        material=_words(row.get("material", "")).upper(),
    )
    colour = _words(row.get("colour_name", ""))
    if colour:
        filaments = filaments.filter(colour_name__iexact=colour)
    else:
        filaments = filaments.filter(color_hex=services.clean_hex(row.get("color_hex", "")))
    return filaments.order_by("pk").first()


def _filament_row(actor: Actor, row: dict[str, str]) -> tuple[str, str]:
    vendor_name = _words(row.get("vendor", ""))
    label = f"{vendor_name} {row.get('material', '')} {row.get('colour_name', '')}".strip()
    if not vendor_name:
        raise InvalidInput("Give the vendor (the brand on the spool).")
    vendor: Vendor | None = (
        selectors.vendor_list(workspace=actor.workspace).filter(name__iexact=vendor_name).first()
    )
    if vendor is None:
        vendor = services.vendor_create(actor=actor, name=vendor_name)
    given = {c: row[c] for c in FILAMENT_COLUMNS if c in row and c != "vendor"}
    if "multi_color_hexes" in given:
        given["multi_color_hexes"] = given["multi_color_hexes"].replace(",", " ").split()  # type: ignore[assignment]
    existing = _filament_for(actor.workspace, row)
    if existing is None:
        services.filament_create(actor=actor, vendor=vendor, **given)
        return "create", label
    fields = [f for f in services.FILAMENT_FIELDS if f != "vendor_id"]
    values = {f: getattr(existing, f) for f in fields} | given
    before = snapshot(existing, services.FILAMENT_FIELDS)
    services.filament_update(actor=actor, filament=existing, vendor=vendor, **values)
    if snapshot(existing, services.FILAMENT_FIELDS) == before:
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
    details = {
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
        spool = services.spool_create(
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
            services.spool_archive(actor=actor, spool=spool, archived=True)
        return "create", label
    if existing.filament_id != filament.pk:
        raise InvalidInput(f"Spool {code} is already here as {existing.filament}, not this one.")
    fields = (*services.SPOOL_FIELDS,)
    before = snapshot(existing, fields)
    given = {k: v for k, v in details.items() if k in row}
    current = {k: getattr(existing, k) for k in details}
    services.spool_update(actor=actor, spool=existing, **(current | given))
    if "archived" in row and archived != existing.archived:
        services.spool_archive(actor=actor, spool=existing, archived=archived)
    if snapshot(existing, fields) == before:
        raise _Unchanged(label)
    return "update", label


ROW_IMPORTERS: dict[str, tuple[Perm, Callable[[Actor, dict[str, str]], tuple[str, str]]]] = {
    "filaments": (Perm.EDIT_CATALOGUE, _filament_row),
    "spools": (Perm.MANAGE_STOCK, _spool_row),
}


def _run(*, actor: Actor, kind: str, data: bytes) -> ImportPlan:
    """Import each row in its own savepoint (inside the caller's transaction)."""
    if kind not in ROW_IMPORTERS:
        raise InvalidInput("Import filaments or spools.")
    perm, import_row = ROW_IMPORTERS[kind]
    actor.require(perm)
    plan = ImportPlan(kind=kind)
    for line, row in read_rows(kind=kind, data=data):
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
    return plan


def import_preview(*, actor: Actor, kind: str, data: bytes) -> ImportPlan:
    """What importing the file would do, row by row, with each error as a sentence; nothing
    is written (the import runs and is rolled back)."""
    try:
        with transaction.atomic():
            raise _Preview(_run(actor=actor, kind=kind, data=data))
    except _Preview as preview:
        return preview.plan


def import_apply(*, actor: Actor, kind: str, data: bytes) -> ImportPlan:
    """Import every row of the file in one transaction, or nothing when a row has an error."""
    with transaction.atomic():
        plan = _run(actor=actor, kind=kind, data=data)
        if plan.errors:
            first = plan.errors[0]
            raise InvalidInput(
                f"Nothing was imported: {len(plan.errors)} row(s) have errors, the first on "
                f"line {first.line}: {first.sentence}"
            )
        audit_record(
            actor=actor,
            verb=f"materials.{kind}_imported",
            after={
                "created": plan.count("create"),
                "updated": plan.count("update"),
                "unchanged": plan.count("unchanged"),
            },
        )
    return plan
