import pytest
from django.test import Client
from django.urls import reverse

from printops.accounts import services as account_services
from printops.accounts.actor import Actor
from printops.library import services
from printops.library.models import FilamentUsage
from printops.materials import services as materials
from printops.materials.models import Filament
from tests.factories import VariantVersionFactory

pytestmark = pytest.mark.django_db

# What printops.slicefile reads from corpus bambu_studio/bs020400_x1e_4colour.gcode.3mf
# (3 × Bambu PLA Basic, 1 PolyLite): these tests are about the review pages, not the reading.
FOUR_COLOUR_METADATA = {
    "format": "gcode.3mf",
    "geometry": None,
    "settings": {"filament_ids": "GFA00;GFA00;GFL00;GFA00"},
    "filaments": [
        {"slot": slot, "type": "PLA", "brand": brand, "name": name, "color_hex": colour,
         "used_g": grams, "used_mm": mm, "density_g_cm3": density, "diameter_mm": 1.75,
         "cost_per_kg": cost}
        for slot, brand, name, colour, grams, mm, density, cost in (
            (0, "Bambu Lab", "Bambu PLA Basic @BBL X1C", "#8E9089", 5.28, 1743.4, 1.26, 24.99),
            (1, "Bambu Lab", "Bambu PLA Basic @BBL X1C", "#000000", 2.26, 745.26, 1.26, 24.99),
            (2, "Polymaker", "PolyLite PLA @BBL X1C", "#2850E0", 6.08, 2039.32, 1.24, 25.4),
            (3, "Bambu Lab", "Bambu PLA Basic @BBL X1C", "#FFFFFF", 3.88, 1280.48, 1.26, 24.99),
        )
    ],
}  # fmt: skip


@pytest.fixture
def version(workspace):
    """The four-colour file's version, built from its metadata; its filament rows are made
    and matched by the library's own filament_usage_rows, as an upload makes them."""
    version = VariantVersionFactory(
        variant__design__workspace=workspace,
        variant__design__name="Vase",
        variant__name="Four colours",
        original_name="four.gcode.3mf",
        file_format="gcode.3mf",
        metadata=FOUR_COLOUR_METADATA,
    )
    FilamentUsage.objects.bulk_create(services.filament_usage_rows(version))
    return version


@pytest.fixture
def black(alice_actor):
    vendor = materials.vendor_create(actor=alice_actor, name="Prusament")
    return materials.filament_create(
        actor=alice_actor,
        vendor=vendor,
        material="PLA",
        colour_name="Jet Black",
        color_hex="#1A1A1A",
    )


