from decimal import Decimal

import pytest

from printops.materials import services as materials
from printops.materials.models import Spool, SpoolLedgerEntry
from printops.production import services
from printops.production.models import Printer, PrintJob
from tests.factories import FilamentUsageFactory, VariantVersionFactory
from tests.production.conftest import start

pytestmark = pytest.mark.django_db

BASE = "/api/v1/production"


def _post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def _patch(client, path, body):
    return client.patch(f"{BASE}{path}", body, content_type="application/json")


@pytest.fixture
def queued(bob_actor, keychain):
    return services.print_job_queue(actor=bob_actor, version=keychain)


@pytest.fixture
def printing(bob_actor, queued, mk4, red_spool):
    return start(bob_actor, queued, mk4)


# --- printers --------------------------------------------------------------------------------


def test_a_printer_is_created_and_listed_with_its_slots(api):
    created = _post(
        api,
        "/printers",
        {"name": "X1C", "nozzle_diameter_mm": "0.4", "slots": 4, "hourly_cost": "0.9",
         "allowed_materials": ["PLA", "PETG"]},
    )  # fmt: skip
    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["hourly_cost"], body["currency"], len(body["slots"])) == (
        "X1C",
        0.9,
        "EUR",
        4,
    )
    assert [p["name"] for p in api.get(f"{BASE}/printers").json()] == ["X1C"]


def test_a_printer_is_patched_field_by_field_and_its_status_set(api, mk4):
    response = _patch(api, f"/printers/{mk4.pk}", {"power_watts": 95, "status": "maintenance"})
    assert response.status_code == 200
    assert (response.json()["power_watts"], response.json()["status"]) == (95, "maintenance")
    assert Printer.objects.get(pk=mk4.pk).model == "Original Prusa MK4"


def test_an_impossible_printer_value_is_a_422_sentence(api):
    response = _post(api, "/printers", {"name": "MINI", "build_z_mm": 0})
    assert response.status_code == 422
    assert response.json() == {"detail": "build_z_mm must be from 1 to 5,000 mm."}


def test_a_spool_is_loaded_and_unloaded(api, x1c, red_spool):
    loaded = _post(api, f"/printers/{x1c.pk}/slots", {"slot": 2, "spool": red_spool.pk})
    assert loaded.status_code == 200
    assert loaded.json()["spool"]["label_code"] == red_spool.label_code
    emptied = _post(api, f"/printers/{x1c.pk}/slots", {"slot": 2, "spool": None})
    assert emptied.json() == {"index": 2, "spool": None}


def test_maintenance_is_logged_and_listed(api, mk4):
    created = _post(api, f"/printers/{mk4.pk}/maintenance", {"note": "Cleaned the bed"})
    assert created.status_code == 201 and created.json()["actor"] == "Alice"
    assert [e["note"] for e in api.get(f"{BASE}/printers/{mk4.pk}/maintenance").json()] == [
        "Cleaned the bed"
    ]


# --- jobs ------------------------------------------------------------------------------------


def test_a_version_is_queued_with_its_feasibility(api, keychain, red_spool):
    response = _post(api, "/jobs", {"version": keychain.pk, "copies": 3, "priority": 1})
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["copies"], body["grams"], body["printer"]) == (
        "queued",
        3,
        60.0,
        None,
    )
    assert body["feasibility"] == {"state": "ready", "short": [], "unmatched": []}
    assert body["estimated_seconds"] == 3 * 3600 and body["version"]["id"] == keychain.pk


def test_queueing_zero_copies_is_a_422_sentence(api, keychain):
    response = _post(api, "/jobs", {"version": keychain.pk, "copies": 0})
    assert response.status_code == 422
    assert response.json() == {"detail": "copies must be from 1 to 999."}


