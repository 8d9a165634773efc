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
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
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
                f.product_line,
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
                s.filament.product_line,
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


def _run(*, actor: Actor, kind: str, data: bytes) -> ImportPlan:
    if kind not in ROW_IMPORTERS:
        raise InvalidInput("Import filaments or spools.")
    perm, import_row = ROW_IMPORTERS[kind]
    actor.require(perm)
    plan = ImportPlan(kind=kind)
    _import_rows(actor, plan, read_rows(kind=kind, data=data), import_row)
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


# --- Spoolman --------------------------------------------------------------------------------

# Spoolman's own words: vendor {name, empty_spool_weight}; filament {name, vendor, material,
# color_hex (no '#'), multi_color_hexes ("RRGGBB,RRGGBB"), density, diameter, weight (net),
# price (of a spool), article_number, settings_extruder_temp, settings_bed_temp}; spool
# {filament, initial_weight, used_weight / remaining_weight, location, lot_nr, archived, price,
# first_used}. Its spool ids become label codes "SM<id>", so a second import finds them again.
SPOOLMAN_MAX_BYTES = 8 * 1024 * 1024  # per file or endpoint: ~1.5 kB a spool with its filament
SPOOLMAN_TIMEOUT_SECONDS = 10
SPOOLMAN_ENDPOINTS = ("vendor", "filament", "spool?allow_archived=true")
NO_VENDOR = "Unknown vendor"


def _json(data: bytes) -> Any:
    if len(data) > SPOOLMAN_MAX_BYTES:
        raise InvalidInput(
            f"The Spoolman data is larger than {SPOOLMAN_MAX_BYTES // (1024 * 1024)} MB."
        )
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput(
            "This is not a Spoolman JSON export: export vendors, filaments and spools as JSON."
        ) from None


