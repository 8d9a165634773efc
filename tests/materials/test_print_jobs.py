from printops.core.extensions import check_expected_providers
from printops.materials import extensions


def test_production_provides_everything_materials_asks_of_it():
    assert check_expected_providers() == []
    for point in (extensions.print_job_lookup, extensions.projected_demand):
        assert point.provided_by() == {"production"}
