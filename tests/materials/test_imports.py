import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from printops.accounts.models import AuditEvent
from printops.core.errors import InvalidInput, NotAllowed
from printops.materials import imports, services
from printops.materials.models import Filament, Spool, SpoolLedgerEntry, Vendor

pytestmark = pytest.mark.django_db

FILAMENTS = (
    "vendor,material,colour_name,color_hex,diameter_mm,density_g_cm3,net_spool_grams,price_per_kg\n"
    "Prusament,PLA,Galaxy Black,#3D3E3D,1.75,1.24,1000,24.99\n"
    "Polymaker,PETG,Teal,00a0a0,1.75,1.27,1000,\n"
)
SPOOLS = (
    "label_code,vendor,material,colour_name,initial_grams,remaining_grams,location,lot\n"
    "ABC123,Prusament,PLA,Galaxy Black,1000,640.5,Shelf A,L-7\n"
)


def _lines(text):
    return text.strip().splitlines()


# --- export ----------------------------------------------------------------------------------


def test_filaments_export_with_their_vendor(workspace, galaxy_black):
    header, row = _lines(imports.filaments_csv(workspace=workspace))
    assert header.startswith("vendor,material,product_line,colour_name,color_hex")
    assert row.startswith("Prusament,PLA,,Galaxy Black,#3D3E3D,,1.75,1.240,1000.00,24.99,300.00")


def test_spools_export_with_grams_location_lot_and_label(alice_actor, workspace, galaxy_black):
    spool = services.spool_create(
        actor=alice_actor, filament=galaxy_black, remaining_grams=250, location="Dry box", lot="X9"
    )
    header, row = _lines(imports.spools_csv(workspace=workspace))
    assert header.split(",")[:8] == [
        "label_code", "vendor", "material", "product_line", "colour_name", "color_hex",
        "initial_grams", "remaining_grams",
    ]  # fmt: skip
    assert row.startswith(
        f"{spool.label_code},Prusament,PLA,,Galaxy Black,#3D3E3D,1000.00,250.00,Dry box,X9"
    )


def test_export_quotes_cells_a_spreadsheet_would_run_as_formulas(alice_actor, galaxy_black):
    services.spool_create(actor=alice_actor, filament=galaxy_black, location="=HYPERLINK(1)")
    services.spool_create(actor=alice_actor, filament=galaxy_black, location="@SUM(A1)", lot="+1")
    text = imports.spools_csv(workspace=alice_actor.workspace)
    assert "'=HYPERLINK(1)" in text and "'@SUM(A1)" in text and "'+1" in text
    assert ",=HYPERLINK" not in text


def test_export_shows_only_the_workspace_s_own_rows(workspace, galaxy_black, charlie_spool):
    assert "Polymaker" not in imports.filaments_csv(workspace=workspace)
    assert charlie_spool.label_code not in imports.spools_csv(workspace=workspace)


# --- import: filaments -----------------------------------------------------------------------


def test_a_filament_preview_writes_nothing(alice_actor):
    before = AuditEvent.objects.count()
    plan = services.import_preview(actor=alice_actor, kind="filaments", data=FILAMENTS.encode())
    assert [r.action for r in plan.rows] == ["create", "create"]
    assert not Filament.objects.exists() and not Vendor.objects.exists()
    assert AuditEvent.objects.count() == before


def test_filaments_are_imported_with_missing_vendors(alice_actor):
    plan = services.import_apply(actor=alice_actor, kind="filaments", data=FILAMENTS.encode())
    assert plan.count("create") == 2
    teal = Filament.objects.get(colour_name="Teal")
    assert (teal.vendor.name, teal.color_hex, teal.price_per_kg) == ("Polymaker", "#00A0A0", None)
    assert AuditEvent.objects.filter(verb="materials.filaments_imported").count() == 1


def test_reimporting_the_same_filaments_creates_no_duplicates(alice_actor):
    services.import_apply(actor=alice_actor, kind="filaments", data=FILAMENTS.encode())
    plan = services.import_apply(actor=alice_actor, kind="filaments", data=FILAMENTS.encode())
    assert [r.action for r in plan.rows] == ["unchanged", "unchanged"]
    assert Filament.objects.count() == 2 and Vendor.objects.count() == 2


def test_a_changed_row_updates_the_matching_filament(alice_actor, galaxy_black):
    data = FILAMENTS.replace("24.99", "19.90").encode()
    plan = services.import_apply(actor=alice_actor, kind="filaments", data=data)
    assert [r.action for r in plan.rows] == ["update", "create"]
    galaxy_black.refresh_from_db()
    assert galaxy_black.price_per_kg == Decimal("19.90")
    assert galaxy_black.low_stock_grams == Decimal("300")  # not in the file: kept


