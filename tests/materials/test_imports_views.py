import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from printops.accounts import services as account_services
from printops.accounts.roles import Role
from printops.materials.models import Filament, Spool
from tests.factories import MembershipFactory
from tests.materials import test_imports

pytestmark = pytest.mark.django_db

spoolman_server = test_imports.spoolman_server  # a throw-away Spoolman on 127.0.0.1

FILAMENTS = b"vendor,material,colour_name,color_hex\nSunlu,PETG,Teal,#00A0A0\n"
SPOOLS = (
    b"label_code,vendor,material,colour_name,remaining_grams,location\n"
    b"QQ22,Prusament,PLA,Galaxy Black,500,Shelf B\n"
)


def _upload(client, kind, data, name="stock.csv"):
    return client.post(
        reverse("materials:import_preview", args=[kind]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


@pytest.fixture
def viewer_client(workspace):
    membership = MembershipFactory(workspace=workspace, role=Role.VIEWER)
    client = Client()
    client.force_login(membership.user)
    return client


def test_the_materials_page_links_to_import_and_export(alice_client):
    response = alice_client.get(reverse("materials:index"))
    assert reverse("materials:import").encode() in response.content


def test_the_import_page_offers_both_downloads_and_uploads(alice_client):
    html = alice_client.get(reverse("materials:import")).content.decode()
    assert "Filaments (CSV)" in html and "Spools (CSV)" in html
    assert "Import filaments" in html and html.count('type="file"') == 3


def test_a_viewer_sees_downloads_but_no_upload(viewer_client):
    html = viewer_client.get(reverse("materials:import")).content.decode()
    assert "Spools (CSV)" in html and 'type="file"' not in html


def test_spools_download_as_csv(alice_client, spool):
    response = alice_client.get(reverse("materials:export", args=["spools"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert spool.label_code in response.content.decode()


def test_an_unknown_export_is_404(alice_client):
    assert alice_client.get("/materials/export/printers.csv").status_code == 404


def test_the_outsider_downloads_only_their_own_spools(charlie_client, spool):
    response = charlie_client.get(reverse("materials:export", args=["spools"]))
    assert spool.label_code not in response.content.decode()


def test_a_preview_lists_the_rows_and_writes_nothing(alice_client):
    response = _upload(alice_client, "filaments", FILAMENTS)
    html = response.content.decode()
    assert response.status_code == 200 and "1 to add" in html and "Sunlu" in html
    assert ">Import</button>" in html
    assert not Filament.objects.exists()


def test_import_applies_the_previewed_file(alice_client):
    preview = _upload(alice_client, "filaments", FILAMENTS)
    response = alice_client.post(
        reverse("materials:import_apply", args=["filaments"]),
        {"sha256": preview.context["sha256"]},
    )
    assert response.status_code == 302
    assert Filament.objects.get().colour_name == "Teal"
    again = alice_client.post(
        reverse("materials:import_apply", args=["filaments"]),
        {"sha256": preview.context["sha256"]},
        follow=True,
    )
    assert b"upload the file again" in again.content and Filament.objects.count() == 1


def test_rows_with_errors_show_sentences_and_no_import_button(alice_client):
    response = _upload(alice_client, "filaments", FILAMENTS.replace(b"#00A0A0", b"teal"))
    html = response.content.decode()
    assert "is not a colour" in html and ">Import</button>" not in html


def test_a_file_that_is_not_csv_is_one_sentence(alice_client):
    response = _upload(alice_client, "spools", b"\x00\x01PK\x03\x04", name="x.zip")
    assert response.status_code == 422
    assert "This is not a CSV file" in response.content.decode()


def test_an_operator_imports_spools(bob_client, galaxy_black):
    preview = _upload(bob_client, "spools", SPOOLS)
    bob_client.post(
        reverse("materials:import_apply", args=["spools"]), {"sha256": preview.context["sha256"]}
    )
    assert Spool.objects.get(label_code="QQ22").location == "Shelf B"


def test_an_operator_cannot_import_filaments(bob_client):
    response = _upload(bob_client, "filaments", FILAMENTS)
    assert response.status_code == 403 and "managers and owners" in response.content.decode()
    assert not Filament.objects.exists()


def test_a_viewer_cannot_import_spools(viewer_client, galaxy_black):
    response = _upload(viewer_client, "spools", SPOOLS)
    assert response.status_code == 403 and not Spool.objects.filter(label_code="QQ22").exists()


def test_the_outsider_cannot_import_onto_alice_s_filaments(charlie_client, galaxy_black):
    response = _upload(charlie_client, "spools", SPOOLS)
    assert "There is no filament Prusament PLA Galaxy Black" in response.content.decode()


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(reverse("materials:import")).status_code == 302


# --- API -------------------------------------------------------------------------------------


def _api(actor):
    raw = account_services.api_token_create(actor=actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_api_exports_filaments_and_spools_as_csv(alice_actor, spool):
    api = _api(alice_actor)
    filaments = api.get("/api/v1/materials/export/filaments.csv")
    spools = api.get("/api/v1/materials/export/spools.csv")
    assert filaments.status_code == 200 and filaments["Content-Type"].startswith("text/csv")
    assert b"Prusament,PLA,,Galaxy Black" in filaments.content
    assert spool.label_code.encode() in spools.content


def test_the_api_export_is_scoped_to_the_token_s_workspace(charlie_actor, spool):
    body = _api(charlie_actor).get("/api/v1/materials/export/spools.csv").content
    assert spool.label_code.encode() not in body


def test_the_api_export_needs_a_token(client):
    assert client.get("/api/v1/materials/export/spools.csv").status_code == 401


# --- Spoolman --------------------------------------------------------------------------------


def test_a_spoolman_export_is_previewed_then_imported(alice_client):
    preview = _upload(
        alice_client, "spoolman", json.dumps(test_imports.SPOOLMAN_SPOOLS).encode(), "sm.json"
    )
    assert preview.status_code == 200 and "5 to add" in preview.content.decode()
    assert not Spool.objects.exists()
    alice_client.post(
        reverse("materials:import_apply", args=["spoolman"]), {"sha256": preview.context["sha256"]}
    )
    assert set(Spool.objects.values_list("label_code", flat=True)) == {"SM7", "SM8"}


def test_a_running_spoolman_is_previewed_from_its_address(alice_client, spoolman_server):
    base_url, _ = spoolman_server
    response = alice_client.post(
        reverse("materials:import_preview", args=["spoolman"]), {"url": base_url}
    )
    assert response.status_code == 200 and "SM7" in response.content.decode()


def test_a_file_address_is_refused_with_a_sentence(alice_client):
    response = alice_client.post(
        reverse("materials:import_preview", args=["spoolman"]), {"url": "file:///etc/passwd"}
    )
    assert response.status_code == 422 and "http://host:7912" in response.content.decode()


def test_an_operator_cannot_make_the_server_fetch_an_address(bob_client, spoolman_server):
    base_url, _ = spoolman_server
    response = bob_client.post(
        reverse("materials:import_preview", args=["spoolman"]), {"url": base_url}
    )
    assert response.status_code == 403 and not Spool.objects.exists()


def test_an_unknown_import_kind_is_404(alice_client):
    response = alice_client.post(reverse("materials:import_preview", args=["printers"]))
    assert response.status_code == 404
