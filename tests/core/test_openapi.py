"""The published OpenAPI document tells the truth (issue 10, defect 9).

Every operation in /api/v1/openapi.json is called for real on a seeded workspace
(tests/api_world.py) and its answer is validated against the schema published for that status
and media type; an operation without a case here fails the suite, so a new endpoint arrives
with its check. Before this, two schemas were both called `FilamentRef` (library answers failed
the published one), `/library/filaments/unmatched` was documented with production's
`UnmatchedOut`, the CSV exports were documented as JSON and no error status was documented.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from printops.api import api
from tests.api_world import GCODE, World
from tests.thumbnail_files import real_png

API = "/api/v1"
WRITES = {"post", "put", "patch", "delete"}


def _document() -> dict[str, Any]:
    return json.loads(Client().get(f"{API}/openapi.json").content)


DOCUMENT = None


def document() -> dict[str, Any]:
    global DOCUMENT
    if DOCUMENT is None:
        DOCUMENT = _document()
    return DOCUMENT


def operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, methods in doc["paths"].items()
        for method, operation in methods.items()
    }


# --- one real request per operation ----------------------------------------------------------
# Each case gets a fresh world and returns the request: method, path, and a JSON body (`json`)
# or form fields (`data`, multipart).

Case = Callable[[World], dict[str, Any]]


def get(path: str) -> Case:
    return lambda w: {"method": "get", "path": path.format(w=w)}


def post(path: str, body: Callable[[World], Any] | None = None, method: str = "post") -> Case:
    def case(w: World) -> dict[str, Any]:
        request: dict[str, Any] = {"method": method, "path": path.format(w=w)}
        if body is not None:
            request["json"] = body(w)
        return request

    return case


def upload(path: str, fields: Callable[[World], dict[str, Any]]) -> Case:
    return lambda w: {"method": "post", "path": path.format(w=w), "data": fields(w)}


def _filament_body(w: World) -> dict[str, Any]:
    return {"vendor": w.vendor.pk, "material": "ASA", "colour_name": "Grey", "color_hex": "#808080"}


CASES: dict[str, Case] = {
    # accounts
    "GET /api/v1/accounts/me": get("/accounts/me"),
    "GET /api/v1/accounts/members": get("/accounts/members"),
    "GET /api/v1/accounts/invitations": get("/accounts/invitations"),
    "POST /api/v1/accounts/invitations": post(
        "/accounts/invitations", lambda w: {"email": "erin@example.com", "role": "operator"}
    ),
    "POST /api/v1/accounts/invitations/{invitation_id}/revoke": post(
        "/accounts/invitations/{w.invitation.pk}/revoke"
    ),
    "GET /api/v1/accounts/tokens": get("/accounts/tokens"),
    "POST /api/v1/accounts/tokens": post("/accounts/tokens", lambda w: {"name": "stock script"}),
    "POST /api/v1/accounts/tokens/{token_id}/revoke": post(
        "/accounts/tokens/{w.other_token.pk}/revoke"
    ),
    "GET /api/v1/accounts/audit": get("/accounts/audit?limit=5"),
    # library
    "POST /api/v1/library/files": upload(
        "/library/files",
        lambda w: {
            "file": SimpleUploadedFile(
                "bracket-v2.gcode", GCODE.replace("12.50", "13.00").encode()
            ),
            "design": str(w.design.pk),
            "change_note": "Thicker walls",
        },
    ),
    "GET /api/v1/library/versions/{version_id}": get("/library/versions/{w.uploaded.pk}"),
    "GET /api/v1/library/versions/{version_id}/download": get(
        "/library/versions/{w.uploaded.pk}/download"
    ),
    "GET /api/v1/library/designs": get("/library/designs"),
    "POST /api/v1/library/designs": post("/library/designs", lambda w: {"name": "Hook"}),
    "GET /api/v1/library/designs/{design_id}": get("/library/designs/{w.design.pk}"),
    "PUT /api/v1/library/designs/{design_id}": post(
        "/library/designs/{w.design.pk}",
        lambda w: {"name": "Bracket XL", "designer": "Alice", "tags": ["workshop"]},
        method="put",
    ),
    "DELETE /api/v1/library/designs/{design_id}": post(
        "/library/designs/{w.design.pk}", method="delete"
    ),
    "GET /api/v1/library/search": get("/library/search?q=bracket"),
    "GET /api/v1/library/designs/{design_id}/variants": get(
        "/library/designs/{w.design.pk}/variants"
    ),
    "PUT /api/v1/library/variants/{variant_id}": post(
        "/library/variants/{w.uploaded.variant_id}", lambda w: {"name": "Large"}, method="put"
    ),
    "POST /api/v1/library/versions/{version_id}/default": post(
        "/library/versions/{w.uploaded.pk}/default"
    ),
    "POST /api/v1/library/versions/{version_id}/corrections": post(
        "/library/versions/{w.uploaded.pk}/corrections",
        lambda w: {"field": "print_time_s", "value": "3900"},
    ),
    "DELETE /api/v1/library/versions/{version_id}": post(
        "/library/versions/{w.uploaded.pk}", method="delete"
    ),
    "GET /api/v1/library/tags": get("/library/tags"),
    "GET /api/v1/library/designs/{design_id}/images": get("/library/designs/{w.design.pk}/images"),
    "POST /api/v1/library/designs/{design_id}/images": upload(
        "/library/designs/{w.design.pk}/images",
        lambda w: {"file": SimpleUploadedFile("side.png", real_png(3, 3))},
    ),
    "DELETE /api/v1/library/images/{image_id}": post(
        "/library/images/{w.image.pk}", method="delete"
    ),
    "GET /api/v1/library/versions/{version_id}/filaments": get(
        "/library/versions/{w.uploaded.pk}/filaments"
    ),
    "GET /api/v1/library/filaments/unmatched": get("/library/filaments/unmatched"),
    "POST /api/v1/library/filament-usages/{usage_id}/confirm": post(
        "/library/filament-usages/{w.usage.pk}/confirm", lambda w: {"filament": w.petg.pk}
    ),
    "POST /api/v1/library/filament-usages/{usage_id}/create-filament": post(
        "/library/filament-usages/{w.usage.pk}/create-filament"
    ),
    "POST /api/v1/library/filaments/rematch": post("/library/filaments/rematch"),
    # materials
    "GET /api/v1/materials/vendors": get("/materials/vendors"),
    "POST /api/v1/materials/vendors": post(
        "/materials/vendors", lambda w: {"name": "Prusament", "empty_spool_grams": 201}
    ),
    "GET /api/v1/materials/vendors/{vendor_id}": get("/materials/vendors/{w.vendor.pk}"),
    "PUT /api/v1/materials/vendors/{vendor_id}": post(
        "/materials/vendors/{w.vendor.pk}", lambda w: {"name": "Bambu"}, method="put"
    ),
    "GET /api/v1/materials/filaments": get("/materials/filaments"),
    "POST /api/v1/materials/filaments": post("/materials/filaments", _filament_body),
    "GET /api/v1/materials/filaments/{filament_id}": get("/materials/filaments/{w.pla.pk}"),
    "PUT /api/v1/materials/filaments/{filament_id}": post(
        "/materials/filaments/{w.pla.pk}",
        lambda w: {**_filament_body(w), "multi_color_hexes": ["#ff0000", "#00FF00"]},
        method="put",
    ),
    "GET /api/v1/materials/spools": get("/materials/spools"),
    "POST /api/v1/materials/spools": post(
        "/materials/spools", lambda w: {"filament": w.petg.pk, "cost_paid": "21.50"}
    ),
    "GET /api/v1/materials/spools/{spool_id}": get("/materials/spools/{w.spool.pk}"),
    "PUT /api/v1/materials/spools/{spool_id}": post(
        "/materials/spools/{w.spare_spool.pk}", lambda w: {"location": "Drybox"}, method="put"
    ),
    "POST /api/v1/materials/spools/{spool_id}/consume": post(
        "/materials/spools/{w.spool.pk}/consume", lambda w: {"grams": "3.5"}
    ),
    "POST /api/v1/materials/spools/{spool_id}/weigh-in": post(
        "/materials/spools/{w.spool.pk}/weigh-in", lambda w: {"gross_grams": "1180"}
    ),
    "GET /api/v1/materials/spools/{spool_id}/ledger": get(
        "/materials/spools/{w.spare_spool.pk}/ledger"
    ),
    "GET /api/v1/materials/export/filaments.csv": get("/materials/export/filaments.csv"),
    "GET /api/v1/materials/export/spools.csv": get("/materials/export/spools.csv"),
    "GET /api/v1/materials/shopping-list": get("/materials/shopping-list"),
    "POST /api/v1/materials/orders": post(
        "/materials/orders", lambda w: {"filament": w.pla.pk, "spools": 3, "cost": "60"}
    ),
    "POST /api/v1/materials/orders/{order_id}/receive": post(
        "/materials/orders/{w.order.pk}/receive"
    ),
    "GET /api/v1/materials/reports/weigh-in-variance": get(
        "/materials/reports/weigh-in-variance?by=filament&months=12"
    ),
    "GET /api/v1/materials/colours/suggest": get("/materials/colours/suggest?color_hex=%23c12e20"),
    # production
    "GET /api/v1/production/printers": get("/production/printers"),
    "POST /api/v1/production/printers": post(
        "/production/printers", lambda w: {"name": "Mini", "slots": 1, "hourly_cost": "0.5"}
    ),
    "GET /api/v1/production/printers/{printer_id}": get("/production/printers/{w.printer.pk}"),
    "PATCH /api/v1/production/printers/{printer_id}": post(
        "/production/printers/{w.idle_printer.pk}",
        lambda w: {"status": "maintenance", "power_watts": 90},
        method="patch",
    ),
    "POST /api/v1/production/printers/{printer_id}/slots": post(
        "/production/printers/{w.printer.pk}/slots", lambda w: {"slot": 1, "spool": None}
    ),
    "GET /api/v1/production/printers/{printer_id}/maintenance": get(
        "/production/printers/{w.printer.pk}/maintenance"
    ),
    "POST /api/v1/production/printers/{printer_id}/maintenance": post(
        "/production/printers/{w.printer.pk}/maintenance", lambda w: {"note": "New PEI sheet."}
    ),
    "GET /api/v1/production/jobs": get("/production/jobs?status=all"),
    "POST /api/v1/production/jobs": post(
        "/production/jobs", lambda w: {"version": w.version.pk, "copies": 2}
    ),
    "GET /api/v1/production/jobs/{job_id}": get("/production/jobs/{w.printing.pk}"),
    "POST /api/v1/production/jobs/{job_id}/start": post(
        "/production/jobs/{w.queued.pk}/start",
        lambda w: {"printer": w.idle_printer.pk, "spools": {"0": w.spare_spool.pk}},
    ),
    "POST /api/v1/production/jobs/{job_id}/complete": post(
        "/production/jobs/{w.printing.pk}/complete"
    ),
    "POST /api/v1/production/jobs/{job_id}/fail": post(
        "/production/jobs/{w.printing.pk}/fail",
        lambda w: {"reason": "clog", "completion_percent": 30},
    ),
    "POST /api/v1/production/jobs/{job_id}/cancel": post("/production/jobs/{w.queued_2.pk}/cancel"),
    "POST /api/v1/production/jobs/{job_id}/requeue": post("/production/jobs/{w.failed.pk}/requeue"),
    "POST /api/v1/production/jobs/{job_id}/spools": post(
        "/production/jobs/{w.printing.pk}/spools", lambda w: {"slot": 0, "spool": w.spool.pk}
    ),
    "POST /api/v1/production/queue/reorder": post(
        "/production/queue/reorder", lambda w: {"job_ids": [w.queued_2.pk, w.queued.pk]}
    ),
    "POST /api/v1/production/queue/gather": post(
        "/production/queue/gather", lambda w: {"job_ids": [w.queued.pk, w.queued_2.pk]}
    ),
    "GET /api/v1/production/schedule": get("/production/schedule"),
    "GET /api/v1/production/batches": get("/production/batches"),
    "GET /api/v1/production/versions/{version_id}/history": get(
        "/production/versions/{w.version.pk}/history"
    ),
}


def send(client: Client, request: dict[str, Any], headers: dict[str, str]) -> Any:
    method, path = request["method"], API + request["path"]
    call = getattr(client, method)
    if "data" in request:
        return call(path, request["data"], **headers)
    if "json" in request:
        return call(path, json.dumps(request["json"]), content_type="application/json", **headers)
    return call(path, **headers)


def media_type(response: Any) -> str:
    return response.get("Content-Type", "").split(";")[0].strip()


def assert_matches_document(operation_key: str, response: Any) -> None:
    """The status is documented for this operation, the media type is the documented one, and
    the body validates against the published schema."""
    doc = document()
    answers = operations(doc)[operation_key]["responses"]
    status = str(response.status_code)
    body = getattr(response, "content", b"")
    assert status in answers, f"{operation_key} answered {status}, not documented: {body[:200]}"
    content = answers[status].get("content")
    if not content:
        assert not body, f"{operation_key} {status} documents no body but sent {body[:200]}"
        return
    assert media_type(response) in content, (
        f"{operation_key} {status} sent {media_type(response)}, documented {sorted(content)}"
    )
    schema = content[media_type(response)]["schema"]
    if media_type(response) != "application/json":
        assert body or b"".join(response.streaming_content)
        return
    validator = jsonschema.Draft202012Validator(
        {**schema, "components": doc["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(json.loads(body)), key=str)
    assert not errors, f"{operation_key} {status}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )


def test_every_operation_in_the_document_has_a_case(db):
    published = set(operations(document()))
    assert published - set(CASES) == set(), "operations without a case in CASES"
    assert set(CASES) - published == set(), "cases for operations no longer published"


@pytest.mark.parametrize("operation_key", sorted(CASES))
def test_a_real_answer_matches_the_published_schema(operation_key, world, client):
    response = send(client, CASES[operation_key](world), world.headers)
    assert response.status_code < 300 or response.status_code == 302, (
        f"{operation_key}: the case should succeed, got {response.status_code} "
        f"{getattr(response, 'content', b'')[:300]}"
    )
    assert_matches_document(operation_key, response)


def _with_ids(template: str, value: str) -> str:
    return "/".join(value if part.startswith("{") else part for part in template.split("/"))


@pytest.mark.parametrize("operation_key", sorted(CASES))
def test_without_credentials_the_answer_is_the_documented_401(operation_key, client):
    method, template = operation_key.split(" ", 1)
    response = getattr(client, method.lower())(_with_ids(template, "1"))
    assert response.status_code == 401
    assert_matches_document(operation_key, response)


PATH_ID_CASES = sorted(key for key in CASES if "{" in key)


@pytest.mark.parametrize("operation_key", PATH_ID_CASES)
def test_an_unknown_id_in_the_path_is_the_documented_404(operation_key, world, client):
    request = CASES[operation_key](world)
    request["path"] = _with_ids(operation_key.split(" ", 1)[1].removeprefix(API), "987654321")
    response = send(client, request, world.headers)
    assert response.status_code == 404
    assert_matches_document(operation_key, response)


# --- the document itself ---------------------------------------------------------------------


def test_no_two_schemas_share_a_component_name(monkeypatch, db):
    """ninja files every model under its class name, and a second class of the same name
    silently replaced the first (library's FilamentRef, production's UnmatchedOut)."""
    from ninja.openapi.schema import OpenAPISchema

    seen: dict[str, Any] = {}
    clashes: list[str] = []
    original = OpenAPISchema.add_schema_definitions

    def record(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if name in seen and seen[name] != definition:
                clashes.append(name)
            seen.setdefault(name, definition)
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", record)
    api.get_openapi_schema()
    assert clashes == []


def test_library_and_stock_filament_references_are_two_schemas(db):
    schemas = document()["components"]["schemas"]
    assert set(schemas["MatchedFilamentRef"]["properties"]) == {"id", "name", "color_hex"}
    assert set(schemas["FilamentRef"]["properties"]) == {
        "id", "vendor", "material", "colour_name", "color_hex",
    }  # fmt: skip
    unmatched = operations(document())["GET /api/v1/library/filaments/unmatched"]
    assert unmatched["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/UnmatchedPresetOut"},
        "title": "Response",
    }


@pytest.mark.parametrize("name", ["filaments", "spools"])
def test_the_csv_exports_are_documented_as_csv(name, db):
    answer = operations(document())[f"GET /api/v1/materials/export/{name}.csv"]["responses"]
    assert set(answer["200"]["content"]) == {"text/csv"}


def test_every_operation_documents_the_errors_it_can_answer(db):
    """401 everywhere; 403 and 422 on writes; 404 and 422 for an id in the path; 400 and 413
    where there is a body; every error is ErrorOut."""
    missing = []
    for key, operation in operations(document()).items():
        method, path = key.split(" ", 1)
        expected = {"401"}
        if method.lower() in WRITES:
            expected |= {"403", "422"}
        if "{" in path:
            expected |= {"404", "422"}
        if "requestBody" in operation:
            expected |= {"400", "413"}
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            expected |= {"422"}
        answers = operation["responses"]
        if expected - set(answers):
            missing.append(f"{key}: {sorted(expected - set(answers))}")
        for status, answer in answers.items():
            if status.startswith("4"):
                assert answer["content"] == {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
                }, key
    assert missing == []
    assert document()["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]


def test_enforced_constraints_are_published(db):
    schemas = document()["components"]["schemas"]
    assert schemas["FilamentIn"]["properties"]["color_hex"]["pattern"] == "^#?[0-9A-Fa-f]{6}$"
    report = operations(document())["GET /api/v1/materials/reports/weigh-in-variance"]
    months = next(p for p in report["parameters"] if p["name"] == "months")
    assert months["schema"]["enum"] == [3, 6, 12, 24]
    suggest = operations(document())["GET /api/v1/materials/colours/suggest"]
    assert "pattern" in suggest["parameters"][0]["schema"]
