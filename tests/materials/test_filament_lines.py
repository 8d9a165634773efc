"""Filament model details (issue 10, defect 18): product line / finish, a low-stock threshold
of more than one spool, density following the material, names that say each word once."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from printops.core.errors import InvalidInput
from printops.materials import services
from printops.materials.models import TYPICAL_DENSITY, Filament, filament_display_name
from printops.materials.stock_matching import FilamentCatalogue, SlicerFilament

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "printops" / "materials" / "static" / "materials"


@pytest.fixture
def bambu(alice_actor):
    return services.vendor_create(actor=alice_actor, name="Bambu Lab", empty_spool_grams=250)


def _matte_file(name="Bambu PLA Matte @BBL X1C"):
    return SlicerFilament(material="PLA", brand="Bambu Lab", name=name, color_hex="#000000")


# --- product line ---------------------------------------------------------------------------


def test_a_product_line_tells_matte_and_basic_apart(alice_actor, bambu):
    basic = services.filament_create(
        actor=alice_actor, vendor=bambu, product_line="Basic", color_hex="#000000"
    )
    matte = services.filament_create(
        actor=alice_actor, vendor=bambu, product_line="Matte", color_hex="#000000"
    )
    assert (str(basic), str(matte)) == ("Bambu Lab PLA Basic Black", "Bambu Lab PLA Matte Black")
    best = FilamentCatalogue(workspace=bambu.workspace).best(_matte_file())
    assert best.filament == matte and best.confident


def test_a_file_naming_another_line_asks_a_person_first(alice_actor, bambu):
    services.filament_create(
        actor=alice_actor, vendor=bambu, product_line="Basic", color_hex="#000000"
    )
    best = FilamentCatalogue(workspace=bambu.workspace).best(_matte_file())
    assert best is not None and not best.confident


def test_a_file_or_filament_without_a_line_matches_as_before(alice_actor, bambu):
    plain = services.filament_create(actor=alice_actor, vendor=bambu, color_hex="#000000")
    catalogue = FilamentCatalogue(workspace=bambu.workspace)
    assert catalogue.best(_matte_file()).filament == plain
    services.filament_update(
        actor=alice_actor, filament=plain, vendor=bambu, product_line="Basic", color_hex="#000000"
    )
    catalogue = FilamentCatalogue(workspace=bambu.workspace)
    assert catalogue.best(_matte_file("Generic PLA @BBL X1C")).confident


def test_a_long_product_line_is_refused_with_a_sentence(alice_actor, bambu):
    with pytest.raises(InvalidInput, match="product line") as caught:
        services.filament_create(
            actor=alice_actor, vendor=bambu, product_line="x" * 61, color_hex="#000000"
        )
    assert caught.value.field == "product_line" and not Filament.objects.exists()


def test_csv_import_keeps_matte_and_basic_apart(alice_actor, workspace, bambu):
    data = (
        b"vendor,material,product_line,colour_name,color_hex\n"
        b"Bambu Lab,PLA,Basic,Black,#000000\n"
        b"Bambu Lab,PLA,Matte,Black,#101010\n"
    )
    preview = services.import_apply(actor=alice_actor, kind="filaments", data=data)
    assert [row.action for row in preview.rows] == ["create", "create"]
    assert sorted(Filament.objects.values_list("product_line", flat=True)) == ["Basic", "Matte"]
    again = services.import_apply(actor=alice_actor, kind="filaments", data=data)
    assert {row.action for row in again.rows} == {"unchanged"}


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "material", "line", "colour", "expected"),
    [
        ("Generic", "PETG", "", "Generic PETG", "Generic PETG"),
        ("Bambu Lab", "PLA", "Matte", "Charcoal", "Bambu Lab PLA Matte Charcoal"),
        ("Prusament", "PLA", "", "Prusament PLA Galaxy Black", "Prusament PLA Galaxy Black"),
        ("Sunlu", "PLA", "PLA Silk", "Gold", "Sunlu PLA Silk Gold"),
        ("Bambu Lab", "PLA", "Basic", "Bambu Green", "Bambu Lab PLA Basic Bambu Green"),
        ("eSun", "PETG", "", "", "eSun PETG"),
    ],
)
def test_a_name_says_each_word_once(vendor, material, line, colour, expected):
    assert (
        filament_display_name(vendor=vendor, material=material, product_line=line, colour=colour)
        == expected
    )


def test_a_filament_named_after_its_brand_is_not_generic_generic(alice_actor):
    generic = services.vendor_create(actor=alice_actor, name="Generic")
    filament = services.filament_create(
        actor=alice_actor,
        vendor=generic,
        material="PETG",
        colour_name="Generic PETG",
        color_hex="#FFFFFF",
    )
    assert str(filament) == "Generic PETG"


# --- low-stock threshold ----------------------------------------------------------------------


def test_a_threshold_may_keep_two_spools_in_reserve(alice_actor, bambu):
    filament = services.filament_create(
        actor=alice_actor, vendor=bambu, color_hex="#000000", low_stock_grams=2000
    )
    assert filament.low_stock_grams == Decimal("2000")


def test_a_threshold_over_100_kg_is_still_refused(alice_actor, bambu):
    with pytest.raises(InvalidInput, match="low-stock threshold"):
        services.filament_create(
            actor=alice_actor, vendor=bambu, color_hex="#000000", low_stock_grams=100001
        )


# --- density follows the material ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("material", "density"),
    [("PLA", "1.24"), ("PETG", "1.27"), ("ABS", "1.04"), ("ASA", "1.07"), ("TPU", "1.21"),
     ("PC", "1.20"), ("PA", "1.14")],
)  # fmt: skip
def test_a_filament_without_a_density_gets_its_materials(alice_actor, bambu, material, density):
    filament = services.filament_create(
        actor=alice_actor, vendor=bambu, material=material, color_hex="#000000"
    )
    assert filament.density_g_cm3 == Decimal(density)


def test_a_given_density_is_kept(alice_actor, bambu):
    filament = services.filament_create(
        actor=alice_actor, vendor=bambu, material="PETG", density_g_cm3="1.30", color_hex="#000000"
    )
    assert filament.density_g_cm3 == Decimal("1.300")


def test_the_form_saves_petg_with_petgs_density_when_left_empty(alice_client, bambu):
    response = alice_client.post(
        reverse("materials:filament_new"),
        {
            "vendor": bambu.pk,
            "material": "PETG",
            "product_line": "HF",
            "color_hex": "#FF0000",
            "diameter_mm": "1.75",
            "density_g_cm3": "",
            "net_spool_grams": "1000",
            "low_stock_grams": "0",
            "reorder_spools": "1",
            "lead_time_days": "7",
        },
    )
    assert response.status_code == 302
    filament = Filament.objects.get()
    assert (filament.density_g_cm3, filament.product_line) == (Decimal("1.270"), "HF")


def test_the_form_page_brings_the_densities_and_no_inline_script(alice_client, bambu):
    content = alice_client.get(reverse("materials:filament_new")).content.decode()
    assert 'data-densities="' in content and "&quot;PETG&quot;: &quot;1.27&quot;" in content
    assert "materials/filament_form.js" in content
    assert '<datalist id="product-lines">' in content
    assert "<script>" not in content
    script = (STATIC / "filament_form.js").read_text()
    assert "id_density_g_cm3" in script and "densities" in script


def test_typical_densities_cover_every_material():
    from printops.materials.models import Material

    assert set(TYPICAL_DENSITY) == set(Material)
