from decimal import Decimal

import pytest

from printops.core.errors import InvalidInput, NotAllowed
from printops.materials import services
from printops.materials.models import Filament, FilamentAlias, Vendor
from printops.materials.stock_matching import (
    AUTO_LINK_CONFIDENCE,
    FilamentCatalogue,
    SlicerFilament,
    material_family,
)

pytestmark = pytest.mark.django_db

BAMBU_GREEN = SlicerFilament(
    material="PLA",
    brand="Bambu Lab",
    name="Bambu PLA Basic @BBL X1C",
    slicer_filament_id="GFA00",
    color_hex="#00AE42",
)


@pytest.fixture
def bambu(alice_actor):
    return services.vendor_create(actor=alice_actor, name="Bambu Lab", empty_spool_grams=250)


@pytest.fixture
def bambu_green(alice_actor, bambu):
    return services.filament_create(
        actor=alice_actor, vendor=bambu, material="PLA", color_hex="#00AE42"
    )


def _best(workspace, wanted):
    return FilamentCatalogue(workspace=workspace).best(wanted)


def test_the_same_brand_material_and_colour_is_a_confident_match(workspace, bambu_green):
    match = _best(workspace, BAMBU_GREEN)
    assert match.filament == bambu_green
    assert match.confidence > 0.99
    assert match.delta_e == pytest.approx(0, abs=0.01)
    assert match.confident


def test_a_slightly_different_shade_still_matches_with_less_confidence(workspace, bambu_green):
    match = _best(workspace, SlicerFilament(material="PLA", brand="Bambu Lab", color_hex="#0BB04A"))
    assert match.filament == bambu_green
    assert AUTO_LINK_CONFIDENCE < match.confidence < 0.999


def test_another_material_is_never_a_candidate(workspace, bambu_green):
    wanted = SlicerFilament(material="PETG", brand="Bambu Lab", color_hex="#00AE42")
    assert FilamentCatalogue(workspace=workspace).candidates(wanted) == []


def test_another_brand_in_the_same_colour_waits_for_staff(workspace, bambu_green):
    match = _best(workspace, SlicerFilament(material="PLA", brand="Polymaker", color_hex="#00AE42"))
    assert match.filament == bambu_green
    assert not match.confident


def test_a_file_without_colour_never_links_on_its_own(workspace, bambu_green):
    match = _best(workspace, SlicerFilament(material="PLA", brand="Bambu Lab"))
    assert match.confidence == pytest.approx(0.5)
    assert not match.confident


def test_an_odd_colour_string_counts_as_no_colour(workspace, bambu_green):
    match = _best(workspace, SlicerFilament(material="PLA", brand="Bambu Lab", color_hex="#XYZ"))
    assert match.delta_e is None


def test_unknown_brands_as_slicers_write_them_are_treated_as_generic(workspace, bambu_green):
    for brand in ("(Unknown)", "(Undefined)", "Generic", ""):
        match = _best(workspace, SlicerFilament(material="PLA", brand=brand, color_hex="#00AE42"))
        assert match.confidence == pytest.approx(0.9, abs=0.001), brand


def test_the_article_number_named_by_the_file_raises_confidence(
    alice_actor, workspace, bambu, bambu_green
):
    other = services.filament_create(
        actor=alice_actor, vendor=bambu, material="PLA", color_hex="#00AE42", article_number="GFA00"
    )
    wanted = SlicerFilament(
        material="PLA", brand="Polymaker", slicer_filament_id="GFA00", color_hex="#00AE42"
    )
    match = _best(workspace, wanted)
    assert match.filament == other
    assert (
        match.confidence > FilamentCatalogue(workspace=workspace).candidates(wanted)[1].confidence
    )


def test_a_remembered_mapping_wins_with_full_confidence(alice_actor, workspace, bambu):
    red = services.filament_create(
        actor=alice_actor, vendor=bambu, material="PLA", color_hex="#FF0000"
    )
    services.filament_alias_remember(actor=alice_actor, slicer_filament=BAMBU_GREEN, filament=red)
    match = _best(workspace, BAMBU_GREEN)
    assert (match.filament, match.confidence, match.remembered) == (red, 1.0, True)


