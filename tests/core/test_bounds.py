"""Every number the API takes is bounded: out of range is a 422 sentence naming the field and
its range, never a 500 (issue 10, found by schemathesis), and the OpenAPI document says so."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from printops.accounts import services as account_services
from printops.core.errors import InvalidInput
from printops.materials import services
from printops.materials.forms import VendorForm, WeighInForm
from printops.materials.models import Filament, Spool, SpoolLedgerEntry, Vendor

pytestmark = pytest.mark.django_db

HUGE = 10**30
INT64_PAST = 2**63


@pytest.fixture
def api(alice_actor):
    raw = account_services.api_token_create(actor=alice_actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def spool(alice_actor):
    vendor = services.vendor_create(actor=alice_actor, name="Prusament", empty_spool_grams=201)
    filament = services.filament_create(actor=alice_actor, vendor=vendor, color_hex="#3D3E3D")
    return services.spool_create(actor=alice_actor, filament=filament)


def _post(api, path, body):
    return api.post(f"/api/v1{path}", body, content_type="application/json")


@pytest.mark.parametrize(
    ("path", "body", "sentence"),
    [
        (
            "/materials/vendors",
            {"name": "Heavy", "empty_spool_grams": HUGE},
            "empty_spool_grams must be from 0 to 100,000 grams.",
        ),
        (
            "/materials/spools/{spool}/weigh-in",
            {"gross_grams": "1e27"},
            "gross_grams must be more than 0 and at most 100,000 grams.",
        ),
        (
            "/materials/spools/{spool}/consume",
            {"grams": 1e27},
            "grams must be more than 0 and at most 100,000 grams.",
        ),
        (
            "/materials/spools",
            {"filament": "{filament}", "initial_grams": HUGE},
            "initial_grams must be more than 0 and at most 100,000 grams.",
        ),
        (
            "/materials/spools",
            {"filament": "{filament}", "cost_paid": HUGE},
            "cost_paid must be from 0 to 99,999,999.99.",
        ),
        (
            "/materials/filaments",
            {"vendor": "{vendor}", "color_hex": "#FF8800", "price_per_kg": "1e30"},
            "price_per_kg must be from 0 to 99,999,999.99.",
        ),
        (
            "/materials/spools/{spool}/consume",
            {"grams": 5, "print_job_id": INT64_PAST},
            "print_job_id must be from 1 to 9,223,372,036,854,775,807.",
        ),
    ],
)
def test_a_huge_number_in_a_body_is_a_422_naming_the_field_and_its_range(
    api, spool, path, body, sentence
):
    ids = {"spool": spool.pk, "filament": spool.filament_id, "vendor": spool.filament.vendor_id}
    body = {
        k: int(v.format(**ids)) if v in ("{filament}", "{vendor}") else v for k, v in body.items()
    }
    response = _post(api, path.format(**ids), body)
    assert response.status_code == 422
    assert response.json() == {"detail": sentence}
    assert (Vendor.objects.count(), Filament.objects.count(), Spool.objects.count()) == (1, 1, 1)
    assert SpoolLedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/materials/spools?offset={INT64_PAST}", "offset"),
        (f"/materials/spools?filament={INT64_PAST}", "filament"),
        (f"/materials/filaments?vendor={INT64_PAST}", "vendor"),
        (f"/materials/spools/{INT64_PAST}", "spool_id"),
        (f"/materials/vendors/{10**40}", "vendor_id"),
        (f"/library/designs?offset={INT64_PAST}", "offset"),
        (f"/library/versions/{INT64_PAST}", "version_id"),
        (f"/production/jobs?printer={INT64_PAST}", "printer"),
        (f"/production/printers/{INT64_PAST}", "printer_id"),
        (f"/accounts/audit?offset={INT64_PAST}", "offset"),
    ],
)
def test_an_integer_past_the_database_in_a_query_or_path_is_a_422(api, path, field):
    response = api.get(f"/api/v1{path}")
    assert response.status_code == 422
    assert response.json()["detail"].startswith(field)


def test_a_huge_design_id_in_an_upload_is_taken_as_a_name_not_an_overflow(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("cube.gcode", b"G1 X1\n")
    response = api.post(
        "/api/v1/library/files", {"file": upload, "design": str(INT64_PAST), "variant": "²"}
    )
    assert response.status_code == 201
    assert response.json()["design"]["name"] == str(INT64_PAST)


def test_huge_search_filters_are_ignored(api):
    response = api.get(f"/api/v1/library/search?category={INT64_PAST}&hours_min=inf&grams_max=nan")
    assert response.status_code == 200


def test_the_openapi_document_states_the_limits(api):
    document = api.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    grams = schemas["ConsumeIn"]["properties"]["grams"]["anyOf"][0]
    assert (grams["exclusiveMinimum"], grams["maximum"]) == (0, 100000)
    assert schemas["SpoolIn"]["properties"]["cost_paid"]["anyOf"][0]["maximum"] == 99999999.99
    (spools,) = [
        op["get"] for path, op in document["paths"].items() if path.endswith("/materials/spools")
    ]
    offset = next(p for p in spools["parameters"] if p["name"] == "offset")
    assert (offset["schema"]["minimum"], offset["schema"]["maximum"]) == (0, 1_000_000_000)


@pytest.mark.parametrize("value", ["1e27", "1e400", Decimal("1E+30"), 10**30])
def test_clean_grams_refuses_a_huge_weight_with_a_sentence(value):
    with pytest.raises(InvalidInput, match="must be at most 100,000 grams"):
        services.clean_grams(value, "gross weight", "gross_grams")


def test_a_huge_cost_is_refused_by_the_service_with_a_sentence(alice_actor, spool):
    with pytest.raises(InvalidInput, match=r"cost paid must be at most 99,999,999\.99"):
        services.spool_update(actor=alice_actor, spool=spool, cost_paid="1e30")
    with pytest.raises(InvalidInput, match="price per kg must be at most"):
        services.filament_update(
            actor=alice_actor,
            filament=spool.filament,
            vendor=spool.filament.vendor,
            color_hex="#000000",
            price_per_kg=Decimal("1e28"),
        )


def test_a_form_names_the_field_and_its_range_not_the_digits():
    form = VendorForm(data={"name": "Heavy", "empty_spool_grams": "12345678901234"})
    assert form.errors["empty_spool_grams"] == [
        "The empty spool weight must be from 0 to 100,000 grams."
    ]
    weigh = WeighInForm(data={"gross_grams": "1.234"})
    assert weigh.errors["gross_grams"] == ["Give the scale reading with at most 2 decimal places."]


@pytest.mark.parametrize(
    ("field", "value", "sentence"),
    [
        ("density_g_cm3", 5e-324, "density_g_cm3 must be from 0.001 to 20 g/cm³."),
        ("density_g_cm3", "0.0004", "density_g_cm3 must be from 0.001 to 20 g/cm³."),
        ("diameter_mm", "0.004", "diameter_mm must be from 0.01 to 5 mm."),
    ],
)
def test_a_value_too_small_for_its_column_is_a_422_not_a_broken_constraint(
    api, spool, field, value, sentence
):
    """schemathesis: a density of 5e-324 was "more than 0", was stored rounded to 0.000 and
    failed the CHECK constraint: a 500."""
    body = {"vendor": spool.filament.vendor_id, "color_hex": "#112233", field: value}
    response = _post(api, "/materials/filaments", body)
    assert (response.status_code, response.json()["detail"]) == (422, sentence)


def test_a_body_that_is_not_json_is_a_400_sentence(api):
    response = _post(api, "/materials/vendors", "{name: Prusament")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "The request body is not valid JSON."},
    )


def test_a_colour_query_that_is_not_a_colour_is_a_422_and_the_pattern_is_published(api):
    response = api.get("/api/v1/materials/colours/suggest", {"color_hex": "blue"})
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "“blue” is not a colour; use #RRGGBB.",
    )
    pattern = _pattern_of_colour_query(api)
    assert (
        re.match(pattern, "#c12e20") and re.match(pattern, "F80") and not re.match(pattern, "blue")
    )


def _pattern_of_colour_query(api):
    document = api.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/materials/colours/suggest"]["get"]
    return operation["parameters"][0]["schema"]["pattern"]


@pytest.mark.parametrize(
    "send",
    [
        lambda api, spool: api.put(
            f"/api/v1/materials/spools/{spool.pk}",
            {"lot": "A\x00B"},
            content_type="application/json",
        ),
        lambda api, spool: api.get("/api/v1/materials/spools", {"location": "Shelf\x00"}),
        lambda api, spool: api.post("/api/v1/library/files", {"design": "Cube\x00", "file": ""}),
    ],
    ids=["json body", "query string", "form field"],
)
def test_a_nul_character_in_text_is_a_422_on_every_engine(api, spool, send):
    """schemathesis on PostgreSQL: a NUL in a spool's lot reached the database, which refuses
    it (DataError, a 500); SQLite stored it."""
    response = send(api, spool)
    assert (response.status_code, response.json()) == (
        422,
        {"detail": "Text cannot contain the NUL character (\\u0000)."},
    )
    spool.refresh_from_db()
    assert spool.lot == ""


def test_a_filament_colour_that_is_not_hex_reads_as_a_sentence(api, spool):
    body = {"vendor": spool.filament.vendor_id, "color_hex": "red"}
    response = _post(api, "/materials/filaments", body)
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "color_hex must be a colour written as #RRGGBB, e.g. #FF8800.",
    )
