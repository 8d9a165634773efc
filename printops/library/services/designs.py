"""Designs and what hangs off them: details, tags, favourites, pictures, source files,
categories, variants' names, and a new workspace's categories."""

from __future__ import annotations

import logging
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record, snapshot
from printops.accounts.models import Workspace
from printops.accounts.roles import Perm
from printops.core.blobs import blob_discard_if_unused, blob_open_verified, blob_put
from printops.core.errors import Conflict, InvalidInput
from printops.library.extraction import extract
from printops.library.models import (
    DEFAULT_CATEGORIES,
    Category,
    Design,
    DesignFile,
    DesignImage,
    Favourite,
    Tag,
    Variant,
    VariantVersion,
)
from printops.library.services.common import (
    DESIGN_FIELDS,
    _check_size,
    _clean_name,
    _delete_unless_printed,
)
from printops.library.services.search_index import search_index_design

logger = logging.getLogger(__name__)


def library_workspace_setup(*, workspace: Workspace) -> None:
    """Seed a new workspace's category list."""
    for name in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(workspace=workspace, name=name)


def design_update(
    *,
    actor: Actor,
    design: Design,
    name: str,
    designer: str = "",
    licence: str = "",
    source_url: str = "",
    description: str = "",
    category: Category | None = None,
    tag_names: list[str] | None = None,
) -> Design:
    """Edit a design's descriptive fields, category and tags."""
    actor.require(Perm.EDIT_CATALOGUE)
    name = _clean_name(name, "design")
    if source_url.strip():
        try:
            URLValidator(schemes=["http", "https"])(source_url.strip())
        except ValidationError:
            raise InvalidInput(
                "Enter a full web address (https://…) for the source.", field="source_url"
            ) from None
    if category is not None and category.workspace_id != actor.workspace.pk:
        raise InvalidInput("Choose a category of this workspace.", field="category")
    with transaction.atomic():
        design = Design.objects.select_for_update().get(pk=design.pk)
        before = snapshot(design, (*DESIGN_FIELDS, "category"))
        design.name, design.designer, design.licence = name, designer.strip(), licence.strip()
        design.source_url, design.description = source_url.strip(), description.strip()
        design.category = category
        design.save()
        if tag_names is not None:
            design.tags.set(_tags(actor=actor, names=tag_names))
        audit_record(
            actor=actor,
            verb="design.updated",
            obj=design,
            before=before,
            after=snapshot(design, (*DESIGN_FIELDS, "category")),
        )
        search_index_design(design_id=design.pk)
    return design


def _tags(*, actor: Actor, names: list[str]) -> list[Tag]:
    tags = []
    for raw in names:
        name = " ".join(raw.split()).lower()[:40]
        if name:
            tag, _ = Tag.objects.get_or_create(workspace=actor.workspace, name=name)
            tags.append(tag)
    return tags


def design_favourite_toggle(*, actor: Actor, design: Design) -> bool:
    """Star or unstar a design for the acting user; returns whether it is now a favourite."""
    actor.require(Perm.VIEW)
    deleted, _ = Favourite.objects.filter(design=design, user=actor.user).delete()
    if deleted:
        return False
    Favourite.objects.get_or_create(workspace=actor.workspace, design=design, user=actor.user)
    return True


def design_delete(*, actor: Actor, design: Design) -> None:
    """Delete a design with its variants and versions (their files stay while referenced)."""
    actor.require(Perm.EDIT_CATALOGUE)
    blobs = [v.blob for v in VariantVersion.objects.filter(variant__design=design)]
    with transaction.atomic():
        audit_record(
            actor=actor, verb="design.deleted", obj=design, before=snapshot(design, DESIGN_FIELDS)
        )
        Variant.objects.filter(design=design).update(default_version=None)
        design_id = design.pk
        _delete_unless_printed(design, what=f"{design.name} has versions")
        search_index_design(design_id=design_id)
    for blob in blobs:
        blob_discard_if_unused(blob)


IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp"}


MAX_IMAGE_BYTES = 20 * 1024 * 1024


def _image_media_type(content: IO[bytes]) -> str:
    head = content.read(12)
    content.seek(0)
    for magic, media_type in IMAGE_TYPES.items():
        if head.startswith(magic) and (magic != b"RIFF" or head[8:12] == b"WEBP"):
            return media_type
    raise InvalidInput("Use a PNG, JPEG or WebP picture.", field="image")


def design_image_add(
    *, actor: Actor, design: Design, content: IO[bytes], size_bytes: int, original_name: str
) -> DesignImage:
    """Attach a photo or render to a design; the first one becomes primary."""
    actor.require(Perm.EDIT_CATALOGUE)
    if size_bytes > MAX_IMAGE_BYTES:
        raise InvalidInput("Pictures can be up to 20 MB.", field="image")
    media_type = _image_media_type(content)
    blob = blob_put(content=content, media_type=media_type)
    try:
        with transaction.atomic():
            is_first = not DesignImage.objects.filter(design=design).exists()
            image = DesignImage.objects.create(
                workspace=actor.workspace,
                design=design,
                blob=blob,
                is_primary=is_first,
                original_name=(original_name or "picture")[:255],
            )
            audit_record(
                actor=actor,
                verb="design.image_added",
                obj=design,
                after={"image": image.original_name},
            )
    except BaseException:
        blob_discard_if_unused(blob)
        raise
    return image


