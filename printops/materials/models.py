"""Materials in Spoolman's words: Vendor → Filament → Spool, and the grams ledger of each spool."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Q

from printops.core.models import WorkspaceScoped


class _Digits(TypedDict):
    """A DecimalField's size, typed so that `DecimalField(**GRAMS)` type-checks."""

    max_digits: int
    decimal_places: int


# Grams are Decimal with two places: a ledger must add up exactly. With floats, 100 − 99.99 −
# 0.01 is −1.4e-14, which a "not negative" constraint refuses.
GRAMS: _Digits = {"max_digits": 10, "decimal_places": 2}
HEX_PATTERN = r"^#[0-9A-F]{6}$"


class Material(models.TextChoices):
    """The materials offered in lists; extend here (the column holds up to 12 characters)."""

    PLA = "PLA", "PLA"
    PETG = "PETG", "PETG"
    ABS = "ABS", "ABS"
    ASA = "ASA", "ASA"
    TPU = "TPU", "TPU"
    PA = "PA", "PA (nylon)"
    PC = "PC", "PC"
    PVA = "PVA", "PVA"
    HIPS = "HIPS", "HIPS"
    OTHER = "OTHER", "Other"


# Typical densities (g/cm³) from vendors' data sheets, for a filament whose own density is not
# given: grams from length and stock estimates use it, so PETG must not weigh as PLA.
TYPICAL_DENSITY = {
    Material.PLA: Decimal("1.24"),
    Material.PETG: Decimal("1.27"),
    Material.ABS: Decimal("1.04"),
    Material.ASA: Decimal("1.07"),
    Material.TPU: Decimal("1.21"),
    Material.PA: Decimal("1.14"),
    Material.PC: Decimal("1.20"),
    Material.PVA: Decimal("1.23"),
    Material.HIPS: Decimal("1.04"),
    Material.OTHER: Decimal("1.24"),
}

# Suggested on the form; any other words are fine (vendors name their lines freely).
PRODUCT_LINES = (
    "Basic", "Matte", "Silk", "HF", "CF", "GF",
    "Translucent", "Galaxy", "Marble", "Glow", "Metal", "Wood", "Tough", "Pro", "Plus",
)  # fmt: skip


def filament_display_name(*, vendor: str, material: str, product_line: str, colour: str) -> str:
    """ "Bambu Lab PLA Matte Charcoal": vendor, material, line and colour, where a part that
    starts by repeating an earlier one says it once ("Generic" + "Generic PETG" is "Generic
    PETG", not "Generic Generic PETG"). Only whole earlier parts are dropped, so a colour the
    vendor calls "Bambu Green" keeps its name."""
    said: list[list[str]] = []
    words: list[str] = []
    for part in (vendor, material, product_line, colour):
        rest = part.split()
        repeated = True
        while rest and repeated:
            repeated = False
            for earlier in said:
                if [w.casefold() for w in rest[: len(earlier)]] == earlier:
                    rest = rest[len(earlier) :]
                    repeated = True
        if rest:
            words += rest
            said.append([w.casefold() for w in rest])
    return " ".join(words)


class Vendor(WorkspaceScoped):
    """A filament brand, with the weight of its empty spool for weigh-ins."""

    name = models.CharField(max_length=120)
    empty_spool_grams = models.DecimalField(**GRAMS, default=Decimal("0"))
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="vendor_name_unique"),
            models.CheckConstraint(
                condition=Q(empty_spool_grams__gte=0), name="vendor_empty_spool_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Filament(WorkspaceScoped):
    """One product of a vendor in one colour: what a spool is made of and what it costs."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="filaments")
    material = models.CharField(max_length=12, choices=Material.choices, default=Material.PLA)
    product_line = models.CharField(
        max_length=60, blank=True, help_text="The vendor's line or finish: Basic, Matte, Silk, HF…"
    )
    colour_name = models.CharField(max_length=80, blank=True)
    color_hex = models.CharField(max_length=7, default="#FFFFFF", help_text="#RRGGBB")
    multi_color_hexes = models.JSONField(default=list, blank=True)
    diameter_mm = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.75"))
    density_g_cm3 = models.DecimalField(max_digits=5, decimal_places=3, default=Decimal("1.24"))
    price_per_kg = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    net_spool_grams = models.DecimalField(**GRAMS, default=Decimal("1000"))
    purchase_url = models.URLField(blank=True, max_length=500)
    article_number = models.CharField(max_length=80, blank=True)
    nozzle_temp_c = models.PositiveSmallIntegerField(null=True, blank=True)
    bed_temp_c = models.PositiveSmallIntegerField(null=True, blank=True)
    low_stock_grams = models.DecimalField(**GRAMS, default=Decimal("0"))
    reorder_spools = models.PositiveSmallIntegerField(default=1)
    lead_time_days = models.PositiveSmallIntegerField(default=7)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vendor__name", "material", "product_line", "colour_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(color_hex__regex=HEX_PATTERN), name="filament_hex_format"
            ),
            models.CheckConstraint(condition=Q(diameter_mm__gt=0), name="filament_diameter_pos"),
            models.CheckConstraint(condition=Q(density_g_cm3__gt=0), name="filament_density_pos"),
            models.CheckConstraint(
                condition=Q(net_spool_grams__gt=0), name="filament_net_spool_pos"
            ),
            models.CheckConstraint(
                condition=Q(price_per_kg__isnull=True) | Q(price_per_kg__gte=0),
                name="filament_price_not_negative",
            ),
            # Not capped at one spool: a shop that keeps two spools in reserve sets 2 000 g.
            models.CheckConstraint(
                condition=Q(low_stock_grams__gte=0), name="filament_threshold_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "material"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Vendor, material, product line and colour, each word once."""
        return filament_display_name(
            vendor=self.vendor.name,
            material=self.get_material_display(),
            product_line=self.product_line,
            colour=self.colour_name,
        )


class Spool(WorkspaceScoped):
    """One physical spool. `remaining_grams` is a cache of the sum of its ledger rows;
    `spool_ledger_rebuild` recomputes it."""

    filament = models.ForeignKey(Filament, on_delete=models.PROTECT, related_name="spools")
    initial_grams = models.DecimalField(**GRAMS)
    remaining_grams = models.DecimalField(**GRAMS)
    cost_paid = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    purchase_date = models.DateField(null=True, blank=True)
    lot = models.CharField(max_length=80, blank=True)
    location = models.CharField(max_length=80, blank=True)
    opened_date = models.DateField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    label_code = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "label_code"], name="spool_label_unique"),
            models.CheckConstraint(condition=Q(initial_grams__gt=0), name="spool_initial_pos"),
            models.CheckConstraint(
                condition=Q(remaining_grams__gte=0), name="spool_remaining_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(cost_paid__isnull=True) | Q(cost_paid__gte=0),
                name="spool_cost_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "archived", "filament"]),
            models.Index(fields=["workspace", "location"]),
            # The default listing (newest first) walks this index and stops after a page,
            # instead of sorting every spool of the workspace: 23 → 0.5 ms at 5 000 spools.
            models.Index(fields=["workspace", "created_at", "id"], name="spool_newest"),
        ]

    def __str__(self) -> str:
        return f"Spool {self.label_code}"


