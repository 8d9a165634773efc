import io

import pytest

from printops.core.errors import NotAllowed
from printops.library import selectors, services
from printops.library.models import FilamentUsage
from printops.materials import services as materials
from printops.materials.models import Filament, FilamentAlias
from printops.materials.stock_matching import AUTO_LINK_CONFIDENCE

pytestmark = pytest.mark.django_db

A1_MINI = "bambu_studio/bs020400_a1mini.gcode.3mf"  # Bambu PLA Basic @BBL A1M, #00AE42, GFA00
X1C = "bambu_studio/bs020400_x1c_2plates.gcode.3mf"  # the same filament, X1C profile
FOUR_COLOUR = "bambu_studio/bs020400_x1e_4colour.gcode.3mf"


def _upload(actor, path, **kwargs):
    data = path.read_bytes()
    return services.version_upload(
        actor=actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name=path.name,
        **kwargs,
    )


@pytest.fixture
def bambu_green(alice_actor):
    vendor = materials.vendor_create(actor=alice_actor, name="Bambu Lab", empty_spool_grams=250)
    return materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", color_hex="#00AE42"
    )


def test_an_upload_is_linked_to_the_matching_filament_with_its_confidence(
    alice_actor, corpus_file, bambu_green
):
    version = _upload(alice_actor, corpus_file(A1_MINI))
    usage = version.filaments.get()
    assert usage.filament == bambu_green
    assert usage.match_source == FilamentUsage.MatchSource.AUTO
    assert usage.match_confidence > 0.99
    assert usage.slicer_filament_id == "GFA00"


def test_an_upload_without_a_match_waits_in_the_review_queue(alice_actor, workspace, corpus_file):
    version = _upload(alice_actor, corpus_file(FOUR_COLOUR))
    assert not version.filaments.filter(filament__isnull=False).exists()
    presets = selectors.unmatched_presets(workspace=workspace)
    # Two slots share "Bambu PLA Basic" in different colours: four presets, four slots.
    assert len(presets) == 4
    assert selectors.unmatched_preset_count(workspace=workspace) == 4
    assert {p.wanted.color_hex for p in presets} == {"#8E9089", "#000000", "#2850E0", "#FFFFFF"}
    assert all(p.versions == [version] for p in presets)


def test_confirming_links_every_use_of_the_preset_and_later_uploads_follow(
    alice_actor, workspace, corpus_file
):
    vendor = materials.vendor_create(actor=alice_actor, name="Polymaker")
    # Another brand in a near colour: a candidate, not confident enough to link alone.
    substitute = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", color_hex="#00B045"
    )
    first = _upload(alice_actor, corpus_file(A1_MINI))
    usage = first.filaments.get()
    assert usage.filament is None
    assert 0 < usage.match_confidence < AUTO_LINK_CONFIDENCE

    linked = services.usage_confirm(actor=alice_actor, usage=usage, filament=substitute)

    assert linked == 1
    usage.refresh_from_db()
    assert (usage.filament, usage.match_source, usage.match_confidence) == (
        substitute,
        FilamentUsage.MatchSource.CONFIRMED,
        1.0,
    )
    later = _upload(alice_actor, corpus_file(X1C)).filaments.get()
    assert later.filament == substitute
    assert later.match_source == FilamentUsage.MatchSource.REMEMBERED
    assert selectors.unmatched_preset_count(workspace=workspace) == 0


def test_confirming_moves_automatic_links_but_keeps_links_made_by_hand(
    alice_actor, corpus_file, bambu_green
):
    auto = _upload(alice_actor, corpus_file(A1_MINI)).filaments.get()
    by_hand = _upload(alice_actor, corpus_file(X1C)).filaments.get()
    matte = materials.filament_create(
        actor=alice_actor, vendor=bambu_green.vendor, material="PLA", color_hex="#00AA40"
    )
    services.usage_confirm(actor=alice_actor, usage=by_hand, filament=bambu_green)
    services.usage_confirm(actor=alice_actor, usage=auto, filament=matte)
    auto.refresh_from_db()
    by_hand.refresh_from_db()
    assert auto.filament == matte
    assert by_hand.filament == bambu_green


def test_creating_the_filament_from_the_file_links_it(alice_actor, workspace, corpus_file):
    usage = _upload(alice_actor, corpus_file(A1_MINI)).filaments.get()
    filament = services.usage_create_filament(actor=alice_actor, usage=usage)
    usage.refresh_from_db()
    assert usage.filament == filament
    assert usage.match_source == FilamentUsage.MatchSource.CREATED
    assert (filament.vendor.name, filament.material, filament.color_hex) == (
        "Bambu Lab",
        "PLA",
        "#00AE42",
    )
    assert FilamentAlias.objects.filter(workspace=workspace, filament=filament).exists()


def test_match_again_links_uses_once_a_filament_exists(alice_actor, workspace, corpus_file):
    usage = _upload(alice_actor, corpus_file(A1_MINI)).filaments.get()
    vendor = materials.vendor_create(actor=alice_actor, name="Bambu Lab")
    filament = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PLA", color_hex="#00AE42"
    )
    assert services.usages_rematch(actor=alice_actor) == 1
    usage.refresh_from_db()
    assert usage.filament == filament
    assert services.usages_rematch(actor=alice_actor) == 0


def test_operators_cannot_confirm_or_create(bob_actor, alice_actor, corpus_file, bambu_green):
    usage = _upload(alice_actor, corpus_file(FOUR_COLOUR)).filaments.first()
    with pytest.raises(NotAllowed):
        services.usage_confirm(actor=bob_actor, usage=usage, filament=bambu_green)
    with pytest.raises(NotAllowed):
        services.usage_create_filament(actor=bob_actor, usage=usage)
    assert not Filament.objects.exclude(pk=bambu_green.pk).exists()


def test_a_later_mapping_moves_the_uses_that_followed_the_earlier_one(
    alice_actor, corpus_file, bambu_green
):
    first = _upload(alice_actor, corpus_file(A1_MINI)).filaments.get()
    follower = _upload(alice_actor, corpus_file(X1C)).filaments.get()
    matte = materials.filament_create(
        actor=alice_actor, vendor=bambu_green.vendor, material="PLA", color_hex="#00AA40"
    )
    services.usage_confirm(actor=alice_actor, usage=first, filament=matte)
    follower.refresh_from_db()
    assert (follower.filament, follower.match_source) == (matte, "remembered")
    services.usage_confirm(actor=alice_actor, usage=follower, filament=bambu_green)
    first.refresh_from_db()
    follower.refresh_from_db()
    assert (first.filament, first.match_source) == (matte, "confirmed")
    assert (follower.filament, follower.match_source) == (bambu_green, "confirmed")