def test_the_queue_lists_printing_then_queued_with_shortfalls(
    api, bob_actor, printing, make_version, pla_red
):
    big = services.print_job_queue(actor=bob_actor, version=make_version((pla_red, 990.0)))
    body = api.get(f"{BASE}/jobs").json()
    assert [(j["id"], j["status"]) for j in body["items"]] == [
        (printing.pk, "printing"),
        (big.pk, "queued"),
    ]
    assert body["items"][0]["spools"][0]["grams"] == 20.0
    short = body["items"][1]["feasibility"]["short"]
    assert (short[0]["filament"]["colour_name"], short[0]["grams"]) == ("Red", 10.0)
    assert body["shortfall"] == [
        {"filament_id": pla_red.pk, "filament": short[0]["filament"], "grams": 10.0}
    ]
    assert (body["total"], body["feasibility_warnings"]) == (2, 1)
    assert [j["id"] for j in api.get(f"{BASE}/jobs?status=printing").json()["items"]] == [
        printing.pk
    ]


def test_start_complete_writes_the_ledger_once_and_a_second_complete_is_409(
    api, queued, mk4, red_spool
):
    started = _post(api, f"/jobs/{queued.pk}/start", {"printer": mk4.pk})
    assert started.status_code == 200 and started.json()["status"] == "printing"
    done = _post(api, f"/jobs/{queued.pk}/complete")
    assert done.status_code == 200 and done.json()["status"] == "completed"
    again = _post(api, f"/jobs/{queued.pk}/complete")
    assert again.status_code == 409
    assert again.json()["detail"].startswith("This job was already completed")
    rows = SpoolLedgerEntry.objects.filter(print_job_id=queued.pk)
    assert [(r.grams, r.reason) for r in rows] == [(Decimal("-20.00"), "print")]
    assert Spool.objects.get(pk=red_spool.pk).remaining_grams == Decimal("980")


def test_a_job_starts_without_a_body_on_the_printer_it_was_queued_for(
    api, bob_actor, keychain, mk4, red_spool
):
    job = services.print_job_queue(actor=bob_actor, version=keychain, printer=mk4)
    response = api.generic("POST", f"{BASE}/jobs/{job.pk}/start")  # no body at all
    assert response.status_code == 200 and response.json()["printer"]["name"] == "MK4"


def test_a_job_starts_with_chosen_spools(api, alice_actor, queued, mk4, pla_red):
    chosen = materials.spool_create(actor=alice_actor, filament=pla_red)
    materials.spool_create(actor=alice_actor, filament=pla_red, remaining_grams=50)
    response = _post(
        api, f"/jobs/{queued.pk}/start", {"printer": mk4.pk, "spools": {"0": chosen.pk}}
    )
    assert response.json()["spools"][0]["spool"]["id"] == chosen.pk


def test_a_failed_job_takes_its_percentage_and_is_requeued(api, printing):
    failed = _post(
        api,
        f"/jobs/{printing.pk}/fail",
        {"completion_percent": 40, "reason": "warping", "note": "Corner lifted"},
    )
    assert failed.status_code == 200
    assert (failed.json()["status"], failed.json()["completion_percent"]) == ("failed", 40.0)
    assert SpoolLedgerEntry.objects.get(print_job_id=printing.pk).grams == Decimal("-8.00")
    again = _post(api, f"/jobs/{printing.pk}/requeue")
    assert again.status_code == 201
    assert (again.json()["requeued_from"], again.json()["status"]) == (printing.pk, "queued")


def test_an_unknown_fail_reason_is_a_422(api, printing):
    response = _post(api, f"/jobs/{printing.pk}/fail", {"completion_percent": 5, "reason": "x"})
    assert response.status_code == 422 and response.json()["detail"].startswith("Choose why")


def test_a_cancelled_job_takes_nothing(api, queued, red_spool):
    response = _post(api, f"/jobs/{queued.pk}/cancel")
    assert response.json()["status"] == "cancelled"
    assert not SpoolLedgerEntry.objects.filter(print_job_id=queued.pk).exists()


def test_the_queue_is_reordered_by_list_or_by_position(api, bob_actor, keychain):
    a, b, c = (services.print_job_queue(actor=bob_actor, version=keychain).pk for _ in range(3))
    assert _post(api, "/queue/reorder", {"job_ids": [c, a, b]}).json() == {"job_ids": [c, a, b]}
    assert _post(api, "/queue/reorder", {"job": b, "position": 1}).json() == {"job_ids": [b, c, a]}
    assert _post(api, "/queue/reorder", {}).status_code == 422


