"""The library: designs (the UI's "models") → variants → versions (sliced files)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from printops.core.models import Blob, WorkspaceScoped

DEFAULT_CATEGORIES = ("Keychain", "Earring", "Decoration", "Functional")


class Category(WorkspaceScoped):
    """A workspace's own list of design categories."""

    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="category_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Tag(WorkspaceScoped):
    """A free label on designs ("gift", "bestseller", "needs supports")."""

    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Design(WorkspaceScoped):
    """A thing the business prints (the UI calls it a model)."""

    name = models.CharField(max_length=200)
    designer = models.CharField(max_length=120, blank=True)
    licence = models.CharField(max_length=120, blank=True)
    source_url = models.URLField(blank=True)
    category = models.ForeignKey(Category, on_delete=models.SET_NULL, null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="designs")
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "model"  # the UI's word; `Model` means a Django model
        ordering = ["name"]
        indexes = [models.Index(fields=["workspace", "name"])]

    def __str__(self) -> str:
        return self.name


class Favourite(WorkspaceScoped):
    """A user's star on a design."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="favourites")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["design", "user"], name="one_favourite_per_user")
        ]


class DesignImage(WorkspaceScoped):
    """A photo or render of a design; one may be primary."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="images")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "created_at"]

    def __str__(self) -> str:
        return self.original_name


