"""What CSV and Spoolman imports share: the columns, a plan of rows, and writing one filament
or spool row through the services inside a savepoint."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import snapshot
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.errors import DomainError, InvalidInput
from printops.materials import selectors, services
from printops.materials.models import Filament, Material, Spool, Vendor, filament_display_name

FILAMENT_COLUMNS = (
    "vendor",
    "material",
    "product_line",
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
    "product_line",
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
        filaments = filaments.filter(color_hex=services.clean_hex(row.get("color_hex", "")))
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
        vendor = services.vendor_create(actor=actor, name=vendor_name)
    given = {c: row[c] for c in FILAMENT_COLUMNS if c in row and c != "vendor"}
    if "multi_color_hexes" in given:
        given["multi_color_hexes"] = given["multi_color_hexes"].replace(",", " ").split()  # type: ignore[assignment]
    existing = _filament_for(actor.workspace, row)
    if existing is None:
        services.filament_create(actor=actor, vendor=vendor, **given)
        return "create", label
    if not _words(given.get("colour_name", "")):  # type: ignore[arg-type]
        given.pop("colour_name", None)  # matched by its hex: keep the name it has
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
