"""Extension points (printops.core.extensions): a lower app's typed hook that a higher app fills
in its ready(), with a system check for a provider that is missing."""

from printops.core import extensions
from printops.core.extensions import ExtensionPoint, check_expected_providers, extension_points


def test_every_point_the_installed_apps_expect_is_provided():
    assert check_expected_providers() == []
    names = {point.name for point in extension_points()}
    assert {"accounts.workspace_setup", "materials.projected_demand"} <= names


def test_an_installed_app_that_does_not_provide_fails_the_check():
    point = ExtensionPoint("test.point", "a test's hook", expected_from=("production",))
    try:
        (error,) = check_expected_providers()
        assert error.id == "printops.core.E001"
        assert "printops.production is installed but provides nothing to test.point" in error.msg

        point.provide(lambda: None, app="production")
        assert check_expected_providers() == []
    finally:
        extensions._POINTS.remove(point)  # a test-only point


def test_providers_come_back_in_order_and_once():
    point = ExtensionPoint("test.order", "a test's hook")
    try:
        first, second = (lambda: 1), (lambda: 2)
        point.provide(first, app="a")
        point.provide(second, app="b")
        point.provide(first, app="a")  # a second ready() in tests
        assert point.providers() == [first, second]
        with point.replaced(second):
            assert point.providers() == [second]
        assert point.providers() == [first, second]
    finally:
        extensions._POINTS.remove(point)  # a test-only point
