"""The hot reads written as SQL (printops.core.fixed_sql) give exactly what the ORM gives, on
SQLite and PostgreSQL: the same values and types, other workspaces' rows never."""

from datetime import date
from decimal import Decimal

import pytest

from printops.accounts import services as account_services
from printops.accounts.api_auth import _token_membership
from printops.accounts.models import Membership
from printops.materials import selectors, services
from printops.materials.models import Spool

pytestmark = pytest.mark.django_db


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_spool_read_as_sql_equals_the_orm_read(alice_actor, workspace):
    vendor = services.vendor_create(actor=alice_actor, name="Prusament", empty_spool_grams=201)
    filament = services.filament_create(
        actor=alice_actor, vendor=vendor, material="PETG", color_hex="#123ABC"
    )
    spool = services.spool_create(
        actor=alice_actor,
        filament=filament,
        cost_paid="24.99",
        purchase_date=date(2026, 11, 2),
        opened_date=date(2026, 11, 30),
        lot="L-7",
        location="Shelf B",
    )
    services.spool_consume(actor=alice_actor, spool=spool, grams="12.34")
    services.spool_archive(actor=alice_actor, spool=spool)

    read = selectors.spool_with_filament(workspace=workspace, spool_id=spool.pk)
    orm = Spool.objects.select_related("filament__vendor").get(pk=spool.pk)
    assert _fields(read) == _fields(orm)
    assert _fields(read.filament) == _fields(orm.filament)
    assert _fields(read.filament.vendor) == _fields(orm.filament.vendor)
    assert type(read.remaining_grams) is Decimal and read.remaining_grams == Decimal("987.66")
    assert read.archived is True and read.created_at.tzinfo is not None
    assert not read.get_deferred_fields()


def test_another_workspaces_spool_is_not_read(charlie_spool, workspace):
    assert selectors.spool_with_filament(workspace=workspace, spool_id=charlie_spool.pk) is None


def test_a_token_read_as_sql_loads_what_the_orm_loads(alice_actor, alice_membership):
    raw = account_services.api_token_create(actor=alice_actor, name="script")[1]
    membership, token_id, last_used_due = _token_membership(raw)
    orm = Membership.objects.select_related("user", "workspace").get(pk=alice_membership.pk)
    assert _fields(membership) == _fields(orm)
    assert _fields(membership.user) == _fields(orm.user)
    assert _fields(membership.workspace) == _fields(orm.workspace)
    assert last_used_due is True and token_id > 0
