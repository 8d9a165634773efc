import hashlib
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from printops.core.models import Blob
from printops.library.models import (
    Category,
    Design,
    Favourite,
    FilamentUsage,
    Tag,
    Variant,
    VariantVersion,
)
from printops.library.search import (
    SearchFilters,
    design_search,
    query_tokens,
)
from printops.library.services.search_index import search_index_design, search_rebuild
from printops.materials.colour import colour_name

pytestmark = pytest.mark.django_db

_serial = itertools.count()


def _blob():
    digest = hashlib.sha256(f"test-blob-{next(_serial)}".encode()).hexdigest()
    return Blob.objects.create(sha256=digest, size_bytes=1, storage_key=f"blobs/{digest}")


def make_design(workspace, name, *, variants=None, category=None, tags=(), **fields):
    """A design with variants → versions given as {variant: [version fields...]}, indexed."""
    design = Design.objects.create(workspace=workspace, name=name, category=category, **fields)
    if tags:
        design.tags.set(Tag.objects.get_or_create(workspace=workspace, name=t)[0] for t in tags)
    variants = variants if variants is not None else {"Standard": [{}]}
    for variant_name, versions in variants.items():
        variant = Variant.objects.create(workspace=workspace, design=design, name=variant_name)
        for number, spec in enumerate(versions, start=1):
            spec = dict(spec)
            filaments = spec.pop("filaments", [("PLA", "#E53935")])
            version = VariantVersion.objects.create(
                workspace=workspace,
                variant=variant,
                number=number,
                blob=_blob(),
                original_name=spec.pop("original_name", f"{name}_{variant_name}_{number}.gcode"),
                **{
                    "printer_model": "Bambu Lab A1 mini",
                    "slicer_name": "BambuStudio",
                    "nozzle_diameter_mm": 0.4,
                    "layer_height_mm": 0.2,
                    "print_seconds": 3600,
                    "filament_grams": 20.0,
                    **spec,
                },
            )
            for slot, (material, colour) in enumerate(filaments):
                FilamentUsage.objects.create(
                    workspace=workspace,
                    version=version,
                    slot=slot,
                    material=material,
                    brand="Bambu",
                    name=f"{material} Basic",
                    color_hex=colour,
                )
            if variant.default_version_id is None:
                variant.default_version = version
                variant.save()
    search_index_design(design_id=design.pk)
    return design


def names(page):
    return [hit.name for hit in page.items]


@pytest.fixture
def other_workspace(charlie_membership):
    return charlie_membership.workspace


@pytest.fixture
def shelf(workspace):
    """A small library: four designs with different materials, colours, printers and sizes."""
    keychain, _ = Category.objects.get_or_create(workspace=workspace, name="Keychain")
    decoration, _ = Category.objects.get_or_create(workspace=workspace, name="Decoration")
    return {
        "dragon": make_design(
            workspace,
            "Articulated Dragon",
            category=decoration,
            designer="McGybeer",
            tags=("bestseller", "gift"),
            variants={
                "Large · PLA red": [{"print_seconds": 5 * 3600, "filament_grams": 80.0}],
                "Small · PETG black": [
                    {
                        "print_seconds": 2 * 3600,
                        "filament_grams": 25.0,
                        "filaments": [("PETG", "#111111")],
                        "printer_model": "Prusa MK4",
                        "slicer_name": "PrusaSlicer",
                        "nozzle_diameter_mm": 0.6,
                        "layer_height_mm": 0.28,
                    }
                ],
            },
        ),
        "keychain": make_design(
            workspace,
            "Cat Keychain",
            category=keychain,
            tags=("gift",),
            description="A cute cat for your keys",
            variants={"Mini": [{"print_seconds": 900, "filament_grams": 4.0}]},
        ),
        "vase": make_design(
            workspace,
            "Spiral Vase",
            category=decoration,
            description="Vase mode; looks great with a dragon scale texture",
            variants={
                "Tall": [
                    {
                        "print_seconds": 3 * 3600,
                        "filament_grams": 60.0,
                        "filaments": [("silk pla", "#1E88E5")],
                    }
                ]
            },
        ),
        "clip": make_design(
            workspace,
            "Cable Clip",
            tags=("functional",),
            variants={
                "Pack of 10": [
                    {
                        "print_seconds": 1200,
                        "filament_grams": 6.0,
                        "filaments": [("PETG", "#FFFFFF")],
                        "printer_model": "Creality Ender 3",
                        "slicer_name": "Cura",
                    }
                ]
            },
        ),
    }


