"""Matching again when the catalogue changes (issue 10, defect 17): a filament added or changed
after an upload links its exact matches without anyone pressing "Match again"."""

import io

import pytest

from printops.accounts.models import AuditEvent
from printops.library import services
from printops.library.models import FilamentUsage
from printops.library.tasks import rematch_filament_usages
from printops.materials import catalogue_events
from printops.materials import services as materials
from printops.materials.catalogue_events import catalogue_changed

pytestmark = pytest.mark.django_db

A1_MINI = "bambu_studio/bs020400_a1mini.gcode.3mf"  # Bambu PLA Basic @BBL A1M, #00AE42, GFA00
Source = FilamentUsage.MatchSource


def _upload(actor, corpus_file, path=A1_MINI):
    data = corpus_file(path).read_bytes()
    version = services.version_upload(
        actor=actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="a1mini.gcode.3mf",
    )
    return version.filaments.get()


@pytest.fixture
def bambu(alice_actor):
    return materials.vendor_create(actor=alice_actor, name="Bambu Lab", empty_spool_grams=250)


def test_adding_the_exact_filament_links_a_waiting_usage(
    alice_actor, corpus_file, bambu, django_capture_on_commit_callbacks
):
    usage = _upload(alice_actor, corpus_file)
    assert usage.filament is None

    with django_capture_on_commit_callbacks(execute=True):
        green = materials.filament_create(
            actor=alice_actor, vendor=bambu, material="PLA", color_hex="#00AE42"
        )

    usage.refresh_from_db()
    assert (usage.filament, usage.match_source) == (green, Source.AUTO)
    assert usage.match_confidence > 0.99
    assert AuditEvent.objects.filter(verb="filament_usage.rematched").exists()


def test_correcting_a_filament_colour_links_the_usage_that_waited_for_it(
    alice_actor, corpus_file, bambu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # as a committed request would
        red = materials.filament_create(
            actor=alice_actor, vendor=bambu, material="PLA", color_hex="#C12E1F"
        )
    usage = _upload(alice_actor, corpus_file)
    assert usage.filament is None

    with django_capture_on_commit_callbacks(execute=True):
        materials.filament_update(
            actor=alice_actor, filament=red, vendor=bambu, material="PLA", color_hex="#00AE42"
        )

    usage.refresh_from_db()
    assert usage.filament == red


def test_an_automatic_link_goes_back_to_review_when_its_filament_changes_colour(
    alice_actor, corpus_file, bambu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        green = materials.filament_create(
            actor=alice_actor, vendor=bambu, material="PLA", color_hex="#00AE42"
        )
    usage = _upload(alice_actor, corpus_file)
    assert usage.filament == green

    with django_capture_on_commit_callbacks(execute=True):
        materials.filament_update(
            actor=alice_actor, filament=green, vendor=bambu, material="PLA", color_hex="#C12E1F"
        )

    usage.refresh_from_db()
    assert (usage.filament, usage.match_source) == (None, "")
    assert usage.match_confidence < 0.1


def test_confirmed_and_created_links_stay_when_the_catalogue_changes(
    alice_actor, corpus_file, bambu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        near = materials.filament_create(
            actor=alice_actor, vendor=bambu, material="PLA", color_hex="#10B050"
        )
    usage = _upload(alice_actor, corpus_file)
    services.usage_confirm(actor=alice_actor, usage=usage, filament=near)

    with django_capture_on_commit_callbacks(execute=True):
        materials.filament_create(
            actor=alice_actor, vendor=bambu, material="PLA", color_hex="#00AE42"
        )
        materials.filament_update(
            actor=alice_actor, filament=near, vendor=bambu, material="PLA", color_hex="#FF0000"
        )

    usage.refresh_from_db()
    assert (usage.filament, usage.match_source) == (near, Source.CONFIRMED)


def test_a_tie_keeps_the_automatic_link_people_have_seen(
    alice_actor, workspace, corpus_file, bambu
):
    first = materials.filament_create(
        actor=alice_actor, vendor=bambu, material="PLA", color_hex="#00AE42"
    )
    usage = _upload(alice_actor, corpus_file)
    materials.filament_create(actor=alice_actor, vendor=bambu, material="PLA", color_hex="#00AE42")
    assert services.usages_rematch_open(workspace=workspace) == 0
    usage.refresh_from_db()
    assert usage.filament == first


def test_many_changes_in_one_transaction_match_again_once(
    alice_actor, workspace, bambu, django_capture_on_commit_callbacks, monkeypatch
):
    runs = []
    monkeypatch.setattr(catalogue_events, "_listeners", [runs.append])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for hex_ in ("#000000", "#FFFFFF", "#FF0000"):
            materials.filament_create(
                actor=alice_actor, vendor=bambu, material="PLA", color_hex=hex_
            )
        catalogue_changed(workspace_id=workspace.pk)
    assert len(callbacks) == 1
    assert runs == [workspace.pk]


def test_the_task_of_a_deleted_workspace_does_nothing():
    assert rematch_filament_usages.call(workspace_id=987654) == 0