def test_batches_are_suggested_and_gathered(api, bob_actor, make_version, keychain, petg_blue, mk4):
    a = services.print_job_queue(actor=bob_actor, version=keychain).pk
    services.print_job_queue(actor=bob_actor, version=make_version((petg_blue, 5.0)))
    b = services.print_job_queue(actor=bob_actor, version=keychain).pk
    (batch,) = api.get(f"{BASE}/batches").json()
    assert (batch["job_ids"], batch["together"]) == ([a, b], False)
    assert _post(api, "/queue/gather", {"job_ids": batch["job_ids"]}).json()["job_ids"][:2] == [
        a,
        b,
    ]


def test_the_schedule_lays_the_queue_on_the_printers(api, printing, bob_actor, keychain, mk4):
    waiting = services.print_job_queue(actor=bob_actor, version=keychain)
    body = api.get(f"{BASE}/schedule").json()
    assert [e["job"] for e in body["printing"]] == [printing.pk]
    assert body["queued"][0]["job"] == waiting.pk
    assert body["queued"][0]["printer"] == {"id": mk4.pk, "name": "MK4"}
    assert body["queued_seconds"] == 3600 and body["next_free"]["printer"]["name"] == "MK4"


def test_a_versions_history_has_its_rate_and_interval(api, bob_actor, printing, keychain):
    services.print_job_complete(actor=bob_actor, job=printing)
    body = api.get(f"{BASE}/versions/{keychain.pk}/history").json()
    assert (body["completed"], body["failed"], body["success_rate"]) == (1, 0, 1.0)
    assert body["interval"][1] == 1.0 and [j["id"] for j in body["jobs"]] == [printing.pk]


# --- who may ---------------------------------------------------------------------------------


def test_a_viewer_cannot_write(viewer_api, keychain, queued, mk4, red_spool):
    assert _post(viewer_api, "/jobs", {"version": keychain.pk}).status_code == 403
    assert _post(viewer_api, f"/jobs/{queued.pk}/start", {"printer": mk4.pk}).status_code == 403
    assert _post(viewer_api, f"/jobs/{queued.pk}/cancel").status_code == 403
    assert _post(viewer_api, "/printers", {"name": "MINI"}).status_code == 403
    slot = {"slot": 0, "spool": red_spool.pk}
    assert _post(viewer_api, f"/printers/{mk4.pk}/slots", slot).status_code == 403
    assert viewer_api.get(f"{BASE}/jobs").status_code == 200
    assert PrintJob.objects.get(pk=queued.pk).status == PrintJob.Status.QUEUED


def test_an_operator_cannot_add_printers_but_can_load_them(bob_actor, mk4, red_spool):
    from tests.production.conftest import _api

    bob_api = _api(bob_actor)
    response = _post(bob_api, "/printers", {"name": "MINI"})
    assert response.status_code == 403 and "managers and owners" in response.json()["detail"]
    slot = {"slot": 0, "spool": red_spool.pk}
    assert _post(bob_api, f"/printers/{mk4.pk}/slots", slot).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/printers/{printer}"),
        ("patch", "/printers/{printer}"),
        ("post", "/printers/{printer}/slots"),
        ("get", "/printers/{printer}/maintenance"),
        ("post", "/printers/{printer}/maintenance"),
        ("get", "/jobs/{job}"),
        ("post", "/jobs/{job}/start"),
        ("post", "/jobs/{job}/complete"),
        ("post", "/jobs/{job}/fail"),
        ("post", "/jobs/{job}/cancel"),
        ("post", "/jobs/{job}/requeue"),
        ("post", "/jobs/{job}/spools"),
        ("get", "/versions/{version}/history"),
    ],
)
def test_another_workspaces_objects_are_404(charlie_api, printing, mk4, keychain, method, path):
    url = BASE + path.format(printer=mk4.pk, job=printing.pk, version=keychain.pk)
    bodies = {
        "/printers/{printer}": {"name": "Mine now"},
        "/printers/{printer}/slots": {"slot": 0, "spool": None},
        "/printers/{printer}/maintenance": {"note": "x"},
        "/jobs/{job}/fail": {"reason": "clog", "completion_percent": 1},
        "/jobs/{job}/spools": {"slot": 0, "spool": 1},
    }
    response = getattr(charlie_api, method)(
        url, bodies.get(path, {}), content_type="application/json"
    )
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert PrintJob.objects.get(pk=printing.pk).status == PrintJob.Status.PRINTING