def test_an_exported_file_imports_back_unchanged(alice_actor, galaxy_black):
    text = imports.filaments_csv(workspace=alice_actor.workspace)
    plan = services.import_preview(actor=alice_actor, kind="filaments", data=text.encode())
    assert [r.action for r in plan.rows] == ["unchanged"]


def test_a_row_without_material_or_colour_name_is_found_again(alice_actor, galaxy_black):
    data = b"vendor,material,colour_name,color_hex\nPrusament,,,#3D3E3D\n"
    plan = services.import_apply(actor=alice_actor, kind="filaments", data=data)
    assert [r.action for r in plan.rows] == ["unchanged"]
    assert Filament.objects.get().colour_name == "Galaxy Black"


def test_a_bad_row_is_a_sentence_and_nothing_is_imported(alice_actor):
    data = (
        FILAMENTS + "Sunlu,PLA,Red,#GG0000,1.75,1.24,1000,\nSunlu,PLA,Blue,#0000FF,abc,1.24,1000,\n"
    ).encode()
    plan = services.import_preview(actor=alice_actor, kind="filaments", data=data)
    errors = {r.line: r.sentence for r in plan.errors}
    assert "is not a colour" in errors[4] and "diameter must be a number" in errors[5]
    with pytest.raises(InvalidInput, match="Nothing was imported: 2 row"):
        services.import_apply(actor=alice_actor, kind="filaments", data=data)
    assert not Filament.objects.exists() and not Vendor.objects.exists()


def test_an_operator_cannot_import_filaments(bob_actor):
    with pytest.raises(NotAllowed, match="managers and owners"):
        services.import_preview(actor=bob_actor, kind="filaments", data=FILAMENTS.encode())


# --- import: spools --------------------------------------------------------------------------


def test_spools_are_imported_through_the_ledger_with_their_label_code(bob_actor, galaxy_black):
    plan = services.import_apply(actor=bob_actor, kind="spools", data=SPOOLS.encode())
    assert plan.count("create") == 1
    spool = Spool.objects.get(label_code="ABC123")
    assert (spool.remaining_grams, spool.location, spool.lot) == (
        Decimal("640.50"),
        "Shelf A",
        "L-7",
    )
    (row,) = SpoolLedgerEntry.objects.filter(spool=spool)
    assert (row.reason, row.grams) == ("new_spool", Decimal("640.50"))


def test_reimporting_spools_matches_them_by_label_code(bob_actor, galaxy_black):
    services.import_apply(actor=bob_actor, kind="spools", data=SPOOLS.encode())
    plan = services.import_apply(actor=bob_actor, kind="spools", data=SPOOLS.encode())
    assert [r.action for r in plan.rows] == ["unchanged"]
    moved = SPOOLS.replace("Shelf A", "Dry box").encode()
    assert [
        r.action for r in services.import_apply(actor=bob_actor, kind="spools", data=moved).rows
    ] == ["update"]
    assert Spool.objects.get().location == "Dry box"
    assert SpoolLedgerEntry.objects.count() == 1


def test_an_exported_spool_file_imports_back_unchanged(alice_actor, spool):
    text = imports.spools_csv(workspace=alice_actor.workspace)
    plan = services.import_apply(actor=alice_actor, kind="spools", data=text.encode())
    assert [r.action for r in plan.rows] == ["unchanged"]


def test_a_spool_of_an_unknown_filament_is_refused(alice_actor, galaxy_black):
    data = SPOOLS.replace("Galaxy Black", "Jet Black").encode()
    (row,) = services.import_preview(actor=alice_actor, kind="spools", data=data).rows
    assert (
        row.sentence
        == "There is no filament Prusament PLA Jet Black: import or add the filament first."
    )


def test_a_spool_with_more_left_than_it_started_is_refused(alice_actor, galaxy_black):
    data = SPOOLS.replace("640.5", "1200").encode()
    (row,) = services.import_preview(actor=alice_actor, kind="spools", data=data).rows
    assert "cannot be more than the initial weight" in row.sentence


def test_a_viewer_cannot_import_spools(alice_actor, workspace, galaxy_black):
    from printops.accounts.actor import Actor
    from printops.accounts.roles import Role
    from tests.factories import MembershipFactory

    viewer = Actor(
        user=(m := MembershipFactory(workspace=workspace, role=Role.VIEWER)).user, membership=m
    )
    with pytest.raises(NotAllowed):
        services.import_apply(actor=viewer, kind="spools", data=SPOOLS.encode())


def test_the_outsider_s_filaments_are_not_matched(charlie_actor, galaxy_black):
    (row,) = services.import_preview(actor=charlie_actor, kind="spools", data=SPOOLS.encode()).rows
    assert row.action == "error" and "no filament" in row.sentence


