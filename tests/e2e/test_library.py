"""Drop three real sliced files → grouped design with variants → metadata and thumbnails →
search by material and colour → compare two versions → download the exact bytes."""

import base64
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"
DROPPED = (
    ("bambu_studio/bs020400_a1mini.gcode.3mf", "cube_small_PLA-green.gcode.3mf"),
    ("prusaslicer/ps020801_mini_cube.gcode", "cube_large_PLA-orange_v1.gcode"),
    ("prusaslicer/ps020801_testfile.gcode", "cube_large_PLA-orange_v2.gcode"),
)
DROP_JS = """
({files}) => {
  const transfer = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], f.name));
  }
  const zone = document.getElementById("dropzone");
  const options = {dataTransfer: transfer, bubbles: true, cancelable: true};
  zone.dispatchEvent(new DragEvent("drop", options));
}
"""


def _sign_in(page, url, email):
    page.goto(f"{url}/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_drop_group_search_compare_download(live_server, new_page, shot, alice, tmp_path):
    for relative, _ in DROPPED:
        if not (CORPUS / relative).exists():
            pytest.skip("../shared/corpus is absent")
    page = new_page()
    _sign_in(page, live_server.url, alice.email)
    page.goto(f"{live_server.url}/library/upload/")
    files = [
        {"name": name, "b64": base64.b64encode((CORPUS / rel).read_bytes()).decode()}
        for rel, name in DROPPED
    ]
    page.evaluate(DROP_JS, {"files": files})
    expect(page.locator("#upload-rows tr.done")).to_have_count(3, timeout=30_000)
    shot(page, "10-upload-done")
    model_inputs = page.locator("#upload-rows input[aria-label^='Model for']")
    expect(model_inputs.nth(0)).to_have_value("Cube")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.locator(".gallery .tile")).to_have_count(1)
    shot(page, "11-library-gallery")
    page.locator(".gallery .tile a").first.click()
    expect(page.get_by_role("heading", name="Cube", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Small · PLA green")).to_be_visible()
    expect(page.get_by_role("heading", name="Large · PLA orange")).to_be_visible()
    shot(page, "12-design-page")

    page.get_by_role("link", name="v2").click()
    expect(page.get_by_text("Key parameters")).to_be_visible()
    expect(page.locator(".swatch").first).to_be_visible()
    assert page.locator("img.version-thumb").evaluate("img => img.naturalWidth") > 0
    shot(page, "13-version-page")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Changed settings")).to_be_visible()
    shot(page, "14-compare")

    page.goto(f"{live_server.url}/library/")
    page.get_by_role("checkbox", name="PLA").check()
    page.locator("label.swatch-option", has_text="Green").locator("input").check()
    expect(page.locator("#results")).to_contain_text("1 model")
    expect(page.locator(".gallery .tile")).to_have_count(1)
    shot(page, "15-search-material-colour")

    page.locator(".gallery .tile a").first.click()
    page.get_by_role("link", name="v1").first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download").click()
    target = tmp_path / "download.bin"
    download_info.value.save_as(target)
    downloaded = target.read_bytes()
    assert downloaded in {(CORPUS / rel).read_bytes() for rel, _ in DROPPED}

    phone = new_page(viewport={"width": 360, "height": 740})
    _sign_in(phone, live_server.url, alice.email)
    phone.goto(f"{live_server.url}/library/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "16-library-phone")


def test_a_large_file_goes_in_pieces_and_survives_a_dropped_piece(
    live_server, new_page, shot, alice, settings
):
    source = CORPUS / "prusaslicer/ps020801_testfile.gcode"
    if not source.exists():
        pytest.skip("../shared/corpus is absent")
    settings.PRINTOPS_UPLOAD_CHUNK_BYTES = 100_000
    page = new_page()
    _sign_in(page, live_server.url, alice.email)
    dropped = {"count": 0}

    def drop_second_piece_once(route):
        if "offset=100000" in route.request.url and not dropped["count"]:
            dropped["count"] += 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/library/upload/large/**", drop_second_piece_once)
    page.goto(f"{live_server.url}/library/upload/")
    page.evaluate(
        DROP_JS,
        {
            "files": [
                {"name": "tower_PETG.gcode", "b64": base64.b64encode(source.read_bytes()).decode()}
            ]
        },
    )
    expect(page.locator("#upload-rows tr.done")).to_have_count(1, timeout=30_000)
    assert dropped["count"] == 1
    shot(page, "17-large-upload-resumed")