def test_another_workspaces_version_printer_or_spool_cannot_be_used(
    charlie_api, charlie_actor, keychain, mk4, red_spool
):
    from tests.factories import FilamentUsageFactory

    own = FilamentUsageFactory(version__variant__design__workspace=charlie_actor.workspace).version
    assert _post(charlie_api, "/jobs", {"version": keychain.pk}).status_code == 404
    assert _post(charlie_api, "/jobs", {"version": own.pk, "printer": mk4.pk}).status_code == 404
    job = services.print_job_queue(actor=charlie_actor, version=own)
    theirs = services.printer_create(actor=charlie_actor, name="Theirs")
    spools = {"printer": theirs.pk, "spools": {"0": red_spool.pk}}
    assert _post(charlie_api, f"/jobs/{job.pk}/start", spools).status_code == 404
    load = {"slot": 0, "spool": red_spool.pk}
    assert _post(charlie_api, f"/printers/{theirs.pk}/slots", load).status_code == 404
    assert charlie_api.get(f"{BASE}/jobs").json()["items"][0]["id"] == job.pk
    assert charlie_api.get(f"{BASE}/printers").json()[0]["name"] == "Theirs"


def test_a_start_with_a_body_that_is_not_an_object_is_a_422_and_starts_nothing(api, queued, mk4):
    response = api.post(
        f"/api/v1/production/jobs/{queued.pk}/start", '"go"', content_type="application/json"
    )
    assert response.status_code == 422
    assert "Send a JSON object" in response.json()["detail"]
    queued.refresh_from_db()
    assert queued.status == "queued"


# --- a ledger row names a job of this workspace ----------------------------------------------


@pytest.fixture
def charlie_job(charlie_actor):
    vendor = materials.vendor_create(actor=charlie_actor, name="Polymaker")
    filament = materials.filament_create(actor=charlie_actor, vendor=vendor, color_hex="#FF0000")
    materials.spool_create(actor=charlie_actor, filament=filament)
    version = VariantVersionFactory(variant__design__workspace=charlie_actor.workspace)
    FilamentUsageFactory(version=version, slot=0, filament=filament, grams=20.0)
    return services.print_job_queue(actor=charlie_actor, version=version)


def _consume(api, spool, **fields):
    return api.post(
        f"/api/v1/materials/spools/{spool.pk}/consume",
        {"grams": 5, **fields},
        content_type="application/json",
    )


def test_a_consumption_can_name_one_of_the_workspaces_jobs(api, alice_actor, keychain, red_spool):
    job = services.print_job_queue(actor=alice_actor, version=keychain)
    response = _consume(api, red_spool, print_job_id=job.pk)
    assert response.status_code == 201 and response.json()["print_job_id"] == job.pk


@pytest.mark.parametrize("whose", ["another workspace's", "made up"])
def test_a_consumption_naming_a_job_not_of_this_workspace_is_a_404(
    api, red_spool, charlie_job, whose
):
    job_id = charlie_job.pk if whose == "another workspace's" else charlie_job.pk + 1000
    response = _consume(api, red_spool, print_job_id=job_id)
    assert response.status_code == 404
    assert response.json() == {"detail": f"There is no print job {job_id} in this workspace."}
    red_spool.refresh_from_db()
    assert red_spool.remaining_grams == 1000
    assert not SpoolLedgerEntry.objects.filter(print_job_id=job_id).exists()
