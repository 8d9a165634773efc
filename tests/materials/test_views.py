from decimal import Decimal

import pytest
from django.urls import reverse

from printops.materials import services
from printops.materials.models import Filament, Spool, Vendor

pytestmark = pytest.mark.django_db


def test_an_empty_inventory_says_to_start_with_a_vendor(alice_client):
    response = alice_client.get(reverse("materials:index"))
    assert b"No filaments yet." in response.content and b"vendor" in response.content


def test_the_inventory_shows_each_filament_with_its_grams_and_low_flag(
    alice_client, alice_actor, spool
):
    services.spool_consume(actor=alice_actor, spool=spool, grams=800)
    response = alice_client.get(reverse("materials:index"))
    html = response.content.decode()
    assert "Galaxy Black" in html and "200&nbsp;g" in html and ">low<" in html
    assert "#3D3E3D" in html


def test_the_inventory_filters_by_material_and_low_stock(alice_client, alice_actor, spool):
    assert (
        b"Galaxy Black"
        not in alice_client.get(reverse("materials:index") + "?material=PETG").content
    )
    response = alice_client.get(reverse("materials:index") + "?low=1")
    assert b"No filaments match these filters." in response.content


def test_htmx_filtering_answers_the_fragment_only(alice_client, spool):
    response = alice_client.get(
        reverse("materials:index") + "?view=spools&sort=grams", HTTP_HX_REQUEST="true"
    )
    assert spool.label_code.encode() in response.content and b"<html" not in response.content


def test_spools_can_be_listed_by_location(alice_client, alice_actor, galaxy_black, spool):
    other = services.spool_create(actor=alice_actor, filament=galaxy_black, location="Dry box")
    response = alice_client.get(reverse("materials:index") + "?view=spools&location=Dry+box")
    assert other.label_code.encode() in response.content
    assert spool.label_code.encode() not in response.content


def test_a_vendor_is_added_from_the_vendors_page(alice_client):
    response = alice_client.post(
        reverse("materials:vendors"), {"name": "Sunlu", "empty_spool_grams": "155"}
    )
    assert response.status_code == 302
    assert Vendor.objects.get(name="Sunlu").empty_spool_grams == Decimal("155")


def test_a_filament_with_a_threshold_above_its_spool_is_saved(alice_client, prusament):
    response = alice_client.post(
        reverse("materials:filament_new"),
        {
            "vendor": prusament.pk,
            "material": "PETG",
            "color_hex": "#FF0000",
            "diameter_mm": "1.75",
            "density_g_cm3": "1.27",
            "net_spool_grams": "1000",
            "low_stock_grams": "1500",
            "reorder_spools": "1",
            "lead_time_days": "7",
        },
    )
    assert response.status_code == 302
    assert Filament.objects.get().low_stock_grams == Decimal("1500")


def test_a_filament_without_a_colour_name_gets_the_nearest_one(alice_client, prusament):
    response = alice_client.post(
        reverse("materials:filament_new"),
        {
            "vendor": prusament.pk,
            "material": "PLA",
            "color_hex": "#000000",
            "diameter_mm": "1.75",
            "density_g_cm3": "1.24",
            "net_spool_grams": "1000",
            "low_stock_grams": "0",
            "reorder_spools": "1",
            "lead_time_days": "7",
        },
    )
    filament = Filament.objects.get()
    assert response.status_code == 302 and filament.colour_name


def test_an_operator_adds_a_spool_on_the_filament_page(bob_client, galaxy_black):
    response = bob_client.post(
        reverse("materials:filament", args=[galaxy_black.pk]), {"location": "Shelf B", "lot": "7"}
    )
    assert response.status_code == 302
    assert Spool.objects.get().location == "Shelf B"


def test_the_spool_page_shows_its_history_newest_first(alice_client, alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=25, note="Benchy")
    html = alice_client.get(reverse("materials:spool", args=[spool.pk])).content.decode()
    assert html.index("Benchy") < html.index("New spool")