# --- hostile files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This is not a CSV file"),
        ("vendor;material\nX;PLA\n".encode("latin-1") + b"\xff", "not UTF-8"),
        (b"name,colour\nX,red\n", "The file has no vendor, material, color_hex column"),
        (b"vendor,material,color_hex\n", "column names but no rows"),
        (b'vendor,material,color_hex\n"X,PLA,#FFFFFF\n', "is not valid CSV"),
        (b"x" * (imports.MAX_BYTES + 1), "larger than 2 MB"),
        (
            b"vendor,material,color_hex\n" + b"V,PLA,#FFFFFF\n" * (imports.MAX_ROWS + 1),
            "more than 5,000 rows",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_sentence(alice_actor, data, sentence):
    with pytest.raises(InvalidInput, match=sentence):
        services.import_apply(actor=alice_actor, kind="filaments", data=data)
    assert not Vendor.objects.exists()


# --- Spoolman --------------------------------------------------------------------------------

SPOOLMAN_VENDOR = {"id": 1, "name": "Polymaker", "empty_spool_weight": 140}
SPOOLMAN_FILAMENT = {
    "id": 3,
    "name": "Galaxy Teal",
    "vendor": SPOOLMAN_VENDOR,
    "material": "PETG",
    "color_hex": "00a0a0",
    "density": 1.27,
    "diameter": 1.75,
    "weight": 1000,
    "spool_weight": 140,
    "price": 25,
    "article_number": "PM-PETG-T",
    "settings_extruder_temp": 240,
    "settings_bed_temp": 80,
}
SPOOLMAN_SPOOLS = [
    {
        "id": 7,
        "filament": SPOOLMAN_FILAMENT,
        "initial_weight": 1000,
        "used_weight": 250.5,
        "location": "Dry box",
        "lot_nr": "L42",
        "archived": False,
        "price": 22.5,
        "first_used": "2025-01-05T10:00:00Z",
        "registered": "2025-01-01T09:00:00Z",
    },
    {
        "id": 8,
        "filament": {**SPOOLMAN_FILAMENT, "id": 4, "name": "", "color_hex": "FF000080",
                     "vendor": None, "material": "PLA+", "price": None},
        "remaining_weight": 0,
        "archived": True,
    },
]  # fmt: skip


def test_a_spoolman_spool_list_imports_vendors_filaments_and_spools(alice_actor):
    data = imports.spoolman_read(data=json.dumps(SPOOLMAN_SPOOLS).encode())
    plan = services.spoolman_apply(actor=alice_actor, data=data)
    assert plan.errors == [] and plan.count("create") == 5
    teal = Filament.objects.get(colour_name="Galaxy Teal")
    assert (teal.vendor.empty_spool_grams, teal.color_hex, teal.price_per_kg) == (
        Decimal("140.00"), "#00A0A0", Decimal("25.00"),
    )  # fmt: skip
    assert (teal.nozzle_temp_c, teal.bed_temp_c, teal.article_number) == (240, 80, "PM-PETG-T")
    spool = Spool.objects.get(label_code="SM7")
    assert (spool.remaining_grams, spool.location, spool.lot) == (
        Decimal("749.50"),
        "Dry box",
        "L42",
    )
    assert str(spool.opened_date) == "2025-01-05" and spool.cost_paid == Decimal("22.50")
    other = Spool.objects.get(label_code="SM8")
    assert other.archived and other.remaining_grams == 0
    assert (other.filament.vendor.name, other.filament.material, other.filament.color_hex) == (
        "Unknown vendor", "OTHER", "#FF0000",
    )  # fmt: skip


def test_a_second_spoolman_import_adds_nothing(alice_actor):
    data = imports.spoolman_read(data=json.dumps(SPOOLMAN_SPOOLS).encode())
    services.spoolman_apply(actor=alice_actor, data=data)
    plan = services.spoolman_apply(actor=alice_actor, data=data)
    assert plan.count("create") == 0 and plan.count("unchanged") == 5
    assert Spool.objects.count() == 2 and Filament.objects.count() == 2


def test_the_vendors_filaments_spools_shape_is_read(alice_actor):
    shape = {
        "vendors": [SPOOLMAN_VENDOR],
        "filaments": [{**SPOOLMAN_FILAMENT, "vendor": None, "vendor_id": 1}],
        "spools": [{"id": 9, "filament_id": 3, "remaining_weight": 300}],
    }
    data = imports.spoolman_read(data=json.dumps(shape).encode())
    services.spoolman_apply(actor=alice_actor, data=data)
    assert Spool.objects.get(label_code="SM9").filament.vendor.name == "Polymaker"


def test_a_spoolman_preview_writes_nothing(alice_actor):
    data = imports.spoolman_read(data=json.dumps(SPOOLMAN_SPOOLS).encode())
    plan = services.spoolman_preview(actor=alice_actor, data=data)
    assert plan.count("create") == 5 and not Vendor.objects.exists()


def test_a_bad_spoolman_record_imports_nothing(alice_actor):
    bad = [{**SPOOLMAN_SPOOLS[0], "filament": {**SPOOLMAN_FILAMENT, "color_hex": "nothex"}}]
    data = imports.spoolman_read(data=json.dumps(bad).encode())
    with pytest.raises(InvalidInput, match="is not a colour"):
        services.spoolman_apply(actor=alice_actor, data=data)
    assert not Vendor.objects.exists()


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (b"vendor,material\n", "not a Spoolman JSON export"),
        (b'"just a string"', "expected a list or an object"),
        (b"[1, 2]", "must be a list of objects"),
        (b'[{"name": "x"}]', "numeric id"),
        (b"{}", "holds no vendors, filaments or spools"),
        (b" " * (imports.SPOOLMAN_MAX_BYTES + 1), "larger than 8 MB"),
    ],
)
def test_spoolman_data_that_cannot_be_read_is_one_sentence(data, sentence):
    with pytest.raises(InvalidInput, match=sentence):
        imports.spoolman_read(data=data)


