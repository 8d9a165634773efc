"""With S3 storage, downloads are short-lived signed links given after the access check."""

import io
import urllib.request

import pytest
from django.urls import reverse

from printops.library import services
from tests.core.test_s3_storage import s3_endpoint, s3_storage  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_download_redirects_to_a_signed_link_with_the_exact_bytes(
    s3_storage,  # noqa: F811
    alice_actor,
    alice_client,
    charlie_client,
    corpus_file,
):
    data = corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()
    version = services.version_upload(
        actor=alice_actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="mini_cube.gcode",
    )
    url = reverse("library:download", args=[version.pk])
    assert charlie_client.get(url).status_code == 404
    response = alice_client.get(url)
    assert response.status_code == 302 and "X-Amz-Signature" in response["Location"]
    with urllib.request.urlopen(response["Location"], timeout=10) as signed:
        assert signed.read() == data
        assert "mini_cube.gcode" in signed.headers["Content-Disposition"]
