import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from printops.core.errors import InvalidInput, NotAllowed
from printops.core.models import Blob
from printops.library import services
from printops.library.models import Category, Design, DesignImage

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def design(workspace, alice):
    return Design.objects.create(workspace=workspace, name="Dragon", created_by=alice)


def _tetra_stl() -> bytes:
    tris = [
        ((0, 0, 0), (10, 0, 0), (0, 10, 0)),
        ((0, 0, 0), (0, 10, 0), (0, 0, 10)),
        ((0, 0, 0), (0, 0, 10), (10, 0, 0)),
        ((10, 0, 0), (0, 0, 10), (0, 10, 0)),
    ]
    return (
        b"\0" * 80
        + struct.pack("<I", 4)
        + b"".join(struct.pack("<12fH", 0, 0, 0, *a, *b, *c, 0) for a, b, c in tris)
    )


def test_the_first_picture_is_primary_and_primary_can_move(alice_actor, design):
    first = services.design_image_add(
        actor=alice_actor,
        design=design,
        content=io.BytesIO(PNG),
        size_bytes=len(PNG),
        original_name="a.png",
    )
    second = services.design_image_add(
        actor=alice_actor,
        design=design,
        content=io.BytesIO(PNG + b"x"),
        size_bytes=len(PNG) + 1,
        original_name="b.png",
    )
    assert first.is_primary and not second.is_primary
    services.design_image_make_primary(actor=alice_actor, image=second)
    assert DesignImage.objects.get(is_primary=True) == second


def test_removing_the_primary_picture_promotes_the_next(alice_actor, design):
    first = services.design_image_add(
        actor=alice_actor,
        design=design,
        content=io.BytesIO(PNG),
        size_bytes=len(PNG),
        original_name="a.png",
    )
    services.design_image_add(
        actor=alice_actor,
        design=design,
        content=io.BytesIO(PNG + b"x"),
        size_bytes=len(PNG) + 1,
        original_name="b.png",
    )
    services.design_image_remove(actor=alice_actor, image=first)
    assert DesignImage.objects.get().is_primary
    assert Blob.objects.count() == 1


def test_a_non_picture_is_refused_and_stores_nothing(alice_actor, design):
    with pytest.raises(InvalidInput, match="PNG, JPEG or WebP"):
        services.design_image_add(
            actor=alice_actor,
            design=design,
            content=io.BytesIO(b"GIF89a"),
            size_bytes=6,
            original_name="a.gif",
        )
    assert not Blob.objects.exists()


def test_a_source_mesh_keeps_its_geometry(alice_actor, design):
    data = _tetra_stl()
    source = services.design_file_add(
        actor=alice_actor,
        design=design,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="dragon.stl",
    )
    assert source.geometry["triangles"] == 4


def test_a_source_file_must_be_a_model_file(alice_actor, design):
    with pytest.raises(InvalidInput, match="Source files are"):
        services.design_file_add(
            actor=alice_actor,
            design=design,
            content=io.BytesIO(b"x"),
            size_bytes=1,
            original_name="notes.txt",
        )


def test_categories_are_managed_by_managers(alice_actor, bob_actor):
    category = services.category_create(actor=alice_actor, name="Planters")
    with pytest.raises(NotAllowed):
        services.category_create(actor=bob_actor, name="Mine")
    services.category_delete(actor=alice_actor, category=category)
    assert not Category.objects.filter(name="Planters").exists()


def test_the_design_page_adds_and_shows_a_picture(alice_client, design):
    alice_client.post(
        reverse("library:image_add", args=[design.pk]),
        {"image": SimpleUploadedFile("photo.png", PNG)},
    )
    image = DesignImage.objects.get()
    page = alice_client.get(reverse("library:design", args=[design.pk]))
    assert reverse("library:image", args=[image.pk]).encode() in page.content
    shown = alice_client.get(reverse("library:image", args=[image.pk]))
    assert b"".join(shown.streaming_content) == PNG


def test_an_outsider_gets_404_for_pictures_files_and_categories(
    charlie_client, alice_actor, design
):
    image = services.design_image_add(
        actor=alice_actor,
        design=design,
        content=io.BytesIO(PNG),
        size_bytes=len(PNG),
        original_name="a.png",
    )
    data = _tetra_stl()
    source = services.design_file_add(
        actor=alice_actor,
        design=design,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="d.stl",
    )
    category = services.category_create(actor=alice_actor, name="Planters")
    assert charlie_client.get(reverse("library:image", args=[image.pk])).status_code == 404
    assert charlie_client.get(reverse("library:file_download", args=[source.pk])).status_code == 404
    assert (
        charlie_client.post(reverse("library:category_delete", args=[category.pk])).status_code
        == 404
    )
    assert (
        charlie_client.post(
            reverse("library:image_add", args=[design.pk]),
            {"image": SimpleUploadedFile("p.png", PNG)},
        ).status_code
        == 404
    )
