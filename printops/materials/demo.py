"""Demo rows for materials: real brands and colours, spools part-used, each with its ledger.

Rows are bulk-written (demo data, not user actions: no audit events), and the cached
`remaining_grams` of each spool is exactly the sum of its ledger rows.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from printops.accounts.models import Workspace
from printops.materials.models import Filament, Spool, SpoolLedgerEntry, Vendor
from printops.materials.services import LABEL_ALPHABET, LABEL_LENGTH

VENDORS = (
    ("Prusament", "201", "https://www.prusa3d.com/category/prusament/"),
    ("Bambu Lab", "250", "https://bambulab.com/en/filament"),
    ("Polymaker", "140", "https://polymaker.com"),
    ("eSun", "224", "https://www.esun3d.com"),
)
FILAMENTS = (  # vendor, material, colour name, hex, density, price per kg, nozzle, bed
    ("Prusament", "PLA", "Galaxy Black", "#3D3E3D", "1.24", "24.99", 215, 60),
    ("Prusament", "PLA", "Jet Black", "#1A1A1A", "1.24", "24.99", 215, 60),
    ("Prusament", "PETG", "Prusa Orange", "#FA6831", "1.27", "24.99", 240, 85),
    ("Prusament", "PETG", "Clear", "#F2F2F2", "1.27", "24.99", 240, 85),
    ("Bambu Lab", "PLA", "Bambu Green", "#00AE42", "1.26", "19.99", 220, 55),
    ("Bambu Lab", "PLA", "Red", "#C12E1F", "1.26", "19.99", 220, 55),
    ("Bambu Lab", "PLA", "White", "#FFFFFF", "1.26", "19.99", 220, 55),
    ("Bambu Lab", "TPU", "Black", "#101820", "1.22", "41.99", 230, 35),
    ("Polymaker", "PLA", "Silk Gold", "#D4AF37", "1.25", "27.99", 210, 60),
    ("Polymaker", "ASA", "Grey", "#8E9089", "1.07", "29.99", 255, 100),
    ("Polymaker", "PA", "Natural", "#EDE6D6", "1.12", "59.99", 280, 50),
    ("eSun", "ABS", "Blue", "#1E88E5", "1.04", "17.99", 240, 100),
    ("eSun", "PLA", "Sky Blue", "#6EC1E4", "1.24", "16.99", 210, 60),
    ("eSun", "PETG", "Solid Black", "#111111", "1.27", "17.99", 235, 80),
)
LOCATIONS = ("Shelf A", "Shelf B", "Dry box 1", "Dry box 2", "Printer 1", "Printer 2")


def _label_codes(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(rng.choice(LABEL_ALPHABET) for _ in range(LABEL_LENGTH))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


@transaction.atomic
def build_demo(
    *, workspace: Workspace, rng: random.Random, spools: int = 40, **options: object
) -> list[str]:
    """Four vendors, fourteen filaments and `spools` spools with a few prints each; nothing is
    added to a workspace that already has vendors."""
    if Vendor.objects.filter(workspace=workspace).exists():
        return ["Materials: already present, left as they were."]
    vendors = {
        name: Vendor.objects.create(
            workspace=workspace, name=name, empty_spool_grams=Decimal(empty), website=site
        )
        for name, empty, site in VENDORS
    }
    filaments = [
        Filament.objects.create(
            workspace=workspace,
            vendor=vendors[vendor],
            material=material,
            colour_name=colour,
            color_hex=hex_,
            density_g_cm3=Decimal(density),
            price_per_kg=Decimal(price),
            nozzle_temp_c=nozzle,
            bed_temp_c=bed,
            low_stock_grams=Decimal(rng.choice([0, 250, 500, 750])),
            purchase_url=vendors[vendor].website,
        )
        for vendor, material, colour, hex_, density, price, nozzle, bed in FILAMENTS
    ]
    codes = _label_codes(rng, spools, set())
    rows: list[Spool] = []
    uses: list[list[Decimal]] = []
    for code in codes:
        filament = rng.choice(filaments)
        prints = [Decimal(rng.randint(500, 9000)) / 100 for _ in range(rng.randint(0, 5))]
        uses.append(prints)
        rows.append(
            Spool(
                workspace=workspace,
                filament=filament,
                initial_grams=Decimal("1000"),
                remaining_grams=Decimal("1000") - sum(prints, Decimal("0")),
                cost_paid=filament.price_per_kg,
                lot=f"L{rng.randint(1000, 9999)}",
                location=rng.choice(LOCATIONS),
                archived=rng.random() < 0.05,
                label_code=code,
            )
        )
    created = Spool.objects.bulk_create(rows, batch_size=1000)
    entries: list[SpoolLedgerEntry] = []
    for spool, prints in zip(created, uses, strict=True):
        entries.append(
            SpoolLedgerEntry(
                workspace=workspace,
                spool=spool,
                grams=spool.initial_grams,
                reason=SpoolLedgerEntry.Reason.NEW_SPOOL,
            )
        )
        entries.extend(
            SpoolLedgerEntry(
                workspace=workspace, spool=spool, grams=-grams, reason=SpoolLedgerEntry.Reason.PRINT
            )
            for grams in prints
        )
    SpoolLedgerEntry.objects.bulk_create(entries, batch_size=2000)
    return [
        f"Materials: {len(vendors)} vendors, {len(filaments)} filaments, {len(created)} spools."
    ]
