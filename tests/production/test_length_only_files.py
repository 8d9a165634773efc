"""Files that state only filament length (Cura 5, ideaMaker) are planned and charged by grams
derived from it, and a person's corrected grams win (issue 10, defect 12). Real files from
../shared/corpus, read in place."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from printops.core.errors import InvalidInput
from printops.library import services as library
from printops.library.models import FilamentUsage
from printops.materials import services as materials
from printops.materials.models import Spool, SpoolLedgerEntry
from printops.production import services
from printops.production.plans import version_plan
from printops.production.usage_grams import (
    CORRECTED,
    DERIVED,
    FILE,
    grams_from_length,
    share_corrected_total,
    slot_grams,
)
from tests.production.conftest import start

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"
CURA_5 = "cura/cura050901_k1max.gcode"  # 1677.14 mm, no diameter, no material
IDEAMAKER_5 = "ideamaker/ideamaker050104_k1max.gcode"  # 1643.4 mm, 1.75 mm, PLA 1.24 g/cm³
CURA_2 = "cura/cura020301_puzzle.gcode"  # states no filament use at all


def _upload(actor, relative):
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"corpus file {relative} not found (../shared/corpus is absent)")
    with path.open("rb") as content:
        return library.version_upload(
            actor=actor,
            content=content,
            size_bytes=path.stat().st_size,
            original_name=path.name,
            design_name="Length only",
            variant_name=path.stem,
        )


def _match(version, filament):
    FilamentUsage.objects.filter(version=version).update(filament=filament)


def _correct_grams(actor, version, grams):
    return library.version_correct(
        actor=actor, version=version, field="total_filament_g", raw_value=grams
    )


# --- the arithmetic --------------------------------------------------------------------------


def test_a_metre_of_175_pla_weighs_about_three_grams():
    grams = grams_from_length(length_mm=1000, diameter_mm=1.75, density_g_cm3=1.24)
    assert round(grams, 4) == 2.9825


def test_stated_grams_win_over_the_length():
    assert slot_grams(stated_g=12.5, length_mm=1000, material="PLA") == slot_grams(
        stated_g=12.5, length_mm=None, material=""
    )
    assert slot_grams(stated_g=12.5, length_mm=1000, material="PLA").source == FILE


def test_the_matched_filaments_density_wins_then_the_files_then_the_materials():
    def derived(**kwargs):
        return slot_grams(stated_g=None, length_mm=10000, **kwargs)

    assert derived(material="PETG").density_g_cm3 == 1.27
    assert derived(material="PETG", file_density_g_cm3=1.30).density_g_cm3 == 1.30
    matched = derived(material="PETG", file_density_g_cm3=1.30, filament_density_g_cm3="1.25")
    assert (matched.density_g_cm3, matched.grams, matched.source) == (
        1.25,
        Decimal("30.07"),
        DERIVED,
    )
    assert derived(material="", file_diameter_mm=2.85).diameter_mm == 2.85
    assert derived(material="").diameter_mm == 1.75


def test_a_corrected_total_is_shared_in_proportion_and_adds_up_exactly():
    thirds = [slot_grams(stated_g=1, length_mm=None, material="")] * 3
    shared = share_corrected_total(Decimal("10"), thirds)
    assert sorted(s.grams for s in shared) == [Decimal("3.33"), Decimal("3.33"), Decimal("3.34")]
    assert sum(s.grams for s in shared) == Decimal("10")
    assert {s.source for s in shared} == {CORRECTED}


# --- real files ------------------------------------------------------------------------------


def test_a_cura_5_file_is_planned_by_grams_derived_from_its_length(alice_actor, bob_actor):
    version = _upload(alice_actor, CURA_5)
    (usage,) = version_plan(version).usages
    # 1677.14 mm × π·0.875² mm² × 1.24 g/cm³ (no material named: PLA's density)
    assert (usage.grams, usage.source) == (Decimal("5.00"), DERIVED)
    assert "1,677 mm of 1.75 mm filament at 1.24 g/cm³" in usage.derivation
    job = services.print_job_queue(actor=bob_actor, version=version, copies=2)
    assert job.pk


def test_an_ideamaker_file_uses_its_stated_diameter_and_density(alice_actor):
    version = _upload(alice_actor, IDEAMAKER_5)
    (usage,) = version_plan(version).usages
    assert (usage.grams, usage.source) == (Decimal("4.90"), DERIVED)
    assert "1.75 mm filament at 1.24 g/cm³" in usage.derivation


def test_a_length_only_file_matched_to_a_filament_uses_its_density(alice_actor, vendor):
    petg = materials.filament_create(
        actor=alice_actor, vendor=vendor, material="PETG", colour_name="Black",
        color_hex="#000000", density_g_cm3="1.27",
    )  # fmt: skip
    version = _upload(alice_actor, CURA_5)
    _match(version, petg)
    (usage,) = version_plan(version).usages
    assert usage.grams == Decimal("5.12")  # 1677.14 mm at 1.27 g/cm³


def test_a_derived_job_starts_and_completes_taking_the_derived_grams(
    alice_actor, bob_actor, mk4, pla_red, red_spool
):
    version = _upload(alice_actor, CURA_5)
    _match(version, pla_red)
    job = start(
        bob_actor, services.print_job_queue(actor=bob_actor, version=version, copies=2), mk4
    )
    services.print_job_complete(actor=bob_actor, job=job)
    (entry,) = SpoolLedgerEntry.objects.filter(print_job_id=job.pk)
    assert entry.grams == Decimal("-10.00")
    assert Spool.objects.get(pk=red_spool.pk).remaining_grams == Decimal("990.00")


def test_the_grams_corrected_on_the_version_page_are_queued_and_consumed(
    alice_actor, bob_actor, mk4, pla_red, red_spool
):
    version = _upload(alice_actor, CURA_5)
    _match(version, pla_red)
    _correct_grams(alice_actor, version, "7.5")
    (usage,) = version_plan(version).usages
    assert (usage.grams, usage.source) == (Decimal("7.50"), CORRECTED)
    job = start(bob_actor, services.print_job_queue(actor=bob_actor, version=version), mk4)
    services.print_job_complete(actor=bob_actor, job=job)
    assert SpoolLedgerEntry.objects.get(print_job_id=job.pk).grams == Decimal("-7.50")


def test_a_correction_is_shared_among_a_files_filaments(
    alice_actor, make_version, pla_red, petg_blue
):
    version = make_version((pla_red, 5.0), (petg_blue, 15.0))
    _correct_grams(alice_actor, version, "40")
    plan = version_plan(version)
    assert [(u.grams, u.source) for u in plan.usages] == [
        (Decimal("10.00"), CORRECTED),
        (Decimal("30.00"), CORRECTED),
    ]


def test_a_file_without_any_filament_use_is_refused_with_what_to_do(alice_actor, bob_actor):
    version = _upload(alice_actor, CURA_2)
    with pytest.raises(InvalidInput) as refused:
        services.print_job_queue(actor=bob_actor, version=version)
    assert "states neither the grams nor the length of filament" in refused.value.message
    assert "Correct a value → Filament" in refused.value.message
    assert "slice it again" not in refused.value.message


def test_a_file_without_filament_use_prints_once_its_grams_are_corrected(
    alice_actor, bob_actor, mk4, red_spool
):
    version = _upload(alice_actor, CURA_2)
    _correct_grams(alice_actor, version, "12")
    job = services.print_job_queue(actor=bob_actor, version=version)
    job = start(bob_actor, job, mk4, spools={0: red_spool})  # no filament named: chosen by hand
    services.print_job_complete(actor=bob_actor, job=job)
    assert SpoolLedgerEntry.objects.get(print_job_id=job.pk).grams == Decimal("-12.00")


# --- pages -----------------------------------------------------------------------------------


def test_the_version_print_section_and_the_queue_show_the_grams_as_derived(
    alice_client, alice_actor, bob_actor
):
    version = _upload(alice_actor, CURA_5)
    html = alice_client.get(
        reverse("production:version_section", args=[version.pk])
    ).content.decode()
    assert "5.00&nbsp;g" in html and ">derived</span>" in html
    assert "1,677 mm of 1.75 mm filament at 1.24 g/cm³" in html
    services.print_job_queue(actor=bob_actor, version=version)
    html = alice_client.get(reverse("production:index")).content.decode()
    assert "(derived)" in html


def test_the_version_print_section_says_how_to_make_an_unstated_file_printable(
    alice_client, alice_actor
):
    version = _upload(alice_actor, CURA_2)
    html = alice_client.get(
        reverse("production:version_section", args=[version.pk])
    ).content.decode()
    assert "states neither the grams nor the length" in html
    assert "correct its Filament value" in html


def test_an_absurd_length_or_weight_counts_as_unstated():
    assert slot_grams(stated_g=None, length_mm=1e40, material="PLA") is None
    assert slot_grams(stated_g=1e30, length_mm=None, material="PLA") is None
    assert slot_grams(stated_g="nan", length_mm="inf", material="PLA") is None