def test_the_last_word_matches_as_a_prefix(workspace, shelf):
    assert names(design_search(workspace=workspace, query="drag")) == [
        "Articulated Dragon",
        "Spiral Vase",
    ]
    assert names(design_search(workspace=workspace, query="articulated drag")) == [
        "Articulated Dragon"
    ]


def test_earlier_words_must_match_whole(workspace, shelf):
    assert names(design_search(workspace=workspace, query="drag vase")) == []


def test_a_name_match_ranks_above_a_description_match(workspace, shelf):
    hits = names(design_search(workspace=workspace, query="dragon"))
    assert hits[0] == "Articulated Dragon" and "Spiral Vase" in hits


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("petg", {"Articulated Dragon", "Cable Clip"}),
        ("mk4", {"Articulated Dragon"}),
        ("ender", {"Cable Clip"}),
        ("cura", {"Cable Clip"}),
        ("mcgybeer", {"Articulated Dragon"}),
        ("bestseller", {"Articulated Dragon"}),
        ("keychain", {"Cat Keychain"}),
        ("blue", {"Spiral Vase"}),
        ("black", {"Articulated Dragon"}),
        ("pack", {"Cable Clip"}),
        ("cute keys", {"Cat Keychain"}),
        ("Spiral_Vase_Tall", {"Spiral Vase"}),
    ],
)
def test_words_find_metadata_tags_colours_and_file_names(workspace, shelf, query, expected):
    assert set(names(design_search(workspace=workspace, query=query))) == expected


def test_materials_filter_case_insensitively(workspace, shelf):
    page = design_search(workspace=workspace, filters=SearchFilters(materials=("petg",)))
    assert set(names(page)) == {"Articulated Dragon", "Cable Clip"}
    page = design_search(workspace=workspace, filters=SearchFilters(materials=("SILK PLA", "x")))
    assert names(page) == ["Spiral Vase"]


def test_a_colour_swatch_finds_near_colours_only(workspace, shelf):
    page = design_search(workspace=workspace, filters=SearchFilters(colours=("#FF0000",)))
    assert names(page) == ["Articulated Dragon", "Cat Keychain"]
    page = design_search(workspace=workspace, filters=SearchFilters(colours=("#2060E0",)))
    assert names(page) == ["Spiral Vase"]
    page = design_search(workspace=workspace, filters=SearchFilters(colours=("#FF8C00",)))
    assert names(page) == []


def test_search_names_colours_as_the_materials_pages_do(workspace):
    """#2850E0 was "purple" in the library and "Blue" in materials: one vocabulary now."""
    make_design(workspace, "Blue Whale", variants={"One": [{"filaments": [("PLA", "#2850E0")]}]})
    assert colour_name("#2850E0") == "Blue"
    assert names(design_search(workspace=workspace, query="blue")) == ["Blue Whale"]
    assert names(design_search(workspace=workspace, query="purple")) == []
    assert ("#0047FF", "Blue", 1) in design_search(workspace=workspace).facets["colour"]


def test_grey_is_found_as_gray_too(workspace):
    make_design(workspace, "Bracket", variants={"One": [{"filaments": [("PLA", "#404040")]}]})
    assert names(design_search(workspace=workspace, query="dark gray")) == ["Bracket"]
    assert names(design_search(workspace=workspace, query="dark grey")) == ["Bracket"]