class SpoolLedgerEntry(WorkspaceScoped):
    """One change of a spool's grams (signed). The sum of a spool's rows is what it holds."""

    class Reason(models.TextChoices):
        NEW_SPOOL = "new_spool", "New spool"
        PRINT = "print", "Print"
        FAILED_PRINT = "failed_print", "Failed print"
        ADJUSTMENT = "adjustment", "Adjustment"
        WEIGH_IN = "weigh_in", "Weigh-in"
        MARKED_EMPTY = "marked_empty", "Marked empty"

    spool = models.ForeignKey(Spool, on_delete=models.CASCADE, related_name="ledger")
    grams = models.DecimalField(**GRAMS)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    expected_grams = models.DecimalField(
        **GRAMS, null=True, blank=True, help_text="For weigh-ins: what the ledger said before."
    )
    note = models.CharField(max_length=500, blank=True)
    # The production job that used the grams. An integer, not a foreign key: production sits
    # above materials (ARCHITECTURE §2), so the job table is not materials' to reference.
    print_job_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ledger entry"
        verbose_name_plural = "ledger entries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_grams__isnull=True) | Q(expected_grams__gte=0),
                name="ledger_expected_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["spool", "-created_at"]),
            # Recent use per filament (days of stock) reads rows by time, not by spool.
            models.Index(fields=["workspace", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.grams:+} g ({self.reason})"

    @property
    def measured_grams(self) -> Decimal | None:
        """For a weigh-in: the net weight found on the scale."""
        if self.expected_grams is None:
            return None
        return self.expected_grams + self.grams


class FilamentOrder(WorkspaceScoped):
    """Spools of a filament ordered from the shop; receiving it adds them to stock once."""

    filament = models.ForeignKey(Filament, on_delete=models.PROTECT, related_name="orders")
    spools = models.PositiveSmallIntegerField()
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    ordered_at = models.DateTimeField(auto_now_add=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-ordered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(spools__gt=0), name="order_spools_pos"),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="order_cost_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "received_at"])]

    def __str__(self) -> str:
        return f"{self.spools} × {self.filament}"


class LowStockDigestSubscription(WorkspaceScoped):
    """A member who asked for the e-mail digest of filaments that ran low."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "low-stock e-mail subscription"
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="digest_subscription_unique")
        ]

    def __str__(self) -> str:
        return f"Low-stock digest for {self.user}"


class LowStockNotice(WorkspaceScoped):
    """A filament a digest already reported as low; removed once it is topped up again, so the
    next crossing below the threshold is reported anew."""

    filament = models.OneToOneField(Filament, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.filament} reported low"


class FilamentAlias(WorkspaceScoped):
    """A slicer's filament preset (material, brand, preset name, id, colour) that staff mapped to
    a catalogue filament, so the same preset in later uploads maps the same way."""

    key = models.CharField(max_length=64, help_text="sha256 of the normalised preset identity.")
    filament = models.ForeignKey(Filament, on_delete=models.CASCADE, related_name="aliases")
    material = models.CharField(max_length=40, blank=True)
    brand = models.CharField(max_length=120, blank=True)
    name = models.CharField(max_length=200, blank=True)
    color_hex = models.CharField(max_length=7, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="filament_alias_key_unique")
        ]

    def __str__(self) -> str:
        # How the file names it, as the audit trail shows it ("Generic PLA Basic #3D3E3D").
        return " ".join(f"{self.brand} {self.material} {self.name} {self.color_hex}".split())
