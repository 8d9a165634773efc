"""The database refuses what the services refuse, for writes that bypass them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from printops.materials.models import Filament, Spool

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_lower_case_hex(galaxy_black):
    with pytest.raises(IntegrityError), transaction.atomic():
        Filament.objects.filter(pk=galaxy_black.pk).update(color_hex="#ff0000")


def test_the_database_refuses_negative_remaining_grams(spool):
    with pytest.raises(IntegrityError), transaction.atomic():
        Spool.objects.filter(pk=spool.pk).update(remaining_grams=Decimal("-0.01"))


def test_the_database_refuses_a_negative_threshold(galaxy_black):
    with pytest.raises(IntegrityError), transaction.atomic():
        Filament.objects.filter(pk=galaxy_black.pk).update(low_stock_grams=-1)


def test_the_database_takes_a_threshold_of_two_spools(galaxy_black):
    assert Filament.objects.filter(pk=galaxy_black.pk).update(low_stock_grams=2000) == 1
