"""factory_boy factories for the rows tests need."""

from __future__ import annotations

import factory

from printops.accounts.models import Membership, User, Workspace
from printops.accounts.roles import Role

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workshop {n}")
    slug = factory.Sequence(lambda n: f"workshop-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OPERATOR


# --- library rows without a file to read, for production tests ------------------------------

import hashlib  # noqa: E402

from printops.core.models import Blob  # noqa: E402
from printops.library.models import (  # noqa: E402
    Design,
    FilamentUsage,
    Variant,
    VariantVersion,
)


class BlobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blob

    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"factory-blob-{n}".encode()).hexdigest())
    size_bytes = 1
    storage_key = factory.LazyAttribute(lambda o: f"blobs/{o.sha256}")


class DesignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Design

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Design {n}")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    design = factory.SubFactory(DesignFactory)
    workspace = factory.SelfAttribute("design.workspace")
    name = "Standard"


class VariantVersionFactory(factory.django.DjangoModelFactory):
    """A sliced version as read: 1 h, 20 g, 0.4 mm nozzle; add FilamentUsageFactory rows."""

    class Meta:
        model = VariantVersion

    variant = factory.SubFactory(VariantFactory)
    workspace = factory.SelfAttribute("variant.workspace")
    number = factory.Sequence(lambda n: n + 1)
    blob = factory.SubFactory(BlobFactory)
    original_name = factory.Sequence(lambda n: f"part_{n}.gcode")
    metadata = factory.LazyFunction(lambda: {"format": "gcode", "geometry": None})
    file_format = "gcode"
    printer_model = "Original Prusa MK4"
    nozzle_diameter_mm = 0.4
    layer_height_mm = 0.2
    print_seconds = 3600
    filament_grams = 20.0


class FilamentUsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FilamentUsage

    version = factory.SubFactory(VariantVersionFactory)
    workspace = factory.SelfAttribute("version.workspace")
    slot = 0
    material = "PLA"
    color_hex = "#E53935"
    grams = 20.0
