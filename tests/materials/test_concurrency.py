"""Spools used from two places at once, proven on PostgreSQL where writes run in parallel."""

from decimal import Decimal

from printops.core.errors import DomainError
from printops.materials import services
from printops.materials.models import Spool
from tests.concurrency import POSTGRES_ONLY, race

pytestmark = POSTGRES_ONLY


def test_two_consumptions_at_the_same_moment_both_count(alice_actor, spool):
    for _ in range(5):
        race(
            lambda: services.spool_consume(actor=alice_actor, spool=spool, grams="12.5"),
            lambda: services.spool_consume(actor=alice_actor, spool=spool, grams="7.25"),
        )
    spool.refresh_from_db()
    assert spool.remaining_grams == Decimal("1000") - 5 * Decimal("19.75")
    assert services.spool_ledger_rebuild(spool=spool) == spool.remaining_grams


def test_eight_prints_at_once_never_take_a_spool_below_zero(alice_actor, galaxy_black):
    spool = services.spool_create(
        actor=alice_actor, filament=galaxy_black, initial_grams=1000, remaining_grams=100
    )
    results = race(
        *[
            lambda: services.spool_consume(actor=alice_actor, spool=spool, grams=30)
            for _ in range(8)
        ]
    )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 5  # 3 × 30 g fit in 100 g; the other five are told what is left
    assert Spool.objects.get(pk=spool.pk).remaining_grams == Decimal("10")
    assert spool.ledger.count() == 1 + 3


def test_a_weigh_in_and_a_print_at_once_keep_the_ledger_exact(alice_actor, spool):
    for _ in range(5):
        race(
            lambda: services.spool_weigh_in(actor=alice_actor, spool=spool, gross_grams=900),
            lambda: services.spool_consume(actor=alice_actor, spool=spool, grams=20),
        )
        cached = Spool.objects.get(pk=spool.pk).remaining_grams
        assert services.spool_ledger_rebuild(spool=spool) == cached
