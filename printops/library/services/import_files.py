"""Filing one file of a folder import: a sliced file as a version, a mesh as a source file, an
image as a picture of its folder's design; and the one report line each gets."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings

from printops.accounts.actor import Actor
from printops.core.errors import DomainError, InvalidInput
from printops.library.grouping import suggest_grouping
from printops.library.import_plan import SLICED, PlannedFile, file_sha256, image_check
from printops.library.import_tracking import FolderDesigns, KnownFiles
from printops.library.models import Design, VariantVersion
from printops.library.services.designs import (
    design_file_add,
    design_get_or_create,
    design_image_add,
)
from printops.library.services.search_index import search_index_design
from printops.library.services.versions import version_upload

logger = logging.getLogger(__name__)


def import_file_one(
    *,
    item: PlannedFile,
    known: KnownFiles,
    designs: FolderDesigns,
    file_it: Callable[[], str | None],
    dry_run: bool,
) -> tuple[str, str]:
    """("imported" | "skipped" | "failed", report line) for one file; never raises on bad input."""
    path = item.relative_path
    sha256 = None
    label = None
    try:
        limit = settings.PRINTOPS_MAX_UPLOAD_BYTES
        if item.size_bytes > limit:
            raise InvalidInput(
                f"the file is {item.size_bytes / 1e6:.0f} MB; the largest allowed is "
                f"{limit / 1e6:.0f} MB."
            )
        if item.size_bytes == 0:
            raise InvalidInput("the file is empty.")
        digest = file_sha256(item.path)
        already = known.claim(digest, path)
        if already is not None:
            if item.kind == SLICED and " · " in already:  # a version: "Dragon · Large v1"
                designs.note(item.folder, already.split(" · ")[0])
            return "skipped", f"skipped {path}: already imported as {already}"
        sha256 = digest
        label = file_it()
        if label is None:
            return (
                "skipped",
                f"skipped {path}: no model to attach it to (put it in a model's folder)",
            )
        return "imported", f"{'would import' if dry_run else 'imported'} {path} → {label}"
    except DomainError as error:
        return "failed", f"failed {path}: {_sentence(error.message)}"
    except OSError as error:
        return "failed", f"failed {path}: could not read: {error.strerror or error}"
    except Exception:
        logger.exception("import of %s failed", item.path)
        return "failed", f"failed {path}: an unexpected error; the server log has the details"
    finally:
        if sha256 is not None:
            known.settle(sha256, label.split(" (")[0] if label else None)


def _sentence(message: str) -> str:
    return message[:1].lower() + message[1:] if message[:2] != message[:2].upper() else message


def import_file_sliced(
    actor: Actor, item: PlannedFile, designs: FolderDesigns, dry_run: bool
) -> str:
    if dry_run:
        guess = suggest_grouping(item.relative_path)
        designs.note(item.folder, guess.design)
        designs.planned.add(guess.design.lower())
        return f"{guess.design} · {guess.variant} (new version)"
    with open(item.path, "rb") as content:
        version = version_upload(
            actor=actor,
            content=content,
            size_bytes=item.size_bytes,
            original_name=item.name,
            relative_path=item.relative_path,
        )
    designs.note(item.folder, version.variant.design.name)
    if version.status == VariantVersion.Status.UNREADABLE:
        return f"{version} (unreadable: {version.unreadable_reason})"
    return str(version)


def import_file_mesh(
    actor: Actor, item: PlannedFile, designs: FolderDesigns, name: str, dry_run: bool
) -> str:
    if dry_run:
        designs.planned.add(name.lower())
        return f"a source file of {name}"

    def add(design: Design) -> str:
        with open(item.path, "rb") as content:
            design_file_add(
                actor=actor,
                design=design,
                content=content,
                size_bytes=item.size_bytes,
                original_name=item.name,
            )
        return f"a source file of {design.name}"

    return _with_design(actor, name, add)


def import_file_image(
    actor: Actor, item: PlannedFile, designs: FolderDesigns, name: str | None, dry_run: bool
) -> str | None:
    if name is None:
        return None
    with open(item.path, "rb") as content:
        image_check(content.read(16), "." + item.name.rsplit(".", 1)[-1].lower())
    if dry_run:
        return f"an image of {name}"

    def add(design: Design) -> str:
        with open(item.path, "rb") as content:
            image = design_image_add(
                actor=actor,
                design=design,
                content=content,
                size_bytes=item.size_bytes,
                original_name=item.name,
            )
        return f"an image of {design.name}" + (" (primary)" if image.is_primary else "")

    return _with_design(actor, name, add)


def _with_design(actor: Actor, name: str, attach: Callable[[Design], str]) -> str:
    """Run `attach` with the design of that name, made by `design_get_or_create` when missing;
    a design created here is removed again when attaching fails, so a failure leaves no empty
    design. The name was derived from the file's path (suggest_grouping, "Untitled" when the
    path has no words) or is a design's own."""
    design, created = design_get_or_create(actor=actor, name=name)
    if not created:
        return attach(design)
    try:
        label = attach(design)
    except BaseException:
        Design.objects.filter(
            pk=design.pk, variants__isnull=True, files__isnull=True, images__isnull=True
        ).delete()
        raise
    search_index_design(design_id=design.pk)
    return label