def design_image_make_primary(*, actor: Actor, image: DesignImage) -> None:
    """Show this picture first for its design."""
    actor.require(Perm.EDIT_CATALOGUE)
    with transaction.atomic():
        DesignImage.objects.filter(design_id=image.design_id).update(is_primary=False)
        DesignImage.objects.filter(pk=image.pk).update(is_primary=True)
        audit_record(
            actor=actor,
            verb="design.primary_image_set",
            obj=image.design,
            after={"image": image.original_name},
        )


def design_image_remove(*, actor: Actor, image: DesignImage) -> None:
    """Remove a picture (the next one becomes primary when it was)."""
    actor.require(Perm.EDIT_CATALOGUE)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="design.image_removed",
            obj=image.design,
            before={"image": image.original_name},
        )
        image.delete()
        if image.is_primary:
            successor = DesignImage.objects.filter(design_id=image.design_id).first()
            if successor is not None:
                DesignImage.objects.filter(pk=successor.pk).update(is_primary=True)
    blob_discard_if_unused(image.blob)


SOURCE_SUFFIXES = (".stl", ".3mf", ".obj", ".step", ".stp", ".f3d", ".scad", ".blend")


def design_file_add(
    *, actor: Actor, design: Design, content: IO[bytes], size_bytes: int, original_name: str
) -> DesignFile:
    """Keep a source file (mesh or CAD) with a design, with its geometry when readable."""
    actor.require(Perm.EDIT_CATALOGUE)
    original_name = (original_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not original_name.lower().endswith(SOURCE_SUFFIXES):
        raise InvalidInput(
            "Source files are STL, 3MF, OBJ, STEP, F3D, SCAD or BLEND.", field="file"
        )
    _check_size(size_bytes)
    blob = blob_put(content=content)
    try:
        geometry = None
        if original_name.lower().endswith((".stl", ".3mf")):
            with blob_open_verified(blob) as local:
                geometry = (extract(local, original_name).metadata or {}).get("geometry")
        with transaction.atomic():
            source = DesignFile.objects.create(
                workspace=actor.workspace,
                design=design,
                blob=blob,
                geometry=geometry,
                original_name=original_name[:255],
                uploaded_by=actor.user,
            )
            audit_record(
                actor=actor, verb="design.file_added", obj=design, after={"file": original_name}
            )
    except BaseException:
        blob_discard_if_unused(blob)
        raise
    return source


def category_create(*, actor: Actor, name: str) -> Category:
    """Add a category to the workspace's list."""
    actor.require(Perm.EDIT_SETTINGS)
    name = _clean_name(name, "category", limit=60)
    if Category.objects.filter(workspace=actor.workspace, name__iexact=name).exists():
        raise Conflict(f"There is already a category called {name}.", field="name")
    with transaction.atomic():
        category = Category.objects.create(workspace=actor.workspace, name=name)
        audit_record(actor=actor, verb="category.created", obj=category, after={"name": name})
    return category


def category_delete(*, actor: Actor, category: Category) -> None:
    """Remove a category; its designs keep their other details and become uncategorised."""
    actor.require(Perm.EDIT_SETTINGS)
    with transaction.atomic():
        audit_record(
            actor=actor, verb="category.deleted", obj=category, before={"name": category.name}
        )
        design_ids = list(category.design_set.values_list("pk", flat=True))
        category.delete()
        for design_id in design_ids:
            search_index_design(design_id=design_id)


def design_get_or_create(*, actor: Actor, name: str) -> tuple[Design, bool]:
    """The workspace's design of that name (ignoring case), created and audited when missing,
    and whether it was created. The one place a design is made: the name is cleaned (runs of
    spaces become one) and a blank or over-long name is refused. Callers index it for search
    with their own write."""
    actor.require(Perm.EDIT_CATALOGUE)
    name = _clean_name(name, "design")
    design = Design.objects.filter(workspace=actor.workspace, name__iexact=name).first()
    if design is not None:
        return design, False
    with transaction.atomic():
        design = Design.objects.create(workspace=actor.workspace, name=name, created_by=actor.user)
        audit_record(actor=actor, verb="design.created", obj=design, after={"name": name})
    return design, True


def design_create(*, actor: Actor, name: str) -> Design:
    """Create an empty model (variants come with their first upload)."""
    actor.require(Perm.EDIT_CATALOGUE)
    name = _clean_name(name, "design")
    if Design.objects.filter(workspace=actor.workspace, name__iexact=name).exists():
        raise Conflict(f"There is already a model called {name}.", field="name")
    with transaction.atomic():
        design, _created = design_get_or_create(actor=actor, name=name)
        search_index_design(design_id=design.pk)
    return design


def variant_rename(*, actor: Actor, variant: Variant, name: str) -> Variant:
    """Rename a variant; names are unique within their model."""
    actor.require(Perm.EDIT_CATALOGUE)
    name = _clean_name(name, "variant")
    if (
        Variant.objects.filter(design_id=variant.design_id, name__iexact=name)
        .exclude(pk=variant.pk)
        .exists()
    ):
        raise Conflict(f"This model already has a variant called {name}.", field="name")
    with transaction.atomic():
        before = {"name": variant.name}
        Variant.objects.filter(pk=variant.pk).update(name=name)
        variant.name = name
        audit_record(
            actor=actor, verb="variant.renamed", obj=variant, before=before, after={"name": name}
        )
        search_index_design(design_id=variant.design_id)
    return variant
