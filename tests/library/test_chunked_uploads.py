import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from printops.core.errors import Conflict, InvalidInput
from printops.library import services
from printops.library.models import ChunkedUpload
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pieces(settings):
    settings.PRINTOPS_UPLOAD_CHUNK_BYTES = 100_000


def _send_all(actor, upload, data, start=0):
    for offset in range(start, len(data), upload.chunk_bytes):
        upload = services.chunked_upload_append(
            actor=actor,
            upload=upload,
            offset=offset,
            data=data[offset : offset + upload.chunk_bytes],
        )
    return upload


def test_pieces_join_into_a_version_with_the_exact_bytes(alice_actor, corpus_file, small_pieces):
    data = corpus_file("prusaslicer/ps020801_testfile.gcode").read_bytes()
    upload = services.chunked_upload_start(
        actor=alice_actor, original_name="big_PLA.gcode", size_bytes=len(data)
    )
    upload = _send_all(alice_actor, upload, data)
    version = services.chunked_upload_finish(actor=alice_actor, upload=upload)
    with default_storage.open(version.blob.storage_key, "rb") as stored:
        assert stored.read() == data
    assert version.metadata["format"] == "gcode"
    assert not ChunkedUpload.objects.exists()
    assert default_storage.listdir(f"partial/{upload.pk}")[1] == []


def test_a_piece_at_the_wrong_offset_is_refused(alice_actor, small_pieces):
    upload = services.chunked_upload_start(
        actor=alice_actor, original_name="a.gcode", size_bytes=250_000
    )
    with pytest.raises(Conflict, match="has 0 bytes"):
        services.chunked_upload_append(
            actor=alice_actor, upload=upload, offset=100_000, data=b"x" * 100_000
        )
    with pytest.raises(InvalidInput, match="should be 100000 bytes"):
        services.chunked_upload_append(actor=alice_actor, upload=upload, offset=0, data=b"x" * 10)


def test_finishing_early_says_how_much_arrived(alice_actor, small_pieces):
    upload = services.chunked_upload_start(
        actor=alice_actor, original_name="a.gcode", size_bytes=150_000
    )
    upload = services.chunked_upload_append(
        actor=alice_actor, upload=upload, offset=0, data=b"x" * 100_000
    )
    with pytest.raises(Conflict, match="Only 100000 of 150000 bytes"):
        services.chunked_upload_finish(actor=alice_actor, upload=upload)


def test_a_too_large_file_is_refused_at_the_start(alice_actor, settings):
    settings.PRINTOPS_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(InvalidInput, match="largest allowed"):
        services.chunked_upload_start(actor=alice_actor, original_name="a.gcode", size_bytes=5000)


def test_the_page_endpoints_resume_after_an_interruption(alice_client, corpus_file, small_pieces):
    data = corpus_file("prusaslicer/ps020801_testfile.gcode").read_bytes()
    started = alice_client.post(
        reverse("library:chunked_start"), {"name": "resumed.gcode", "size": len(data)}
    ).json()
    url = reverse("library:chunked_piece", args=[started["id"]])
    first = data[:100_000]
    alice_client.put(f"{url}?offset=0", first, content_type="application/octet-stream")
    # The answer was "lost" and the browser sends the same piece again: told where to go on.
    again = alice_client.put(f"{url}?offset=0", first, content_type="application/octet-stream")
    assert again.status_code == 409 and again.json()["received_bytes"] == 100_000
    status = alice_client.get(url).json()
    offset = status["received_bytes"]
    while offset < len(data):
        piece = data[offset : offset + 100_000]
        offset = alice_client.put(
            f"{url}?offset={offset}", piece, content_type="application/octet-stream"
        ).json()["received_bytes"]
    done = alice_client.post(
        reverse("library:chunked_finish", args=[started["id"]]),
        {"relative_path": "Cubes/resumed.gcode"},
    )
    assert done.status_code == 201 and done.json()["design"]["name"] == "Cube"


def test_only_the_uploader_can_continue(alice_client, workspace, alice_actor, charlie_client):
    upload = services.chunked_upload_start(
        actor=alice_actor, original_name="a.gcode", size_bytes=10
    )
    url = reverse("library:chunked_piece", args=[upload.pk])
    assert charlie_client.get(url).status_code == 404
    teammate = MembershipFactory(workspace=workspace, role="manager").user
    client = Client()
    client.force_login(teammate)
    assert client.get(url).status_code == 404
