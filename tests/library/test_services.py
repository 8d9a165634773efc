import io

import pytest

from printops.core.errors import Conflict, InvalidInput, NotAllowed
from printops.core.models import Blob
from printops.library import services
from printops.library.models import Category, Design, Variant, VariantVersion

pytestmark = pytest.mark.django_db


def _upload(actor, path, **kwargs):
    data = path.read_bytes()
    return services.version_upload(
        actor=actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name=kwargs.pop("name", path.name),
        **kwargs,
    )


def test_a_sliced_file_becomes_version_one_with_metadata_and_thumbnail(alice_actor, corpus_file):
    version = _upload(
        alice_actor,
        corpus_file("bambu_studio/bs020400_a1mini.gcode.3mf"),
        relative_path="Cubes/Small/cube_small_PLA-red.gcode.3mf",
    )
    assert (version.variant.design.name, version.variant.name, version.number) == (
        "Cube",
        "Small · PLA red",
        1,
    )
    assert version.status == "ready" and version.metadata["format"] == "gcode.3mf"
    assert version.print_seconds and version.filament_grams
    assert version.thumbnail is not None and version.thumbnail.media_type == "image/png"
    assert version.filaments.count() >= 1
    assert version.variant.default_version == version


def test_a_second_upload_to_a_variant_is_version_two(alice_actor, corpus_file):
    first = _upload(
        alice_actor,
        corpus_file("prusaslicer/ps020801_mini_cube.gcode"),
        design_name="Cube",
        variant_name="Mini",
    )
    second = _upload(
        alice_actor,
        corpus_file("prusaslicer/ps020801_testfile.gcode"),
        variant=first.variant,
        change_note="thicker walls",
    )
    assert (second.number, second.change_note) == (2, "thicker walls")
    first.variant.refresh_from_db()
    assert first.variant.default_version == first


def test_identical_bytes_are_refused_with_the_existing_version(alice_actor, corpus_file):
    path = corpus_file("prusaslicer/ps020801_mini_cube.gcode")
    _upload(alice_actor, path, design_name="Cube", variant_name="Mini")
    with pytest.raises(Conflict, match="already in the library as Cube · Mini v1"):
        _upload(alice_actor, path, design_name="Other", variant_name="X")
    assert VariantVersion.objects.count() == 1 and not Design.objects.filter(name="Other")


def test_an_unreadable_file_is_kept_and_marked(alice_actor):
    data = b"\x00\x01 definitely not a slice" * 10
    version = services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="broken.gcode.3mf",
    )
    assert version.status == "unreadable" and version.unreadable_reason
    assert version.blob.size_bytes == len(data)


def test_a_failed_upload_leaves_no_blob(alice_actor, corpus_file):
    path = corpus_file("prusaslicer/ps020801_mini_cube.gcode")
    with pytest.raises(InvalidInput):
        _upload(alice_actor, path, design_name="   ", variant_name="x")
    assert not Blob.objects.exists()


def test_an_operator_cannot_upload(bob_actor):
    with pytest.raises(NotAllowed):
        services.version_upload(
            actor=bob_actor, content=io.BytesIO(b"x"), size_bytes=1, original_name="a.gcode"
        )
    assert not Blob.objects.exists()


def test_an_oversized_file_is_refused_before_storing(alice_actor, settings):
    settings.PRINTOPS_MAX_UPLOAD_BYTES = 10
    with pytest.raises(InvalidInput, match="largest allowed"):
        services.version_upload(
            actor=alice_actor, content=io.BytesIO(b"x" * 11), size_bytes=11, original_name="a.gcode"
        )
    assert not Blob.objects.exists()


def test_a_correction_keeps_the_extracted_value(alice_actor, corpus_file):
    version = _upload(alice_actor, corpus_file("prusaslicer/ps020801_mini_cube.gcode"))
    extracted = version.metadata["layer_height_mm"]
    version = services.version_correct(
        actor=alice_actor, version=version, field="layer_height_mm", raw_value="0.28"
    )
    assert version.layer_height_mm == 0.28 and version.metadata["layer_height_mm"] == extracted
    assert version.corrections["layer_height_mm"]["by"] == "Alice"
    with pytest.raises(InvalidInput, match="not a valid"):
        services.version_correct(
            actor=alice_actor, version=version, field="layer_height_mm", raw_value="thick"
        )


def test_a_new_workspace_gets_the_default_categories(db):
    from printops.accounts.services import user_sign_up

    membership = user_sign_up(
        email="n@example.com", password="a long enough passphrase", name="N", workspace_name="New"
    )
    names = set(
        Category.objects.filter(workspace=membership.workspace).values_list("name", flat=True)
    )
    assert names == {"Keychain", "Earring", "Decoration", "Functional"}


