import io

import pytest
from django.core.files.storage import default_storage

from printops.core.blobs import blob_open_verified, blob_put
from printops.core.errors import Conflict
from printops.core.models import Blob

pytestmark = pytest.mark.django_db


def test_identical_bytes_are_stored_once():
    first = blob_put(content=io.BytesIO(b"G1 X10\n" * 1000), media_type="text/x-gcode")
    second = blob_put(content=io.BytesIO(b"G1 X10\n" * 1000))
    assert first == second and Blob.objects.count() == 1
    assert first.size_bytes == 7000
    assert first.storage_key == f"blobs/{first.sha256[:2]}/{first.sha256[2:4]}/{first.sha256}"


def test_a_blob_reads_back_its_exact_bytes():
    payload = bytes(range(256)) * 5000  # larger than one chunk
    blob = blob_put(content=io.BytesIO(payload))
    with blob_open_verified(blob) as local:
        assert local.read() == payload


def test_a_corrupted_blob_is_caught_on_read():
    blob = blob_put(content=io.BytesIO(b"original bytes"))
    default_storage.delete(blob.storage_key)
    default_storage.save(blob.storage_key, io.BytesIO(b"tampered bytes"))
    with (
        pytest.raises(Conflict, match="no longer matches its checksum"),
        blob_open_verified(blob),
    ):
        pass


def test_no_temporary_upload_is_left_behind():
    blob_put(content=io.BytesIO(b"abc"))
    _, leftovers = default_storage.listdir("uploads")
    assert leftovers == []