def test_the_colour_facet_lists_each_name_once_counting_designs(workspace):
    blacks = ("#000000", "#111111", "#1A1A1A")
    for n, black in enumerate(blacks):
        make_design(workspace, f"Part {n}", variants={"One": [{"filaments": [("PLA", black)]}]})
    make_design(
        workspace,
        "Two blacks",
        variants={"One": [{"filaments": [("PLA", "#050505"), ("PLA", "#FFFFFF")]}]},
    )
    make_design(workspace, "White", variants={"One": [{"filaments": [("PLA", "#F8F8F8")]}]})
    facet = design_search(workspace=workspace).facets["colour"]
    labels = [label for _, label, _ in facet]
    assert len(labels) == len(set(labels))
    assert facet == [("#000000", "Black", 4), ("#FFFFFF", "White", 2)]
    # The facet's value filters to exactly the designs it counted.
    page = design_search(workspace=workspace, filters=SearchFilters(colours=("#000000",)))
    assert page.total == 4


def test_a_colour_filter_takes_a_name_in_the_query_string(client, alice, workspace, shelf):
    client.force_login(alice)
    answer = client.get("/api/v1/library/search", {"colour": "Blue"})
    assert [hit["name"] for hit in answer.json()["items"]] == ["Spiral Vase"]


def test_tags_must_all_match(workspace, shelf):
    page = design_search(workspace=workspace, filters=SearchFilters(tags=("gift",)))
    assert names(page) == ["Articulated Dragon", "Cat Keychain"]
    page = design_search(workspace=workspace, filters=SearchFilters(tags=("gift", "Bestseller")))
    assert names(page) == ["Articulated Dragon"]


def test_printer_slicer_and_nozzle_filter_by_version(workspace, shelf):
    page = design_search(workspace=workspace, filters=SearchFilters(printer_model="Prusa MK4"))
    assert names(page) == ["Articulated Dragon"]
    page = design_search(workspace=workspace, filters=SearchFilters(slicer="Cura"))
    assert names(page) == ["Cable Clip"]
    page = design_search(workspace=workspace, filters=SearchFilters(nozzle_mm=0.6))
    assert names(page) == ["Articulated Dragon"]


def test_range_filters_need_one_version_inside_every_range(workspace, shelf):
    two_to_four_hours = SearchFilters(time_min_s=2 * 3600, time_max_s=4 * 3600)
    page = design_search(workspace=workspace, filters=two_to_four_hours)
    assert names(page) == ["Articulated Dragon", "Spiral Vase"]
    page = design_search(workspace=workspace, filters=SearchFilters(grams_max=10))
    assert names(page) == ["Cable Clip", "Cat Keychain"]
    page = design_search(
        workspace=workspace, filters=SearchFilters(layer_min_mm=0.25, layer_max_mm=0.3)
    )
    assert names(page) == ["Articulated Dragon"]
    # The dragon's 5-hour version weighs 80 g: no single version is both long and light.
    page = design_search(
        workspace=workspace, filters=SearchFilters(time_min_s=4 * 3600, grams_max=30)
    )
    assert names(page) == []


def test_category_filter(workspace, shelf):
    category = shelf["vase"].category
    page = design_search(workspace=workspace, filters=SearchFilters(category_id=category.pk))
    assert names(page) == ["Articulated Dragon", "Spiral Vase"]


def test_favourites_filter_and_flag(workspace, shelf, alice, bob):
    Favourite.objects.create(workspace=workspace, design=shelf["clip"], user=alice)
    page = design_search(
        workspace=workspace, filters=SearchFilters(favourites_of=alice.pk), user_id=alice.pk
    )
    assert names(page) == ["Cable Clip"] and page.items[0].is_favourite
    page = design_search(workspace=workspace, user_id=bob.pk)
    assert not any(hit.is_favourite for hit in page.items)


