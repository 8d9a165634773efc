import io
import zipfile

import pytest
from django.urls import reverse

from printops.core.models import Blob
from printops.library.models import ImportJob, VariantVersion

pytestmark = pytest.mark.django_db


def _zip(members: dict[str, bytes], name: str = "prints.zip") -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.fixture
def gcode(corpus_file):
    return corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()


def test_the_import_page_offers_the_upload_form(alice_client):
    response = alice_client.get(reverse("library:import"))
    assert response.status_code == 200
    assert b'name="archive"' in response.content and b"import.js" in response.content
    assert b"No imports yet." in response.content


def test_an_operator_is_told_who_can_import(bob_client):
    response = bob_client.get(reverse("library:import"))
    assert b"Only managers and owners can import" in response.content
    assert b'name="archive"' not in response.content


def test_an_operator_upload_is_refused_with_a_sentence(bob_client, gcode):
    response = bob_client.post(
        reverse("library:import"),
        {"archive": _zip({"a.gcode": gcode})},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only managers and owners can edit the catalogue."
    assert not ImportJob.objects.exists()


def test_an_uploaded_zip_is_imported_and_its_page_shows_the_report(
    alice_client, gcode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("library:import"),
            {"archive": _zip({"Dragons\\Large\\dragon.gcode": gcode})},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
    assert response.status_code == 201
    job = ImportJob.objects.get()
    assert response.json()["url"] == reverse("library:import_job", args=[job.pk])
    page = alice_client.get(response.json()["url"])
    assert "imported Dragons/Large/dragon.gcode → Dragon · Large · PLA v1" in page.content.decode()
    assert b"hx-trigger" not in page.content  # finished: no more polling
    assert VariantVersion.objects.count() == 1


def test_without_javascript_the_form_redirects_to_the_job(alice_client, gcode):
    response = alice_client.post(reverse("library:import"), {"archive": _zip({"a.gcode": gcode})})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("library:import_job", args=[job.pk])


def test_a_running_job_polls_its_progress_fragment(alice_actor, alice_client):
    job = ImportJob.objects.create(
        workspace=alice_actor.workspace,
        name="big.zip",
        status=ImportJob.Status.RUNNING,
        total_files=10,
        processed_files=4,
        report=["imported a.gcode → A · Standard v1"],
    )
    page = alice_client.get(reverse("library:import_job", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in page.content and b'value="40"' in page.content
    fragment = alice_client.get(
        reverse("library:import_job", args=[job.pk]), HTTP_HX_REQUEST="true"
    )
    assert fragment.content.lstrip().startswith(b'<section id="import-job"')
    assert b"<html" not in fragment.content and b"4 of 10 files" in fragment.content


def test_a_hostile_zip_is_refused_on_the_page_and_leaves_nothing(alice_client):
    response = alice_client.post(
        reverse("library:import"),
        {"archive": _zip({"../evil.gcode": b"G1 X1\n"})},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 422
    assert "unsafe path" in response.json()["detail"]
    assert not ImportJob.objects.exists() and not Blob.objects.exists()


def test_a_zip_bomb_is_refused_without_javascript_too(alice_client):
    response = alice_client.post(
        reverse("library:import"), {"archive": _zip({"bomb.gcode": b"\0" * (20 * 1024 * 1024)})}
    )
    assert response.status_code == 422
    assert b"zip bomb" in response.content
    assert not Blob.objects.exists()


def test_a_file_that_is_not_a_zip_is_refused(alice_client):
    fake = io.BytesIO(b"not a zip")
    fake.name = "prints.gcode"
    response = alice_client.post(
        reverse("library:import"), {"archive": fake}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Choose a .zip file of the folder to import."


def test_posting_without_a_file_asks_for_one(alice_client):
    response = alice_client.post(reverse("library:import"), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400


def test_the_jobs_list_shows_this_workspace_only(alice_actor, charlie_membership, alice_client):
    ImportJob.objects.create(workspace=alice_actor.workspace, name="alice.zip")
    ImportJob.objects.create(workspace=charlie_membership.workspace, name="charlie.zip")
    page = alice_client.get(reverse("library:import")).content
    assert b"alice.zip" in page and b"charlie.zip" not in page


def test_another_workspace_import_is_not_found(alice_actor, charlie_client):
    job = ImportJob.objects.create(workspace=alice_actor.workspace, name="alice.zip")
    response = charlie_client.get(reverse("library:import_job", args=[job.pk]))
    assert response.status_code == 404