def _records(value: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput(f"The Spoolman {what} must be a list of objects.")
    return value


def spoolman_normalize(raw: Any) -> dict[str, list[dict[str, Any]]]:
    """Vendors, filaments and spools by Spoolman id from what its API returns: the
    {vendors, filaments, spools} shape, or one list (spools carry their filament and vendor)."""
    if isinstance(raw, dict):
        lists = {
            kind: _records(raw.get(kind) or raw.get(kind[:-1]) or [], kind)
            for kind in ("vendors", "filaments", "spools")
        }
    elif isinstance(raw, list):
        records = _records(raw, "export")
        first = records[0] if records else {}
        kind = (
            "spools"
            if "filament" in first
            else "filaments"
            if "material" in first or "vendor" in first
            else "vendors"
        )
        lists = {"vendors": [], "filaments": [], "spools": []} | {kind: records}
    else:
        raise InvalidInput("This is not a Spoolman JSON export: expected a list or an object.")
    vendors: dict[int, dict[str, Any]] = {}
    filaments: dict[int, dict[str, Any]] = {}
    for spool in lists["spools"]:
        if isinstance(spool.get("filament"), dict):
            lists["filaments"].append(spool["filament"])
    for filament in lists["filaments"]:
        if isinstance(filament.get("vendor"), dict):
            lists["vendors"].append(filament["vendor"])
    for vendor in lists["vendors"]:
        vendors[_id(vendor)] = {
            "id": _id(vendor),
            "name": str(vendor.get("name") or ""),
            "empty_spool_weight": vendor.get("empty_spool_weight"),
        }
    for filament in lists["filaments"]:
        vendor = filament.get("vendor")
        vendor_id = _id(vendor) if isinstance(vendor, dict) else filament.get("vendor_id")
        filaments[_id(filament)] = {
            key: filament.get(key)
            for key in (
                "name",
                "material",
                "color_hex",
                "multi_color_hexes",
                "density",
                "diameter",
                "weight",
                "price",
                "article_number",
                "settings_extruder_temp",
                "settings_bed_temp",
            )
        } | {"id": _id(filament), "vendor_id": vendor_id}
    spools = []
    for spool in lists["spools"]:
        filament = spool.get("filament")
        filament_id = _id(filament) if isinstance(filament, dict) else spool.get("filament_id")
        spools.append(
            {
                key: spool.get(key)
                for key in (
                    "initial_weight",
                    "used_weight",
                    "remaining_weight",
                    "location",
                    "lot_nr",
                    "archived",
                    "price",
                    "first_used",
                )
            }
            | {"id": _id(spool), "filament_id": filament_id}
        )
    if len(vendors) + len(filaments) + len(spools) > MAX_ROWS:
        raise InvalidInput(f"The Spoolman data has more than {MAX_ROWS:,} records.")
    if not (vendors or filaments or spools):
        raise InvalidInput("The Spoolman data holds no vendors, filaments or spools.")
    return {
        "vendors": list(vendors.values()),
        "filaments": list(filaments.values()),
        "spools": spools,
    }


def _id(record: Any) -> int:
    try:
        return int(record["id"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("Every Spoolman record needs its numeric id.") from None


def spoolman_read(*, data: bytes) -> dict[str, list[dict[str, Any]]]:
    """An uploaded Spoolman JSON export, normalized (a file that cannot be read is a sentence)."""
    return spoolman_normalize(_json(data))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is answered as the error it is, never followed elsewhere


def spoolman_fetch(*, actor: Actor, base_url: str) -> dict[str, list[dict[str, Any]]]:
    """Read vendors, filaments and spools from a running Spoolman (http or https only, 10 s
    each, size-capped, no redirects, no proxies). The server makes these requests, so only
    those who may edit the catalogue (managers, owners) can point it somewhere."""
    actor.require(Perm.EDIT_CATALOGUE)
    base_url = (base_url or "").strip().rstrip("/")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("Give Spoolman's address as http://host:7912 or https://….")
    if parts.username or parts.password:
        raise InvalidInput("Leave the user name and password out of Spoolman's address.")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)
    found: dict[str, Any] = {}
    for endpoint in SPOOLMAN_ENDPOINTS:
        url = f"{base_url}/api/v1/{endpoint}"
        request = urllib.request.Request(  # noqa: S310 (http/https checked above)
            url, headers={"Accept": "application/json", "User-Agent": "PrintOps"}
        )
        try:
            with opener.open(request, timeout=SPOOLMAN_TIMEOUT_SECONDS) as response:
                body = response.read(SPOOLMAN_MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise InvalidInput(
                f"Spoolman at {base_url} answered {error.code} for /api/v1/{endpoint}: "
                f"check the address."
            ) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise InvalidInput(f"Could not reach Spoolman at {base_url} ({reason}).") from None
        found[endpoint.split("?")[0] + "s"] = _records(_json(body), endpoint.split("?")[0] + "s")
    return spoolman_normalize(found)


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _hex(value: Any) -> str:
    text = str(value or "").strip().lstrip("#")
    return "#" + text[:6] if len(text) in (6, 8) else text


def _text_or_blank(value: Any) -> str:
    return "" if value is None else str(value)


def _spoolman_rows(
    data: dict[str, list[dict[str, Any]]],
) -> tuple[list[tuple[int, dict[str, str]]], ...]:
    """Spoolman records as rows in the CSV import's words (numbered by Spoolman id)."""
    vendors = {v["id"]: v for v in data["vendors"]}
    filaments: dict[int, dict[str, str]] = {}
    vendor_rows = [
        (
            v["id"],
            {
                "vendor": str(v["name"]),
                "empty_spool_grams": _text_or_blank(v["empty_spool_weight"]),
            },
        )
        for v in data["vendors"]
    ]
    filament_rows = []
    for f in data["filaments"]:
        vendor = vendors.get(f.get("vendor_id"))  # type: ignore[arg-type]
        material = str(f.get("material") or "").strip().upper()
        multi = [_hex(h) for h in str(f.get("multi_color_hexes") or "").split(",") if h.strip()]
        weight, price = _number(f.get("weight")), _number(f.get("price"))
        row = {
            "vendor": str(vendor["name"]) if vendor and vendor["name"] else NO_VENDOR,
            "material": material if material in Material.values else Material.OTHER,
            "colour_name": _text_or_blank(f.get("name")),
            "color_hex": _hex(f.get("color_hex"))
            if f.get("color_hex")
            else (multi or ["#FFFFFF"])[0],
            "multi_color_hexes": " ".join(multi),
            "diameter_mm": _text_or_blank(f.get("diameter")),
            "density_g_cm3": _text_or_blank(f.get("density")),
            "net_spool_grams": _text_or_blank(weight),
            "price_per_kg": str((price * 1000 / weight).quantize(Decimal("0.01")))
            if price is not None and weight
            else "",
            "article_number": _text_or_blank(f.get("article_number")),
            "nozzle_temp_c": _text_or_blank(f.get("settings_extruder_temp")),
            "bed_temp_c": _text_or_blank(f.get("settings_bed_temp")),
        }
        filaments[f["id"]] = row
        filament_rows.append((f["id"], row))
    spool_rows = []
    for sp in data["spools"]:
        filament = filaments.get(sp.get("filament_id"))  # type: ignore[arg-type]
        if filament is None:
            spool_rows.append((sp["id"], {"label_code": f"SM{sp['id']}", "vendor": ""}))
            continue
        initial = _number(sp.get("initial_weight")) or _number(filament["net_spool_grams"])
        remaining = _number(sp.get("remaining_weight"))
        used = _number(sp.get("used_weight"))
        if remaining is None and initial is not None and used is not None:
            remaining = max(initial - used, Decimal("0"))
        first_used = str(sp.get("first_used") or "")[:10]
        spool_rows.append(
            (
                sp["id"],
                {
                    "label_code": f"SM{sp['id']}",
                    "vendor": filament["vendor"],
                    "material": filament["material"],
                    "colour_name": filament["colour_name"],
                    "color_hex": filament["color_hex"],
                    "initial_grams": _text_or_blank(initial),
                    "remaining_grams": _text_or_blank(remaining),
                    "location": _text_or_blank(sp.get("location")),
                    "lot": _text_or_blank(sp.get("lot_nr")),
                    "cost_paid": _text_or_blank(sp.get("price")),
                    "opened_date": first_used,
                    "archived": "true" if sp.get("archived") else "false",
                },
            )
        )
    return vendor_rows, filament_rows, spool_rows


def _vendor_row(actor: Actor, row: dict[str, str]) -> tuple[str, str]:
    name = _words(row.get("vendor", ""))
    if selectors.vendor_list(workspace=actor.workspace).filter(name__iexact=name).exists():
        raise _Unchanged(name)
    services.vendor_create(
        actor=actor, name=name, empty_spool_grams=row.get("empty_spool_grams") or 0
    )
    return "create", name


def _spoolman_run(*, actor: Actor, data: dict[str, list[dict[str, Any]]]) -> ImportPlan:
    actor.require(Perm.EDIT_CATALOGUE)
    vendor_rows, filament_rows, spool_rows = _spoolman_rows(data)
    plan = ImportPlan(kind="spoolman")
    _import_rows(actor, plan, vendor_rows, _vendor_row)
    _import_rows(actor, plan, filament_rows, _filament_row)
    _import_rows(actor, plan, spool_rows, _spool_row)
    return plan


def spoolman_preview(*, actor: Actor, data: dict[str, list[dict[str, Any]]]) -> ImportPlan:
    """What importing Spoolman's vendors, filaments and spools would do; nothing is written."""
    try:
        with transaction.atomic():
            raise _Preview(_spoolman_run(actor=actor, data=data))
    except _Preview as preview:
        return preview.plan


def spoolman_apply(*, actor: Actor, data: dict[str, list[dict[str, Any]]]) -> ImportPlan:
    """Import Spoolman's vendors, filaments and spools in one transaction, or nothing when one
    record has an error. Spools are found again by their Spoolman id (label code SM<id>)."""
    with transaction.atomic():
        plan = _spoolman_run(actor=actor, data=data)
        if plan.errors:
            first = plan.errors[0]
            raise InvalidInput(
                f"Nothing was imported: {len(plan.errors)} record(s) have errors, the first "
                f"({first.label or first.line}): {first.sentence}"
            )
        audit_record(
            actor=actor,
            verb="materials.spoolman_imported",
            after={
                "created": plan.count("create"),
                "updated": plan.count("update"),
                "unchanged": plan.count("unchanged"),
            },
        )
    return plan