def test_facets_count_designs_over_all_matches(workspace, shelf):
    facets = design_search(workspace=workspace, limit=1).facets
    assert set(facets) == {"category", "material", "colour", "printer_model", "slicer", "tag"}
    assert facets["material"] == [
        ("PETG", "PETG", 2),
        ("PLA", "PLA", 2),
        ("SILK PLA", "SILK PLA", 1),
    ]
    assert facets["tag"][0] == ("gift", "gift", 2)
    decoration = shelf["vase"].category
    assert (decoration.pk, "Decoration", 2) in facets["category"]
    assert ("#FF0000", "Red", 2) in facets["colour"]
    assert ("Bambu Lab A1 mini", "Bambu Lab A1 mini", 3) in facets["printer_model"]
    narrowed = design_search(workspace=workspace, query="dragon").facets
    assert ("PETG", "PETG", 1) in narrowed["material"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Articulated Dragon", "Cable Clip", "Cat Keychain", "Spiral Vase"]),
        ("print_time", ["Cat Keychain", "Cable Clip", "Spiral Vase", "Articulated Dragon"]),
        ("grams", ["Cat Keychain", "Cable Clip", "Spiral Vase", "Articulated Dragon"]),
        ("newest", ["Cable Clip", "Spiral Vase", "Cat Keychain", "Articulated Dragon"]),
        ("relevance", ["Articulated Dragon", "Cable Clip", "Cat Keychain", "Spiral Vase"]),
        ("nonsense", ["Articulated Dragon", "Cable Clip", "Cat Keychain", "Spiral Vase"]),
    ],
)
def test_sorts(workspace, shelf, sort, expected):
    assert names(design_search(workspace=workspace, sort=sort)) == expected


def test_pages_and_total(workspace, shelf):
    page = design_search(workspace=workspace, sort="name", limit=2, offset=2)
    assert (names(page), page.total) == (["Cat Keychain", "Spiral Vase"], 4)


def test_a_hit_carries_the_best_version_figures(workspace, shelf):
    (hit,) = design_search(workspace=workspace, query="articulated").items
    assert (hit.variant_count, hit.version_count, hit.category) == (2, 2, "Decoration")
    assert hit.designer == "McGybeer"
    assert set(hit.materials) == {"PLA", "PETG"} and set(hit.colours) == {"#E53935", "#111111"}
    # No thumbnails: the first variant's (by name) default version.
    assert (hit.print_seconds, hit.filament_grams, hit.thumbnail_blob_id) == (18000, 80.0, None)


def test_the_best_version_is_a_default_version_with_a_thumbnail(workspace, shelf):
    design = shelf["dragon"]
    small = design.variants.get(name__startswith="Small").default_version
    small.thumbnail = _blob()
    small.save()
    search_index_design(design_id=design.pk)
    (hit,) = design_search(workspace=workspace, query="articulated").items
    assert (hit.thumbnail_blob_id, hit.thumbnail_version_id) == (small.thumbnail_id, small.pk)
    assert hit.print_seconds == 7200


def test_another_workspaces_designs_are_invisible(workspace, shelf, other_workspace):
    make_design(other_workspace, "Secret Dragon", tags=("gift",))
    assert "Secret Dragon" not in names(design_search(workspace=workspace, query="dragon"))
    assert "Secret Dragon" not in names(design_search(workspace=workspace))
    assert design_search(workspace=workspace).total == 4
    assert names(design_search(workspace=other_workspace, query="drag")) == ["Secret Dragon"]
    assert design_search(workspace=other_workspace).facets["tag"] == [("gift", "gift", 1)]


def test_the_index_follows_writes_after_search_index_design(workspace, shelf):
    design = shelf["clip"]
    design.name = "Cable Organiser"
    design.save()
    assert names(design_search(workspace=workspace, query="organ")) == []
    search_index_design(design_id=design.pk)
    assert names(design_search(workspace=workspace, query="organ")) == ["Cable Organiser"]


def test_a_deleted_design_leaves_the_results(workspace, shelf):
    design_id = shelf["clip"].pk
    Variant.objects.filter(design_id=design_id).update(default_version=None)
    shelf["clip"].delete()
    assert "Cable Clip" not in names(design_search(workspace=workspace))
    search_index_design(design_id=design_id)
    assert design_search(workspace=workspace).total == 3


