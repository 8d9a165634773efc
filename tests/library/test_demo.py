import random

import pytest
from django.core.files.storage import default_storage

from printops.library.demo import build_demo, design_specs
from printops.library.models import Design, FilamentUsage, VariantVersion
from printops.library.search import design_search
from printops.slicefile import read

pytestmark = pytest.mark.django_db


def _library(workspace):
    return [
        (
            v.variant.design.name,
            v.variant.design.category.name,
            sorted(v.variant.design.tags.values_list("name", flat=True)),
            v.variant.name,
            v.number,
            v.metadata,
            v.blob.sha256,
        )
        for v in VariantVersion.objects.filter(workspace=workspace)
        .select_related("variant__design__category", "blob")
        .order_by("variant__design__name", "variant__name", "number")
    ]


def test_the_same_seed_gives_the_same_library(workspace, charlie_membership):
    other = charlie_membership.workspace
    build_demo(workspace=workspace, rng=random.Random("7"), designs=12)
    build_demo(workspace=other, rng=random.Random("7"), designs=12)
    assert _library(workspace) == _library(other)
    assert Design.objects.filter(workspace=workspace).count() == 12


def test_another_seed_gives_other_designs():
    first = [spec.name for spec in design_specs(random.Random("1"), 20)]
    second = [spec.name for spec in design_specs(random.Random("2"), 20)]
    assert first != second and len(set(first)) == 20


def test_running_again_adds_nothing_and_more_designs_adds_the_rest(workspace):
    lines = build_demo(workspace=workspace, rng=random.Random("1"), designs=8)
    assert lines[0].startswith("library: 8 designs")
    before = _library(workspace)
    assert build_demo(workspace=workspace, rng=random.Random("1"), designs=8)[0].startswith(
        "library: 0 designs, 0 variants, 0 versions"
    )
    assert _library(workspace) == before
    build_demo(workspace=workspace, rng=random.Random("1"), designs=10)
    assert Design.objects.filter(workspace=workspace).count() == 10


def test_versions_are_consistent_and_their_files_read_back(workspace):
    build_demo(workspace=workspace, rng=random.Random("3"), designs=5)
    versions = VariantVersion.objects.filter(workspace=workspace).select_related("blob")
    assert versions.count() >= 5
    for version in versions:
        meta = version.metadata
        assert version.variant.default_version_id is not None
        assert (version.printer_model, version.print_seconds, version.filament_grams) == (
            meta["printer_model"],
            meta["print_time_s"],
            meta["total_filament_g"],
        )
        assert version.filaments.count() == len(meta["filaments"]) >= 1
        read_back = read(default_storage.path(version.blob.storage_key)).to_dict()
        for key in ("slicer", "printer_model", "nozzle_diameter_mm", "layer_height_mm"):
            assert read_back[key] == meta[key], key
        assert read_back["print_time_s"] == meta["print_time_s"]
        assert [f["color_hex"] for f in read_back["filaments"]] == [
            f["color_hex"] for f in meta["filaments"]
        ]
    assert FilamentUsage.objects.filter(workspace=workspace).exists()


def test_demo_designs_are_searchable(workspace):
    build_demo(workspace=workspace, rng=random.Random("1"), designs=6)
    page = design_search(workspace=workspace)
    assert page.total == 6 and page.facets["material"] and page.facets["category"]
    name = page.items[0].name
    assert name in [hit.name for hit in design_search(workspace=workspace, query=name).items]