def test_a_mapping_holds_across_printer_profiles_and_letter_case():
    a1 = SlicerFilament(
        material="pla",
        brand="BAMBU LAB",
        name="Bambu PLA Basic @BBL A1M",
        slicer_filament_id="GFA00",
        color_hex="#00ae42",
    )
    assert a1.key == BAMBU_GREEN.key
    assert SlicerFilament(material="PLA", color_hex="#00AE43").key != BAMBU_GREEN.key


def test_another_workspaces_filaments_are_not_candidates(charlie_actor, workspace):
    vendor = services.vendor_create(actor=charlie_actor, name="Bambu Lab")
    services.filament_create(
        actor=charlie_actor, vendor=vendor, material="PLA", color_hex="#00AE42"
    )
    assert _best(workspace, BAMBU_GREEN) is None


@pytest.mark.parametrize(
    ("written", "family"),
    [
        ("PLA", "PLA"),
        ("PLA+", "PLA"),
        ("pla-cf", "PLA"),
        ("PETG", "PETG"),
        ("PA6-CF", "PA"),
        ("Nylon", "PA"),
        ("TPU 95A", "TPU"),
        ("Silk PLA", "PLA"),
        ("PCTG", "OTHER"),
        ("", ""),
    ],
)
def test_slicer_materials_map_to_our_families(written, family):
    assert material_family(written) == family


def test_a_filament_is_created_from_a_files_values_with_its_vendor(alice_actor, workspace):
    filament = services.filament_create_from_slicer(
        actor=alice_actor,
        slicer_filament=SlicerFilament(
            material="PETG-CF",
            brand="SUNLU",
            name="SUNLU PETG",
            color_hex="#00dfbe",
            slicer_filament_id="GFG99",
        ),
        file_values={"density_g_cm3": 1.27, "diameter_mm": 1.75, "cost_per_kg": 21.5},
    )
    assert filament.vendor.name == "SUNLU"
    assert (filament.material, filament.color_hex) == ("PETG", "#00DFBE")
    assert filament.density_g_cm3 == Decimal("1.270")
    assert filament.price_per_kg == Decimal("21.50")
    assert filament.article_number == "GFG99"
    assert FilamentAlias.objects.get(workspace=workspace).filament == filament


def test_a_file_without_brand_creates_a_generic_filament_and_ignores_odd_numbers(alice_actor):
    filament = services.filament_create_from_slicer(
        actor=alice_actor,
        slicer_filament=SlicerFilament(material="PLA", color_hex="#FF8000"),
        file_values={"density_g_cm3": 99, "cost_per_kg": "free"},
    )
    assert filament.vendor.name == "Generic"
    assert filament.density_g_cm3 == Decimal("1.240")
    assert filament.price_per_kg is None


def test_an_existing_vendor_is_reused_whatever_its_letter_case(alice_actor, bambu):
    filament = services.filament_create_from_slicer(
        actor=alice_actor,
        slicer_filament=SlicerFilament(material="PLA", brand="bambu lab", color_hex="#FFFFFF"),
        file_values={},
    )
    assert filament.vendor == bambu
    assert Vendor.objects.count() == 1


def test_a_filament_without_colour_is_refused_and_nothing_is_written(alice_actor):
    with pytest.raises(InvalidInput, match="no colour"):
        services.filament_create_from_slicer(
            actor=alice_actor,
            slicer_filament=SlicerFilament(material="PLA", brand="New Brand"),
            file_values={},
        )
    assert not Vendor.objects.exists()
    assert not Filament.objects.exists()


def test_operators_cannot_create_filaments_or_mappings(bob_actor, bambu_green):
    with pytest.raises(NotAllowed):
        services.filament_create_from_slicer(
            actor=bob_actor, slicer_filament=BAMBU_GREEN, file_values={}
        )
    with pytest.raises(NotAllowed):
        services.filament_alias_remember(
            actor=bob_actor, slicer_filament=BAMBU_GREEN, filament=bambu_green
        )


def test_confirming_again_replaces_the_mapping(alice_actor, workspace, bambu, bambu_green):
    red = services.filament_create(
        actor=alice_actor, vendor=bambu, material="PLA", color_hex="#FF0000"
    )
    services.filament_alias_remember(actor=alice_actor, slicer_filament=BAMBU_GREEN, filament=red)
    services.filament_alias_remember(
        actor=alice_actor, slicer_filament=BAMBU_GREEN, filament=bambu_green
    )
    assert FilamentAlias.objects.get(workspace=workspace).filament == bambu_green