def test_rebuild_indexes_a_whole_workspace(workspace, shelf, other_workspace):
    make_design(other_workspace, "Secret Dragon")
    Design.objects.filter(pk=shelf["vase"].pk).update(name="Twisted Vase")
    assert search_rebuild(workspace=workspace) == 4
    assert names(design_search(workspace=workspace, query="twist")) == ["Twisted Vase"]
    assert names(design_search(workspace=other_workspace)) == ["Secret Dragon"]


def test_a_design_without_versions_is_still_found(workspace):
    make_design(workspace, "Empty Shell", variants={})
    (hit,) = design_search(workspace=workspace, query="shell").items
    assert (hit.version_count, hit.print_seconds, hit.materials) == (0, None, [])


HOSTILE = [
    '"',
    '""',
    "*",
    "drag*",
    "NEAR(dragon vase)",
    "dragon NEAR vase",
    "-dragon",
    "dragon -vase",
    "(dragon",
    "dragon)",
    "a OR b AND NOT c",
    "name:dragon",
    "^dragon",
    "'; DROP TABLE library_design; --",
    "!&|:*<->",
    "\\",
    "%_%",
    "\x00",
    "dragon" * 500,
    "word " * 1000,
    "Drachenkopf Ünïcödé 龍 🐉",
    "ǅ\u0301\u200b",
    "   ",
    "",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(workspace, shelf, query):
    design_search(workspace=workspace, query=query)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=80))
def test_any_text_is_a_valid_query(workspace, shelf, query):
    page = design_search(workspace=workspace, query=query)
    assert page.total == len(page.items)


def test_query_tokens_keep_letters_and_digits_only():
    assert query_tokens('"Drag*on" (X1C) -0.4 near/far') == [
        "drag",
        "on",
        "x1c",
        "0",
        "4",
        "near",
        "far",
    ]
    assert len(query_tokens("word1 " * 5 + " ".join(f"w{n}" for n in range(50)))) == 12
    assert query_tokens("a" * 100) == ["a" * 40]


def test_odd_filter_values_do_not_raise(workspace, shelf):
    filters = SearchFilters(
        colours=("red", "#GGGGGG", ""),
        materials=("", "  "),
        nozzle_mm=float("nan"),
        time_min_s=-5,
        grams_max=float("inf"),
        tags=("no such tag",),
    )
    assert design_search(workspace=workspace, filters=filters, limit=-1, offset=-3).total == 0


def test_browsing_the_whole_library_follows_every_change(alice_actor, workspace):
    from printops.library import services as library_services
    from printops.library.search import design_search

    library_services.design_create(actor=alice_actor, name="Alpha")
    assert [h.name for h in design_search(workspace=workspace).items] == ["Alpha"]
    library_services.design_create(actor=alice_actor, name="Beta")
    page = design_search(workspace=workspace)
    assert [h.name for h in page.items] == ["Alpha", "Beta"] and page.total == 2


def test_a_lone_letter_being_typed_does_not_narrow_yet(workspace, shelf):
    everything = design_search(workspace=workspace).total
    assert design_search(workspace=workspace, query="d").total == everything
    assert design_search(workspace=workspace, query="dr").total < everything


def test_search_reindex_rebuilds_stored_rows_with_colour_names(workspace):
    from django.core.management import call_command

    design = make_design(workspace, "Whale", variants={"One": [{"filaments": []}]})
    version = VariantVersion.objects.get(variant__design=design)
    # Written behind the index's back, as rows stored before the colour names changed.
    FilamentUsage.objects.create(
        workspace=workspace, version=version, slot=0, material="PLA", color_hex="#2850E0"
    )
    assert names(design_search(workspace=workspace, query="blue")) == []
    call_command("search_reindex", workspace=workspace.slug, stdout=io.StringIO())
    assert names(design_search(workspace=workspace, query="blue")) == ["Whale"]
