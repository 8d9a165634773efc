"""Production: printers with their filament slots, the print queue, and what each job used."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from printops.core.models import WorkspaceScoped
from printops.materials.models import GRAMS


class Printer(WorkspaceScoped):
    """A printer of the shop: what it can print (nozzle, build volume, materials) and what an
    hour of it costs."""

    class Status(models.TextChoices):
        IDLE = "idle", "Idle"
        PRINTING = "printing", "Printing"
        MAINTENANCE = "maintenance", "In maintenance"
        OFFLINE = "offline", "Offline"

    name = models.CharField(max_length=120)
    model = models.CharField(max_length=120, blank=True, help_text="e.g. Bambu Lab X1 Carbon")
    nozzle_diameter_mm = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.40")
    )
    build_x_mm = models.PositiveIntegerField(default=220)
    build_y_mm = models.PositiveIntegerField(default=220)
    build_z_mm = models.PositiveIntegerField(default=250)
    power_watts = models.PositiveIntegerField(default=0)
    hourly_cost = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        help_text="Depreciation and maintenance per printing hour, in the workspace currency.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IDLE)
    # Material values of materials.Material ("PLA", "PETG", ...); empty means any material.
    allowed_materials = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="printer_name_unique"),
            models.CheckConstraint(
                condition=Q(nozzle_diameter_mm__gt=0), name="printer_nozzle_pos"
            ),
            models.CheckConstraint(
                condition=Q(build_x_mm__gt=0) & Q(build_y_mm__gt=0) & Q(build_z_mm__gt=0),
                name="printer_build_volume_pos",
            ),
            models.CheckConstraint(
                condition=Q(hourly_cost__gte=0), name="printer_hourly_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PrinterSlot(WorkspaceScoped):
    """One filament position of a printer (an AMS/MMU slot or a toolhead) and the spool in it."""

    printer = models.ForeignKey(Printer, on_delete=models.CASCADE, related_name="slots")
    index = models.PositiveSmallIntegerField(help_text="0-based, as slicers number tools.")
    spool = models.ForeignKey(
        "materials.Spool",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="printer_slots",
    )

    class Meta:
        ordering = ["printer_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["printer", "index"], name="printer_slot_unique"),
            # A spool is physically in one place.
            models.UniqueConstraint(
                fields=["spool"], condition=Q(spool__isnull=False), name="spool_loaded_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.printer.name} slot {self.index + 1}"


class PrinterMaintenance(WorkspaceScoped):
    """One entry of a printer's maintenance log: what was done, when and by whom."""

    printer = models.ForeignKey(Printer, on_delete=models.CASCADE, related_name="maintenance_log")
    date = models.DateField()
    note = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.printer.name} {self.date}: {self.note[:40]}"


class PrintQueue(WorkspaceScoped):
    """The one queue of a workspace. Every change of queue order locks this row first, so two
    people reordering (or queueing) at once are applied one after the other; `revision` counts
    the changes."""

    revision = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace"], name="one_print_queue_per_workspace")
        ]

    def __str__(self) -> str:
        return f"print queue r{self.revision}"


class PrintJob(WorkspaceScoped):
    """Printing `copies` runs of one sliced version, on a given printer or any compatible one.

    queued → printing → completed | failed; queued → cancelled. Queue order is `position`
    among queued jobs (unique there); consumption is written once, by the service that claims
    the change to completed or failed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PRINTING = "printing", "Printing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class FailReason(models.TextChoices):
        ADHESION = "adhesion", "Came off the bed"
        SPAGHETTI = "spaghetti", "Spaghetti"
        CLOG = "clog", "Nozzle clog"
        LAYER_SHIFT = "layer_shift", "Layer shift"
        WARPING = "warping", "Warping"
        FILAMENT_RUNOUT = "filament_runout", "Filament ran out"
        POWER_LOSS = "power_loss", "Power loss"
        OTHER = "other", "Other"

    version = models.ForeignKey(
        "library.VariantVersion", on_delete=models.PROTECT, related_name="print_jobs"
    )
    printer = models.ForeignKey(
        Printer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        help_text="Empty: any compatible printer (set when the job starts).",
    )
    copies = models.PositiveSmallIntegerField(default=1)
    priority = models.SmallIntegerField(default=0)
    position = models.IntegerField(help_text="Order among queued jobs, lowest first.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    note = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    completion_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    layer_reached = models.PositiveIntegerField(null=True, blank=True)
    fail_reason = models.CharField(max_length=16, choices=FailReason.choices, blank=True)
    fail_note = models.CharField(max_length=500, blank=True)
    requeued_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="requeues"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "position"],
                condition=Q(status="queued"),
                name="queued_job_position_unique",
            ),
            # A failed job is put back in the queue once.
            models.UniqueConstraint(
                fields=["requeued_from"],
                condition=Q(requeued_from__isnull=False),
                name="job_requeued_once",
            ),
            models.CheckConstraint(condition=Q(copies__gte=1), name="job_copies_pos"),
            models.CheckConstraint(
                condition=Q(completion_percent__isnull=True)
                | (Q(completion_percent__gte=0) & Q(completion_percent__lte=100)),
                name="job_completion_percent_range",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "status", "position"]),
            models.Index(fields=["workspace", "version", "status"]),
            models.Index(fields=["workspace", "printer", "status"]),
        ]

    def __str__(self) -> str:
        return f"Job #{self.pk}"


class PrintJobSpool(WorkspaceScoped):
    """The spool a started job prints one of its file's filament slots with, and the grams
    planned from it (the file's grams for that slot × copies)."""

    job = models.ForeignKey(PrintJob, on_delete=models.CASCADE, related_name="spools")
    slot = models.PositiveSmallIntegerField(help_text="The file's filament slot (tool).")
    filament_usage = models.ForeignKey(
        "library.FilamentUsage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    spool = models.ForeignKey("materials.Spool", on_delete=models.PROTECT, related_name="+")
    grams = models.DecimalField(**GRAMS)

    class Meta:
        ordering = ["job_id", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="job_spool_slot_unique"),
            models.CheckConstraint(condition=Q(grams__gt=0), name="job_spool_grams_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.job} slot {self.slot}: {self.grams} g"


class VersionLayers(WorkspaceScoped):
    """Cumulative grams per filament slot at each layer change of a version's G-code, read in a
    background task (a whole-file pass), for charging a failed print by the layer it reached."""

    version = models.OneToOneField(
        "library.VariantVersion", on_delete=models.CASCADE, related_name="+"
    )
    # grams_by_layer[n][slot]: grams used before layer n starts; total_grams[slot]: whole file.
    grams_by_layer = models.JSONField(default=list, blank=True)
    total_grams = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=500, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    @property
    def layer_count(self) -> int:
        return len(self.grams_by_layer)

    def __str__(self) -> str:
        return f"layers of version {self.version_id}"
