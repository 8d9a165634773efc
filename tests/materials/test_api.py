import pytest
from django.test import Client

from printops.accounts import services as account_services
from printops.materials.models import Filament, Spool, SpoolLedgerEntry

pytestmark = pytest.mark.django_db

BASE = "/api/v1/materials"


@pytest.fixture
def api(alice_actor):
    raw = account_services.api_token_create(actor=alice_actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def charlie_api(charlie_actor):
    raw = account_services.api_token_create(actor=charlie_actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _json(client, method, path, body):
    return getattr(client, method)(f"{BASE}{path}", body, content_type="application/json")


def test_vendor_filament_and_spool_are_created_in_turn(api):
    vendor = _json(api, "post", "/vendors", {"name": "Elegoo", "empty_spool_grams": 165})
    assert vendor.status_code == 201
    filament = _json(
        api,
        "post",
        "/filaments",
        {"vendor": vendor.json()["id"], "material": "petg", "color_hex": "1e88e5"},
    )
    assert filament.status_code == 201 and filament.json()["color_hex"] == "#1E88E5"
    spool = _json(api, "post", "/spools", {"filament": filament.json()["id"], "lot": "A1"})
    assert spool.status_code == 201
    body = spool.json()
    assert (body["remaining_grams"], body["filament"]["material"], body["lot"]) == (
        1000.0,
        "PETG",
        "A1",
    )


def test_spools_are_listed_with_their_filament(api, spool):
    body = api.get(f"{BASE}/spools").json()
    assert [s["label_code"] for s in body] == [spool.label_code]
    assert body[0]["filament"]["color_hex"] == "#3D3E3D"
    assert api.get(f"{BASE}/spools?material=PETG").json() == []


def test_filaments_are_listed_with_their_stock(api, spool):
    (row,) = api.get(f"{BASE}/filaments").json()
    assert (row["total_grams"], row["spool_count"], row["is_low"]) == (1000.0, 1, False)


def test_consume_and_weigh_in_write_ledger_rows(api, spool):
    used = _json(api, "post", f"/spools/{spool.pk}/consume", {"grams": 120.5, "note": "Vase"})
    assert used.status_code == 201 and used.json()["grams"] == -120.5
    weighed = _json(api, "post", f"/spools/{spool.pk}/weigh-in", {"gross_grams": 1070})
    assert weighed.json()["expected_grams"] == 879.5 and weighed.json()["grams"] == -10.5
    ledger = api.get(f"{BASE}/spools/{spool.pk}/ledger").json()
    assert [e["reason"] for e in ledger] == ["weigh_in", "print", "new_spool"]


def test_a_weigh_in_far_above_the_ledger_is_a_422_until_confirmed(api, spool):
    _json(api, "post", f"/spools/{spool.pk}/consume", {"grams": 500})
    refused = _json(api, "post", f"/spools/{spool.pk}/weigh-in", {"gross_grams": 1376})
    assert refused.status_code == 422
    assert "675.00 g more than the ledger's 500.00 g" in refused.json()["detail"]
    assert SpoolLedgerEntry.objects.count() == 2

    body = {"gross_grams": 1376, "confirm": True}
    confirmed = _json(api, "post", f"/spools/{spool.pk}/weigh-in", body)
    assert confirmed.status_code == 201 and confirmed.json()["grams"] == 675.0


def test_using_more_than_is_left_is_a_409_with_a_sentence(api, spool):
    response = _json(api, "post", f"/spools/{spool.pk}/consume", {"grams": 5000})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Only 1000.00 g are left")
    assert SpoolLedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "status"), [({"grams": -5}, 422), ({"grams": 0}, 422), ({"grams": "x"}, 422)]
)
def test_impossible_weights_are_refused_and_nothing_written(api, spool, body, status):
    response = _json(api, "post", f"/spools/{spool.pk}/consume", body)
    assert response.status_code == status and response.json()["detail"]
    assert SpoolLedgerEntry.objects.count() == 1


def test_an_invalid_hex_is_a_422_with_a_sentence(api, prusament):
    response = _json(api, "post", "/filaments", {"vendor": prusament.pk, "color_hex": "#12345"})
    assert response.status_code == 422 and "#RRGGBB" in response.json()["detail"]
    assert not Filament.objects.exists()


def test_a_threshold_of_two_spools_is_accepted(api, prusament):
    response = _json(
        api,
        "post",
        "/filaments",
        {"vendor": prusament.pk, "color_hex": "#123456", "low_stock_grams": 2000},
    )
    assert response.status_code == 201
    assert response.json()["low_stock_grams"] == 2000


def test_a_filament_has_a_product_line_a_name_and_its_material_density(api, prusament):
    response = _json(
        api,
        "post",
        "/filaments",
        {"vendor": prusament.pk, "material": "PETG", "product_line": "HF", "color_hex": "#000000"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["product_line"], body["name"]) == ("HF", "Prusament PETG HF Black")
    assert body["density_g_cm3"] == 1.27
    schema = api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "product_line" in schema["FilamentIn"]["properties"]


def test_a_spool_update_changes_details_and_archives(api, spool):
    response = _json(api, "put", f"/spools/{spool.pk}", {"location": "Dry box", "archived": True})
    assert response.status_code == 200
    assert (response.json()["location"], response.json()["archived"]) == ("Dry box", True)
    assert api.get(f"{BASE}/spools").json() == []
    assert len(api.get(f"{BASE}/spools?archived=true").json()) == 1


def test_filament_update_replaces_its_fields(api, galaxy_black, prusament):
    response = _json(
        api,
        "put",
        f"/filaments/{galaxy_black.pk}",
        {"vendor": prusament.pk, "color_hex": "#000000", "colour_name": "Jet", "material": "PLA"},
    )
    assert response.status_code == 200 and response.json()["colour_name"] == "Jet"


def test_an_operator_cannot_create_a_filament(bob_actor, prusament):
    raw = account_services.api_token_create(actor=bob_actor, name="t")[1]
    bob_api = Client(headers={"Authorization": f"Bearer {raw}"})
    response = _json(
        bob_api, "post", "/filaments", {"vendor": prusament.pk, "color_hex": "#000000"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/spools/{spool}", None),
        ("put", "/spools/{spool}", {"location": "x"}),
        ("post", "/spools/{spool}/consume", {"grams": 5}),
        ("post", "/spools/{spool}/weigh-in", {"gross_grams": 500}),
        ("get", "/spools/{spool}/ledger", None),
        ("get", "/filaments/{filament}", None),
        ("put", "/filaments/{filament}", {"vendor": "{vendor}", "color_hex": "#000000"}),
        ("get", "/vendors/{vendor}", None),
        ("put", "/vendors/{vendor}", {"name": "Mine now"}),
        ("post", "/spools", {"filament": "{filament}"}),
        ("post", "/filaments", {"vendor": "{vendor}", "color_hex": "#000000"}),
    ],
)
def test_another_workspaces_objects_are_404(charlie_api, spool, method, path, body):
    ids = {"spool": spool.pk, "filament": spool.filament_id, "vendor": spool.filament.vendor_id}
    path = path.format(**ids)
    if body:
        body = {
            k: int(v.format(**ids)) if isinstance(v, str) and "{" in v else v
            for k, v in body.items()
        }
    if method == "get":
        response = charlie_api.get(f"{BASE}{path}")
    else:
        response = _json(charlie_api, method, path, body)
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert Spool.objects.get(pk=spool.pk).location == "Shelf A"
    assert SpoolLedgerEntry.objects.filter(spool=spool).count() == 1
