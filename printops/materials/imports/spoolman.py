"""Reading Spoolman: its JSON export, or its API fetched from a URL, normalised into the same
rows as a CSV import (importing them is `services.spoolman_preview` and
`services.spoolman_apply`)."""

# Spoolman's own words: vendor {name, empty_spool_weight}; filament {name, vendor, material,
# color_hex (no '#'), multi_color_hexes ("RRGGBB,RRGGBB"), density, diameter, weight (net),
# price (of a spool), article_number, settings_extruder_temp, settings_bed_temp}; spool
# {filament, initial_weight, used_weight / remaining_weight, location, lot_nr, archived, price,
# first_used}. Its spool ids become label codes "SM<id>", so a second import finds them again.

from __future__ import annotations

import json
import urllib.error
import urllib.request
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from printops.accounts.actor import Actor
from printops.accounts.roles import Perm
from printops.core.errors import InvalidInput
from printops.materials.colour import normalise_hex
from printops.materials.imports.common import MAX_ROWS
from printops.materials.models import Material

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
        vendor_ref = filament.get("vendor")
        vendor_id = _id(vendor_ref) if isinstance(vendor_ref, dict) else filament.get("vendor_id")
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
        filament_ref = spool.get("filament")
        filament_id = (
            _id(filament_ref) if isinstance(filament_ref, dict) else spool.get("filament_id")
        )
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
    """Spoolman's "RRGGBB" or "RRGGBBAA" as "#RRGGBB"; anything else as it came, for the
    import to refuse with its sentence."""
    text = str(value or "").strip().lstrip("#")
    if len(text) not in (6, 8):
        return text
    try:
        return normalise_hex(text)
    except ValueError:
        return "#" + text[:6]


def _text_or_blank(value: Any) -> str:
    return "" if value is None else str(value)


def spoolman_rows(
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
        vendor = vendors.get(f.get("vendor_id"))
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
