import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from printops.accounts import services as account_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice_actor):
    raw = account_services.api_token_create(actor=alice_actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def charlie_api(charlie_membership):
    from printops.accounts.actor import Actor

    actor = Actor(user=charlie_membership.user, membership=charlie_membership)
    raw = account_services.api_token_create(actor=actor, name="t")[1]
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(api, path, name="cube.gcode.3mf", **fields):
    return api.post(
        "/api/v1/library/files", {"file": SimpleUploadedFile(name, path.read_bytes()), **fields}
    )


def test_upload_returns_201_with_metadata(api, corpus_file):
    response = _post(
        api, corpus_file("bambu_studio/bs020400_a1mini.gcode.3mf"), design="Cube", variant="A1 mini"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["metadata"]["format"] == "gcode.3mf" and body["metadata"]["slicer"]["name"]
    assert (body["design"]["name"], body["variant"]["name"], body["number"]) == (
        "Cube",
        "A1 mini",
        1,
    )


def test_upload_to_a_variant_id_makes_the_next_version(api, corpus_file):
    first = _post(api, corpus_file("prusaslicer/ps020801_mini_cube.gcode"), "a.gcode").json()
    second = _post(
        api,
        corpus_file("prusaslicer/ps020801_testfile.gcode"),
        "b.gcode",
        variant=str(first["variant"]["id"]),
        change_note="new walls",
    ).json()
    assert second["number"] == 2 and second["variant"]["id"] == first["variant"]["id"]


def test_download_gives_the_exact_bytes(api, corpus_file):
    path = corpus_file("bambu_studio/bs020400_a1mini.gcode.3mf")
    version = _post(api, path).json()
    response = api.get(f"/api/v1/library/versions/{version['id']}/download")
    assert b"".join(response.streaming_content) == path.read_bytes()


def test_upload_without_a_file_is_a_sentence(api):
    response = api.post("/api/v1/library/files", {})
    assert response.status_code == 422 and response.json()["detail"].startswith("file")


def test_another_workspaces_version_and_variant_are_404(api, charlie_api, corpus_file):
    version = _post(api, corpus_file("prusaslicer/ps020801_mini_cube.gcode")).json()
    assert charlie_api.get(f"/api/v1/library/versions/{version['id']}").status_code == 404
    assert charlie_api.get(f"/api/v1/library/versions/{version['id']}/download").status_code == 404
    response = _post(
        charlie_api,
        corpus_file("prusaslicer/ps020801_testfile.gcode"),
        variant=str(version["variant"]["id"]),
    )
    assert response.status_code == 404


def test_designs_can_be_listed_updated_and_deleted(api, corpus_file):
    version = _post(api, corpus_file("prusaslicer/ps020801_mini_cube.gcode")).json()
    design_id = version["design"]["id"]
    assert [d["id"] for d in api.get("/api/v1/library/designs").json()] == [design_id]
    updated = api.put(
        f"/api/v1/library/designs/{design_id}",
        {"name": "Calibration cube", "tags": ["test", "calibration"]},
        content_type="application/json",
    ).json()
    assert updated["name"] == "Calibration cube" and set(updated["tags"]) == {"test", "calibration"}
    assert api.delete(f"/api/v1/library/designs/{design_id}").status_code == 204
    assert api.get(f"/api/v1/library/designs/{design_id}").status_code == 404


def test_search_finds_by_material_and_is_scoped(api, charlie_api, corpus_file):
    _post(api, corpus_file("bambu_studio/bs020400_a1mini.gcode.3mf"), design="Cube", variant="A1")
    body = api.get("/api/v1/library/search", {"q": "cube"}).json()
    assert body["total"] == 1 and body["items"][0]["name"] == "Cube"
    assert body["items"][0]["thumbnail_url"].endswith("thumbnail.png")
    material = body["items"][0]["materials"][0]
    assert api.get("/api/v1/library/search", {"material": material}).json()["total"] == 1
    assert charlie_api.get("/api/v1/library/search", {"q": "cube"}).json()["total"] == 0
    assert api.get("/api/v1/library/search", {"q": '"(*) NEAR -'}).status_code == 200


def test_variants_versions_tags_and_images_have_crud(api, corpus_file):
    from tests.library.test_design_extras import PNG

    first = _post(
        api,
        corpus_file("prusaslicer/ps020801_mini_cube.gcode"),
        "a.gcode",
        design="Cube",
        variant="Mini",
    ).json()
    second = _post(
        api,
        corpus_file("prusaslicer/ps020801_testfile.gcode"),
        "b.gcode",
        variant=str(first["variant"]["id"]),
    ).json()
    variant_id, design_id = first["variant"]["id"], first["design"]["id"]
    renamed = api.put(
        f"/api/v1/library/variants/{variant_id}", {"name": "Tiny"}, content_type="application/json"
    ).json()
    assert renamed["name"] == "Tiny" and renamed["default_version_id"] == first["id"]
    assert (
        api.post(f"/api/v1/library/versions/{second['id']}/default").json()["default_version_id"]
        == second["id"]
    )
    assert api.delete(f"/api/v1/library/versions/{second['id']}").status_code == 204
    listed = api.get(f"/api/v1/library/designs/{design_id}/variants").json()
    assert listed[0]["default_version_id"] == first["id"] and listed[0]["versions"] == [first["id"]]
    corrected = api.post(
        f"/api/v1/library/versions/{first['id']}/corrections",
        {"field": "layer_height_mm", "value": "0.3"},
        content_type="application/json",
    ).json()
    assert corrected["corrections"]["layer_height_mm"]["value"] == 0.3
    api.put(
        f"/api/v1/library/designs/{design_id}",
        {"name": "Cube", "tags": ["gift"]},
        content_type="application/json",
    )
    assert api.get("/api/v1/library/tags").json() == ["gift"]
    image = api.post(
        f"/api/v1/library/designs/{design_id}/images", {"file": SimpleUploadedFile("p.png", PNG)}
    ).json()
    assert image["is_primary"]
    assert api.delete(f"/api/v1/library/images/{image['id']}").status_code == 204
    created = api.post(
        "/api/v1/library/designs", {"name": "Planter"}, content_type="application/json"
    )
    assert created.status_code == 201
    duplicate = api.post(
        "/api/v1/library/designs", {"name": "planter"}, content_type="application/json"
    )
    assert duplicate.status_code == 409