class DesignFile(WorkspaceScoped):
    """A source file of a design (STL, 3MF, OBJ, STEP), kept as uploaded."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="files")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    geometry = models.JSONField(null=True, blank=True)
    thumbnail = models.ForeignKey(
        Blob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original_name"]

    def __str__(self) -> str:
        return self.original_name


class Variant(WorkspaceScoped):
    """One way of printing a design, e.g. "Large · PLA red"."""

    design = models.ForeignKey(Design, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=200)
    default_version = models.ForeignKey(
        "VariantVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["design", "name"], name="variant_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.design.name} · {self.name}"


class VariantVersion(WorkspaceScoped):
    """One sliced file of a variant, with everything read from it.

    `metadata` is the full SliceMetadata as extracted (never edited); `corrections` holds the
    values people corrected, with who and when. The flat columns serve filters and sorting.
    """

    class Status(models.TextChoices):
        READY = "ready", "Ready"
        UNREADABLE = "unreadable", "Unreadable"

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(max_length=255)
    change_note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.READY)
    unreadable_reason = models.CharField(max_length=500, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    corrections = models.JSONField(default=dict, blank=True)
    thumbnail = models.ForeignKey(
        Blob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Flat copies of the metadata (after corrections) for filters and sorts.
    file_format = models.CharField(max_length=12, blank=True)
    slicer_name = models.CharField(max_length=60, blank=True)
    printer_model = models.CharField(max_length=120, blank=True)
    nozzle_diameter_mm = models.FloatField(null=True, blank=True)
    layer_height_mm = models.FloatField(null=True, blank=True)
    print_seconds = models.PositiveIntegerField(null=True, blank=True)
    filament_grams = models.FloatField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "version"
        ordering = ["variant_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "number"], name="version_number_unique"),
        ]
        # Search filters read (workspace, value, variant) from these alone, never the wide row
        # with its metadata: a layer-height range over 45 000 versions took 34 ms, now 5.5 ms.
        indexes = [
            models.Index(fields=["workspace", "blob"]),
            models.Index(fields=["workspace", "print_seconds", "variant"]),
            models.Index(fields=["workspace", "filament_grams", "variant"]),
            models.Index(fields=["workspace", "layer_height_mm", "variant"]),
            models.Index(fields=["workspace", "nozzle_diameter_mm", "variant"]),
            models.Index(fields=["workspace", "printer_model", "variant"]),
            models.Index(fields=["workspace", "slicer_name", "variant"]),
        ]

    def __str__(self) -> str:
        return f"{self.variant} v{self.number}"

    @property
    def needs_slicing(self) -> bool:
        """A model file without print instructions: an STL, or a 3MF project with no plate
        G-code inside (a sliced one reads as "gcode.3mf"). It cannot be queued as it is."""
        return self.status == self.Status.READY and self.file_format in UNSLICED_FORMATS

    @property
    def picture_pending(self) -> bool:
        """A mesh whose picture a task is still drawing. After RENDER_WAIT nothing more is
        coming (the mesh could not be drawn), so pages stop asking."""
        return (
            self.thumbnail_id is None
            and self.status == self.Status.READY
            and self.file_format == "stl"
            and self.created_at is not None
            and timezone.now() - self.created_at < RENDER_WAIT
        )


# Formats that carry geometry but no G-code (slicefile's `format` field).
UNSLICED_FORMATS = ("stl", "3mf")
# A render takes under a second (render.py); ten minutes covers a busy task queue.
RENDER_WAIT = timedelta(minutes=10)


class FilamentUsage(WorkspaceScoped):
    """One filament a version uses: slot, material, colour and amount as the slicer said, and
    the catalogue filament it was matched to."""

    class MatchSource(models.TextChoices):
        AUTO = "auto", "Matched automatically"
        REMEMBERED = "remembered", "Remembered mapping"
        CONFIRMED = "confirmed", "Confirmed by staff"
        CREATED = "created", "Created from the file"

    version = models.ForeignKey(VariantVersion, on_delete=models.CASCADE, related_name="filaments")
    slot = models.PositiveSmallIntegerField()
    material = models.CharField(max_length=40, blank=True)
    brand = models.CharField(max_length=120, blank=True)
    name = models.CharField(max_length=200, blank=True)
    color_hex = models.CharField(max_length=7, blank=True)
    grams = models.FloatField(null=True, blank=True)
    length_mm = models.FloatField(null=True, blank=True)
    slicer_filament_id = models.CharField(
        max_length=80, blank=True, help_text="The slicer's own id for the preset, e.g. GFA00."
    )
    # The catalogue filament this usage is printed with (ARCHITECTURE §3). Set by matching at
    # upload, by a confirmation in the review queue, or by "create from the file's values".
    filament = models.ForeignKey(
        "materials.Filament",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="usages",
    )
    match_confidence = models.FloatField(null=True, blank=True)
    match_source = models.CharField(max_length=12, choices=MatchSource.choices, blank=True)

    class Meta:
        verbose_name = "filament in a file"
        verbose_name_plural = "filaments in files"
        ordering = ["version_id", "slot"]
        indexes = [
            models.Index(fields=["workspace", "material"]),
            # The review queue lists a workspace's unmatched usages.
            models.Index(fields=["workspace", "filament"]),
        ]

    def __str__(self) -> str:
        return f"slot {self.slot}: {self.material} {self.color_hex}"


class ImportJob(WorkspaceScoped):
    """One run of bringing a folder tree (or an uploaded zip of one) into the library."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted"

    name = models.CharField(max_length=255, help_text="The folder or zip file imported.")
    archive = models.ForeignKey(
        Blob,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The uploaded zip, for imports from the browser.",
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    total_files = models.PositiveIntegerField(default=0)
    processed_files = models.PositiveIntegerField(default=0)
    imported_files = models.PositiveIntegerField(default=0)
    skipped_files = models.PositiveIntegerField(default=0)
    failed_files = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True, help_text="One line per file.")
    error = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    runner = models.CharField(
        max_length=255, blank=True, help_text="host:pid of the process running the import."
    )
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the running import last recorded progress."
    )

    class Meta:
        verbose_name = "folder import"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import of {self.name}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_files / self.total_files) if self.total_files else 0


class ChunkedUpload(WorkspaceScoped):
    """A large file arriving in pieces, so a dropped connection resumes instead of restarting.

    Pieces are stored through STORAGES (not on a local disk another app server would not see)
    and joined into a Blob when the last one has arrived.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    original_name = models.CharField(max_length=255)
    size_bytes = models.BigIntegerField()
    chunk_bytes = models.PositiveIntegerField()
    received_bytes = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_bytes__gte=0)
                & models.Q(received_bytes__lte=models.F("size_bytes")),
                name="chunked_upload_received_within_size",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.received_bytes}/{self.size_bytes} bytes)"

    def chunk_key(self, index: int) -> str:
        return f"partial/{self.pk}/{index:06d}"


class SearchGeneration(WorkspaceScoped):
    """Bumped on every search-index write of a workspace, so any app process can tell whether
    a cached figure (facet counts of the whole library) is still current with one lookup."""

    generation = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"], name="one_search_generation_per_workspace"
            )
        ]

    def __str__(self) -> str:
        return f"search generation {self.generation}"
