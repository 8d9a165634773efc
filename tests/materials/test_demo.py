import random

import pytest
from django.db.models import Sum

from printops.materials.demo import build_demo
from printops.materials.models import Spool, Vendor

pytestmark = pytest.mark.django_db


def test_demo_spools_hold_exactly_what_their_ledger_says(workspace):
    build_demo(workspace=workspace, rng=random.Random(1), spools=60)
    spools = Spool.objects.filter(workspace=workspace).annotate(ledger_sum=Sum("ledger__grams"))
    assert spools.count() == 60
    assert all(s.remaining_grams == s.ledger_sum for s in spools)


def test_the_demo_is_the_same_for_the_same_seed(workspace, charlie_membership):
    build_demo(workspace=workspace, rng=random.Random(7), spools=20)
    build_demo(workspace=charlie_membership.workspace, rng=random.Random(7), spools=20)

    def shape(ws):
        return list(
            Spool.objects.filter(workspace=ws)
            .order_by("pk")
            .values_list("label_code", "filament__colour_name", "remaining_grams", "location")
        )

    assert shape(workspace) == shape(charlie_membership.workspace)


def test_running_the_demo_twice_adds_nothing(workspace):
    build_demo(workspace=workspace, rng=random.Random(1), spools=5)
    lines = build_demo(workspace=workspace, rng=random.Random(1), spools=5)
    assert Vendor.objects.filter(workspace=workspace).count() == 4 and "already" in lines[0]
