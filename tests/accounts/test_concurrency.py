"""Two staff members acting at once: proven on PostgreSQL, where writes really run in parallel."""

import threading
import time

from printops.accounts import services
from printops.accounts.actor import Actor
from printops.accounts.models import Membership
from printops.accounts.roles import Role
from printops.core.errors import DomainError
from tests.concurrency import POSTGRES_ONLY, race
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

pytestmark = POSTGRES_ONLY


def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    for _ in range(5):
        workspace = WorkspaceFactory()
        first = MembershipFactory(workspace=workspace, role=Role.OWNER)
        second = MembershipFactory(workspace=workspace, role=Role.OWNER)
        results = race(
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
        results = race(
            lambda t=token, u=dan: services.invitation_accept(token=t, user=u),
            lambda t=token, u=dan: services.invitation_accept(token=t, user=u),
        )
        assert Membership.objects.filter(user=dan).count() == 1
        assert sum(isinstance(result, DomainError) for result in results) == 1


def test_thirty_wrong_passwords_at_once_check_at_most_the_limit(settings):
    from printops.accounts import throttle

    settings.PRINTOPS_LOGIN_MAX_FAILURES = 5
    checked = []
    lock = threading.Lock()

    def wrong_password():
        with lock:
            checked.append(1)
        time.sleep(0.01)  # as a password hash would: keep the attempts overlapping
        return None

    results = race(
        *[
            lambda: throttle.sign_in_attempt(
                email="alice@example.com", client_ip="10.0.0.1", check=wrong_password
            )
            for _ in range(30)
        ]
    )
    assert len(checked) <= 5
    assert sum(isinstance(result, DomainError) for result in results) == 30 - len(checked)