def test_an_operator_cannot_import_from_spoolman(bob_actor):
    data = imports.spoolman_read(data=json.dumps(SPOOLMAN_SPOOLS).encode())
    with pytest.raises(NotAllowed):
        services.spoolman_preview(actor=bob_actor, data=data)
    with pytest.raises(NotAllowed):
        imports.spoolman_fetch(actor=bob_actor, base_url="http://127.0.0.1:1")


# --- Spoolman over HTTP: a throw-away server on 127.0.0.1 ------------------------------------


class _Spoolman(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes]] = {}

    def do_GET(self):
        status, body = self.routes.get(self.path, (404, b'{"detail": "not found"}'))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if status in (301, 302):
            self.send_header("Location", "http://example.com/")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def spoolman_server():
    _Spoolman.routes = {
        "/api/v1/vendor": (200, json.dumps([SPOOLMAN_VENDOR]).encode()),
        "/api/v1/filament": (200, json.dumps([SPOOLMAN_FILAMENT]).encode()),
        "/api/v1/spool?allow_archived=true": (200, json.dumps(SPOOLMAN_SPOOLS).encode()),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Spoolman)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Spoolman.routes
    server.shutdown()
    server.server_close()


def test_a_running_spoolman_is_read_over_http(alice_actor, spoolman_server):
    base_url, _ = spoolman_server
    data = imports.spoolman_fetch(actor=alice_actor, base_url=base_url + "/")
    plan = services.spoolman_apply(actor=alice_actor, data=data)
    assert plan.errors == [] and Spool.objects.filter(label_code__in=["SM7", "SM8"]).count() == 2


def test_a_spoolman_error_answer_is_a_sentence(alice_actor, spoolman_server):
    base_url, routes = spoolman_server
    routes["/api/v1/filament"] = (500, b"{}")
    with pytest.raises(InvalidInput, match="answered 500 for /api/v1/filament"):
        imports.spoolman_fetch(actor=alice_actor, base_url=base_url)


def test_a_spoolman_redirect_is_not_followed(alice_actor, spoolman_server):
    base_url, routes = spoolman_server
    routes["/api/v1/vendor"] = (302, b"")
    with pytest.raises(InvalidInput, match="answered 302"):
        imports.spoolman_fetch(actor=alice_actor, base_url=base_url)


def test_a_spoolman_answer_that_is_not_json_is_a_sentence(alice_actor, spoolman_server):
    base_url, routes = spoolman_server
    routes["/api/v1/vendor"] = (200, b"<html>login</html>")
    with pytest.raises(InvalidInput, match="not a Spoolman JSON export"):
        imports.spoolman_fetch(actor=alice_actor, base_url=base_url)


def test_nobody_listening_is_a_sentence(alice_actor):
    with pytest.raises(InvalidInput, match=r"Could not reach Spoolman at http://127\.0\.0\.1:9 "):
        imports.spoolman_fetch(actor=alice_actor, base_url="http://127.0.0.1:9")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://x", "127.0.0.1:7912", ""]
)
def test_only_http_and_https_addresses_are_fetched(alice_actor, url):
    with pytest.raises(InvalidInput, match="http://host:7912"):
        imports.spoolman_fetch(actor=alice_actor, base_url=url)


def test_credentials_in_the_address_are_refused(alice_actor):
    with pytest.raises(InvalidInput, match="user name and password"):
        imports.spoolman_fetch(actor=alice_actor, base_url="http://u:p@127.0.0.1:7912")