@pytest.fixture
def api(alice_actor):
    raw = account_services.api_token_create(actor=alice_actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_review_queue_lists_each_unmatched_preset_with_candidates(alice_client, version, black):
    page = alice_client.get("/library/filaments/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "4 filaments in uploads are unmatched" in html
    assert "PolyLite PLA @BBL X1C" in html
    assert "Jet Black" in html  # the black slot's candidate
    assert "Create this filament from the file" in html


def test_an_empty_review_queue_says_all_is_matched(alice_client, workspace):
    page = alice_client.get("/library/filaments/")
    assert "Every filament in your uploads is matched to stock." in page.content.decode()


def test_use_this_links_the_slot_and_the_version_page_shows_it(alice_client, version, black):
    usage = version.filaments.get(color_hex="#000000")
    response = alice_client.post(f"/library/filaments/{usage.pk}/confirm/", {"filament": black.pk})
    assert response.status_code == 302
    usage.refresh_from_db()
    assert usage.filament == black
    html = alice_client.get(f"/library/versions/{version.pk}/").content.decode()
    assert "Prusament PLA Jet Black" in html
    assert "confirmed by staff" in html
    assert "Not matched" in html  # the three other slots


def test_create_from_the_file_adds_the_filament(alice_client, version):
    usage = version.filaments.get(color_hex="#2850E0")
    alice_client.post(f"/library/filaments/{usage.pk}/create/")
    filament = Filament.objects.get()
    assert (filament.vendor.name, filament.color_hex) == ("Polymaker", "#2850E0")


def test_a_foreign_filament_is_refused_with_a_sentence(alice_client, version, charlie_actor):
    vendor = materials.vendor_create(actor=charlie_actor, name="Theirs")
    theirs = materials.filament_create(actor=charlie_actor, vendor=vendor, color_hex="#000000")
    usage = version.filaments.first()
    response = alice_client.post(
        f"/library/filaments/{usage.pk}/confirm/", {"filament": theirs.pk}, follow=True
    )
    assert "Choose one of this workspace&#x27;s filaments." in response.content.decode()
    usage.refresh_from_db()
    assert usage.filament is None


def test_another_workspaces_usage_is_a_404(charlie_client, version, black):
    usage = version.filaments.first()
    assert charlie_client.post(f"/library/filaments/{usage.pk}/create/").status_code == 404
    assert (
        charlie_client.post(
            f"/library/filaments/{usage.pk}/confirm/", {"filament": black.pk}
        ).status_code
        == 404
    )


def test_an_operator_sees_the_queue_but_cannot_act(bob_client, version, black):
    html = bob_client.get("/library/filaments/").content.decode()
    assert "Managers and owners confirm matches." in html
    usage = version.filaments.first()
    response = bob_client.post(
        f"/library/filaments/{usage.pk}/confirm/", {"filament": black.pk}, follow=True
    )
    assert "Only managers and owners can edit the catalogue." in response.content.decode()


def test_the_dashboard_counts_unmatched_filaments(alice_client, version):
    html = alice_client.get(reverse("front:dashboard")).content.decode()
    assert "4 filaments in uploads are not matched to stock" in html


def test_the_api_lists_a_versions_filaments_with_their_links(api, version, black):
    body = api.get(f"/api/v1/library/versions/{version.pk}/filaments").json()
    assert [u["color_hex"] for u in body] == ["#8E9089", "#000000", "#2850E0", "#FFFFFF"]
    assert all(u["filament"] is None for u in body)
    black_slot = body[1]
    confirmed = api.post(
        f"/api/v1/library/filament-usages/{black_slot['id']}/confirm",
        {"filament": black.pk},
        content_type="application/json",
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["usage"]["filament"]["id"] == black.pk
    assert confirmed.json()["usage"]["match_source"] == "confirmed"


def test_the_api_review_queue_and_create_filament(api, version):
    queue = api.get("/api/v1/library/filaments/unmatched").json()
    assert len(queue) == 4
    usage_id = queue[0]["usage"]
    created = api.post(f"/api/v1/library/filament-usages/{usage_id}/create-filament")
    assert created.status_code == 201
    assert created.json()["usage"]["match_source"] == "created"
    rematch = api.post("/api/v1/library/filaments/rematch").json()
    assert rematch == {"linked": 0, "unmatched": 3}


def test_the_api_answers_404_for_other_workspaces(charlie_actor, version, black):
    raw = account_services.api_token_create(actor=charlie_actor, name="t")[1]
    theirs = Client(headers={"Authorization": f"Bearer {raw}"})
    usage = version.filaments.first()
    assert theirs.get(f"/api/v1/library/versions/{version.pk}/filaments").status_code == 404
    response = theirs.post(
        f"/api/v1/library/filament-usages/{usage.pk}/confirm",
        {"filament": black.pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_the_api_refuses_a_missing_filament_with_a_sentence(api, version):
    usage = version.filaments.first()
    response = api.post(
        f"/api/v1/library/filament-usages/{usage.pk}/confirm", {}, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


def test_a_viewer_cannot_confirm_through_the_api(workspace, version, black):
    from tests.factories import MembershipFactory

    viewer = MembershipFactory(workspace=workspace, role="viewer")
    raw = account_services.api_token_create(
        actor=Actor(user=viewer.user, membership=viewer), name="t"
    )[1]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    usage = version.filaments.first()
    response = client.post(
        f"/api/v1/library/filament-usages/{usage.pk}/confirm",
        {"filament": black.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only managers and owners can edit the catalogue."


def test_a_material_outside_the_list_reads_other_not_a_code(alice_client, workspace):
    from tests.factories import FilamentUsageFactory, VariantVersionFactory

    version = VariantVersionFactory(variant__design__workspace=workspace)
    FilamentUsageFactory(version=version, material="WoodFill", brand="", filament=None)
    html = alice_client.get(reverse("library:filament_review")).content.decode()
    assert "Generic Other" in html and "OTHER" not in html
