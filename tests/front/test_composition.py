"""The front app composes the others by import: the dashboard's panels and steps, and the demo."""

from printops.front.getting_started import STEPS
from printops.front.management.commands.demo import DEMO_BUILDERS
from printops.front.views import DASHBOARD_PANELS


def test_demo_builders_keep_their_seed_keys_and_order():
    # The keys seed each builder's random generator: renaming one changes the demo data a given
    # --seed produces, so they stay the dotted paths they had when they were settings strings.
    assert [key for key, _ in DEMO_BUILDERS] == [
        "printops.accounts.demo.build_demo",
        "printops.materials.demo.build_demo",
        "printops.library.demo.build_demo",
        "printops.production.demo.build_demo",
    ]
    assert all(builder.__name__ == "build_demo" for _, builder in DEMO_BUILDERS)


def test_the_dashboard_lists_production_first_then_stock_then_matching():
    assert [panel.__module__ for panel in DASHBOARD_PANELS] == [
        "printops.production.panels",
        "printops.materials.alerts",
        "printops.library.views.matching",
    ]


def test_getting_started_goes_printer_filament_file_queue():
    assert [step.__name__ for step in STEPS] == [
        "_add_printer",
        "_add_filament",
        "_upload_file",
        "_queue_print",
    ]
