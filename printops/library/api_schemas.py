"""The library API's request and response shapes, and the functions that fill the responses
from rows. A version's JSON is built in presenters.py (`version_api_json`), beside the upload
page's, from the same identity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
from ninja import Schema

from printops.core.bounds import Id, one_of
from printops.library import services
from printops.library.models import Design, DesignImage, Variant


class VariantRef(Schema):
    id: int
    name: str


class DesignRef(Schema):
    id: int
    name: str


class VersionOut(Schema):
    id: int
    number: int
    status: str
    unreadable_reason: str
    original_name: str
    change_note: str
    size_bytes: int
    sha256: str
    design: DesignRef
    variant: VariantRef
    is_default: bool
    print_seconds: int | None
    filament_grams: float | None
    corrections: dict[str, Any]
    metadata: dict[str, Any]
    created_at: datetime


class DesignIn(Schema):
    name: str
    designer: str = ""
    licence: str = ""
    source_url: str = ""
    description: str = ""
    category: Id | None = None
    tags: list[str] | None = None


class DesignOut(Schema):
    id: int
    name: str
    designer: str
    licence: str
    source_url: str
    description: str
    category: str | None
    tags: list[str]
    variants: list[VariantRef]
    created_at: datetime
    updated_at: datetime


class SearchHitOut(Schema):
    design_id: int
    name: str
    designer: str
    category: str
    variant_count: int
    version_count: int
    version_id: int | None
    thumbnail_url: str | None
    materials: list[str]
    colours: list[str]
    print_seconds: int | None
    filament_grams: float | None
    is_favourite: bool


class SearchOut(Schema):
    items: list[SearchHitOut]
    total: int
    facets: dict[str, list[tuple[Any, str, int]]]


class NameIn(Schema):
    name: str


class VariantOut(Schema):
    id: int
    design_id: int
    name: str
    default_version_id: int | None
    versions: list[int]


class ImageOut(Schema):
    id: int
    design_id: int
    original_name: str
    is_primary: bool
    url: str


class CorrectionIn(Schema):
    field: one_of(*services.CORRECTABLE_FIELDS)  # type: ignore[valid-type]
    value: str


def variant_out(variant: Variant) -> dict[str, Any]:
    return {
        "id": variant.pk,
        "design_id": variant.design_id,
        "name": variant.name,
        "default_version_id": variant.default_version_id,
        "versions": [v.pk for v in variant.versions.all()],
    }


def image_out(image: DesignImage) -> dict[str, Any]:
    return {
        "id": image.pk,
        "design_id": image.design_id,
        "original_name": image.original_name,
        "is_primary": image.is_primary,
        "url": reverse("library:image", args=[image.pk]),
    }


def design_out(design: Design) -> dict[str, Any]:
    return {
        "id": design.pk,
        "name": design.name,
        "designer": design.designer,
        "licence": design.licence,
        "source_url": design.source_url,
        "description": design.description,
        "category": design.category.name if design.category else None,
        "tags": [t.name for t in design.tags.all()],
        "variants": [{"id": v.pk, "name": v.name} for v in design.variants.all()],
        "created_at": design.created_at,
        "updated_at": design.updated_at,
    }
