"""Two staff members acting at once: proven on PostgreSQL, where writes really run in parallel."""

import threading

import pytest
from django.db import connection

from printops.accounts import services
from printops.accounts.actor import Actor
from printops.accounts.models import Membership
from printops.accounts.roles import Role
from printops.core.errors import DomainError
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrency is proven on PostgreSQL (set DATABASE_URL)",
    ),
]


def _race(*calls):
    """Run the calls at the same moment in separate threads (own connections); collect results."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except DomainError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    for _ in range(5):
        workspace = WorkspaceFactory()
        first = MembershipFactory(workspace=workspace, role=Role.OWNER)
        second = MembershipFactory(workspace=workspace, role=Role.OWNER)
        results = _race(
            lambda f=first, s=second: services.membership_change_role(
                actor=Actor(user=f.user, membership=f), membership=s, role=Role.VIEWER
            ),
            lambda f=first, s=second: services.membership_change_role(
                actor=Actor(user=s.user, membership=s), membership=f, role=Role.VIEWER
            ),
        )
        assert Membership.objects.filter(workspace=workspace, role=Role.OWNER).count() == 1
        assert sum(isinstance(result, DomainError) for result in results) == 1


def test_one_invitation_accepted_twice_at_once_makes_one_membership(alice_membership):
    actor = Actor(user=alice_membership.user, membership=alice_membership)
    for n in range(5):
        email = f"dan{n}@example.com"
        _, token = services.invitation_create(actor=actor, email=email, role=Role.OPERATOR)
        dan = UserFactory(email=email)
        results = _race(
            lambda t=token, u=dan: services.invitation_accept(token=t, user=u),
            lambda t=token, u=dan: services.invitation_accept(token=t, user=u),
        )
        assert Membership.objects.filter(user=dan).count() == 1
        assert sum(isinstance(result, DomainError) for result in results) == 1