def test_weighing_in_from_the_spool_page(bob_client, spool):
    response = bob_client.post(
        reverse("materials:spool_weigh_in", args=[spool.pk]), {"gross_grams": "701"}, follow=True
    )
    assert "500&nbsp;g left" in response.content.decode()
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("500")


def test_a_reading_far_above_the_ledger_asks_before_it_is_recorded(bob_client, spool):
    url = reverse("materials:spool_weigh_in", args=[spool.pk])
    # 1876 gross − 201 empty = 1675 g against the 1000 g the ledger holds.
    page = bob_client.post(url, {"gross_grams": "1876"}).content.decode()
    assert 'id="weigh-in-question"' in page and "675.00 g more than the ledger" in page
    assert "Yes, record it" in page and 'name="confirm" value="1"' in page
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("1000") and spool.ledger.count() == 1

    bob_client.post(url, {"gross_grams": "1876", "confirm": "1"})
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("1675")


def test_a_negative_scale_reading_is_refused_and_nothing_written(bob_client, spool):
    response = bob_client.post(
        reverse("materials:spool_weigh_in", args=[spool.pk]), {"gross_grams": "50"}, follow=True
    )
    assert "less than the empty spool alone" in response.content.decode()
    assert spool.ledger.count() == 1


def test_mark_empty_and_move_are_one_post_each(bob_client, spool):
    bob_client.post(reverse("materials:spool_move", args=[spool.pk]), {"location": "Printer 2"})
    bob_client.post(reverse("materials:spool_mark_empty", args=[spool.pk]))
    spool.refresh_from_db()
    assert (spool.location, spool.remaining_grams) == ("Printer 2", 0)


def test_using_more_than_is_left_says_what_is_left(bob_client, spool):
    response = bob_client.post(
        reverse("materials:spool_consume", args=[spool.pk]),
        {"grams": "1200", "reason": "print"},
        follow=True,
    )
    assert "Only 1000.00 g are left" in response.content.decode()


def test_a_label_code_opens_its_spool(alice_client, spool):
    response = alice_client.get(reverse("materials:spool_by_code", args=[spool.label_code.lower()]))
    assert response.url == reverse("materials:spool", args=[spool.pk])


@pytest.mark.parametrize(
    "name",
    ["materials:spool", "materials:filament", "materials:filament_edit", "materials:vendor_edit"],
)
def test_another_workspaces_objects_are_404(charlie_client, spool, name):
    pk = {
        "materials:spool": spool.pk,
        "materials:filament": spool.filament_id,
        "materials:filament_edit": spool.filament_id,
        "materials:vendor_edit": spool.filament.vendor_id,
    }[name]
    assert charlie_client.get(reverse(name, args=[pk])).status_code == 404


@pytest.mark.parametrize(
    "action", ["spool_weigh_in", "spool_mark_empty", "spool_move", "spool_consume"]
)
def test_another_workspaces_spool_cannot_be_changed(charlie_client, spool, action):
    response = charlie_client.post(
        reverse(f"materials:{action}", args=[spool.pk]), {"gross_grams": "500", "grams": "5"}
    )
    assert response.status_code == 404
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("1000")


def test_another_workspaces_label_code_is_404(charlie_client, spool):
    assert (
        charlie_client.get(reverse("materials:spool_by_code", args=[spool.label_code])).status_code
        == 404
    )


def test_a_viewer_sees_no_stock_actions(client, spool):
    from printops.accounts.roles import Role
    from tests.factories import MembershipFactory

    viewer = MembershipFactory(workspace=spool.workspace, role=Role.VIEWER).user
    client.force_login(viewer)
    html = client.get(reverse("materials:spool", args=[spool.pk])).content.decode()
    assert "Weigh in" not in html and "Mark empty" not in html


def test_the_inventory_filters_by_brand(alice_client, alice_actor, spool, prusament):
    other = services.vendor_create(actor=alice_actor, name="Sunlu")
    services.filament_create(
        actor=alice_actor, vendor=other, color_hex="#FFFFFF", colour_name="Snow"
    )
    html = alice_client.get(reverse("materials:index") + f"?vendor={other.pk}").content.decode()
    assert "Snow" in html and "Galaxy Black" not in html
    spools = alice_client.get(reverse("materials:index") + f"?view=spools&vendor={other.pk}")
    assert b"No spools match these filters." in spools.content