def test_a_mesh_gets_a_rendered_thumbnail(alice_actor, django_capture_on_commit_callbacks):
    import struct

    triangles = [
        ((0, 0, 0), (10, 0, 0), (0, 10, 0)),
        ((0, 0, 0), (0, 10, 0), (0, 0, 10)),
        ((0, 0, 0), (0, 0, 10), (10, 0, 0)),
        ((10, 0, 0), (0, 0, 10), (0, 10, 0)),
    ]
    data = (
        b"\0" * 80
        + struct.pack("<I", len(triangles))
        + b"".join(struct.pack("<12fH", 0, 0, 0, *a, *b, *c, 0) for a, b, c in triangles)
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = services.version_upload(
            actor=alice_actor,
            content=io.BytesIO(data),
            size_bytes=len(data),
            original_name="tetra.stl",
        )
    assert version.metadata["geometry"]["triangles"] == 4
    version.refresh_from_db()
    assert version.thumbnail is not None and version.thumbnail.media_type == "image/png"


def test_variant_lookup_is_per_workspace(alice_actor, charlie_membership, corpus_file):
    from printops.accounts.actor import Actor

    charlie = Actor(user=charlie_membership.user, membership=charlie_membership)
    _upload(
        alice_actor,
        corpus_file("prusaslicer/ps020801_mini_cube.gcode"),
        design_name="Cube",
        variant_name="Mini",
    )
    _upload(
        charlie,
        corpus_file("prusaslicer/ps020801_mini_cube.gcode"),
        design_name="Cube",
        variant_name="Mini",
    )
    assert Variant.objects.count() == 2 and Blob.objects.count() == 2  # + one thumbnail


def test_a_design_source_must_be_a_web_address(alice_actor, corpus_file):
    version = _upload(alice_actor, corpus_file("prusaslicer/ps020801_mini_cube.gcode"))
    with pytest.raises(InvalidInput, match="full web address"):
        services.design_update(
            actor=alice_actor,
            design=version.variant.design,
            name="Cube",
            source_url="javascript:alert(1)",
        )


@pytest.mark.parametrize(
    ("head", "name", "sentence"),
    [
        (b"\x89PNG\r\n\x1a\n", "photo.gcode", "PNG picture"),
        (b"%PDF-1.7", "manual.3mf", "PDF document"),
        (b"PK\x03\x04rest", "folder.gcode", "zip archive"),
        (b"\x7fELF\x02", "tool.bgcode", "program"),
    ],
)
def test_another_kind_of_file_is_refused_by_its_content(alice_actor, head, name, sentence):
    data = head + b"\x00" * 64
    with pytest.raises(InvalidInput, match=sentence):
        services.version_upload(
            actor=alice_actor, content=io.BytesIO(data), size_bytes=len(data), original_name=name
        )
    assert not Blob.objects.exists()


def test_a_png_bomb_thumbnail_is_not_stored_and_the_version_says_why(alice_actor):
    from tests.thumbnail_files import gcode_with_thumbnails, png_bomb

    data = gcode_with_thumbnails(("300x300", png_bomb())).encode()
    version = services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="bomb.gcode",
    )
    assert version.status == "ready" and version.thumbnail is None
    assert any("20000 × 20000" in warning for warning in version.metadata["warnings"])


def test_a_large_thumbnail_is_stored_at_a_bounded_size(alice_actor):
    from PIL import Image

    from printops.core.blobs import blob_open_verified
    from tests.thumbnail_files import gcode_with_thumbnails, real_png

    data = gcode_with_thumbnails(("3000x3000", real_png(3000, 3000))).encode()
    version = services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="large.gcode",
    )
    with blob_open_verified(version.thumbnail) as stored:
        assert Image.open(stored).size == (1024, 1024)


def test_a_zip_bomb_named_gcode_3mf_is_filed_unreadable_with_the_reason(alice_actor):
    import zipfile

    content = io.BytesIO()
    with (
        zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("Metadata/plate_1.gcode", "w", force_zip64=True) as member,
    ):
        for _ in range(40):
            member.write(b"\0" * (1 << 20))
    version = services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(content.getvalue()),
        size_bytes=len(content.getvalue()),
        original_name="bomb.gcode.3mf",
    )
    assert version.status == "unreadable" and version.metadata == {}
    assert "a member expands beyond the limit" in version.unreadable_reason