def test_a_viewer_cannot_weigh_in_and_nothing_is_written(client, spool):
    from printops.accounts.roles import Role
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory(workspace=spool.workspace, role=Role.VIEWER).user)
    response = client.post(
        reverse("materials:spool_weigh_in", args=[spool.pk]), {"gross_grams": "500"}, follow=True
    )
    assert "Only operators, managers and owners can change stock." in response.content.decode()
    assert spool.ledger.count() == 1


def test_the_filament_edit_form_shows_and_saves_its_values(alice_client, galaxy_black):
    url = reverse("materials:filament_edit", args=[galaxy_black.pk])
    assert b'value="#3D3E3D"' in alice_client.get(url).content
    response = alice_client.post(
        url,
        {
            "vendor": galaxy_black.vendor_id,
            "material": "PLA",
            "colour_name": "Galaxy Black",
            "color_hex": "#3d3e3d",
            "multi_color_hexes": "#ff0000, #00ff00",
            "diameter_mm": "1.75",
            "density_g_cm3": "1.24",
            "net_spool_grams": "1000",
            "low_stock_grams": "100",
            "reorder_spools": "2",
            "lead_time_days": "3",
        },
    )
    assert response.status_code == 302
    galaxy_black.refresh_from_db()
    assert galaxy_black.multi_color_hexes == ["#FF0000", "#00FF00"]
    assert galaxy_black.low_stock_grams == Decimal("100")


def test_a_vendor_is_renamed_from_its_page(alice_client, prusament):
    alice_client.post(
        reverse("materials:vendor_edit", args=[prusament.pk]),
        {"name": "Prusa Research", "empty_spool_grams": "193"},
    )
    prusament.refresh_from_db()
    assert (prusament.name, prusament.empty_spool_grams) == ("Prusa Research", Decimal("193"))


def test_the_filament_page_lists_spools_in_stock_emptiest_first(alice_client, alice_actor, spool):
    services.spool_consume(actor=alice_actor, spool=spool, grams=600)
    fuller = services.spool_create(actor=alice_actor, filament=spool.filament)
    gone = services.spool_create(actor=alice_actor, filament=spool.filament)
    services.spool_archive(actor=alice_actor, spool=gone)
    html = alice_client.get(
        reverse("materials:filament", args=[spool.filament_id])
    ).content.decode()
    assert html.index(spool.label_code) < html.index(fuller.label_code)
    assert gone.label_code not in html
    archived = alice_client.get(
        reverse("materials:index") + f"?view=spools&filament={spool.filament_id}&archived=1"
    )
    assert gone.label_code.encode() in archived.content


def test_the_colour_hint_names_a_hex_and_shows_look_alikes(alice_client, galaxy_black):
    html = alice_client.get("/materials/colour-hint/?color_hex=%23383838").content.decode()
    assert 'data-colour-name="Dark Grey"' in html
    assert "Prusament PLA Galaxy Black" in html  # #3D3E3D is within ΔE 5


def test_the_colour_hint_asks_for_a_hex_when_the_text_is_not_one(alice_client):
    html = alice_client.get("/materials/colour-hint/?color_hex=reddish").content.decode()
    assert "Write the colour as #RRGGBB" in html


def test_the_api_suggests_names_and_refuses_a_non_colour(alice_actor, galaxy_black):
    from django.test import Client

    from printops.accounts import services as account_services

    raw = account_services.api_token_create(actor=alice_actor, name="t")[1]
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    body = api.get("/api/v1/materials/colours/suggest", {"color_hex": "#ff0000"}).json()
    assert body["color_hex"] == "#FF0000"
    assert body["names"][0] == "Red"
    assert body["similar"][0]["filament"]["id"] == galaxy_black.pk
    bad = api.get("/api/v1/materials/colours/suggest", {"color_hex": "blue-ish"})
    assert bad.status_code == 422
    assert "is not a colour" in bad.json()["detail"]
