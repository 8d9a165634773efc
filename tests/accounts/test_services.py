from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from printops.accounts import services
from printops.accounts.actor import Actor
from printops.accounts.models import ApiToken, AuditEvent, Invitation, Membership, User
from printops.accounts.roles import Perm, Role
from printops.core.errors import Conflict, InvalidInput, NotAllowed
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a long enough passphrase"


def test_sign_up_creates_a_workspace_owned_by_the_new_user():
    membership = services.user_sign_up(
        email="Dana@Example.com",
        password=GOOD_PASSWORD,
        name="Dana",
        workspace_name="Dana's Prints",
    )
    assert membership.role == Role.OWNER
    assert membership.user.email == "dana@example.com"
    assert membership.workspace.slug == "danas-prints"
    assert (
        AuditEvent.objects.filter(workspace=membership.workspace, verb="workspace.created").count()
        == 1
    )


def test_sign_up_with_a_taken_address_changes_nothing(alice):
    with pytest.raises(Conflict, match="already exists"):
        services.user_sign_up(
            email="ALICE@example.com", password=GOOD_PASSWORD, name="A", workspace_name="Another"
        )
    assert User.objects.count() == 1


def test_sign_up_rejects_a_weak_password_with_a_sentence():
    with pytest.raises(InvalidInput) as error:
        services.user_sign_up(email="e@example.com", password="12345", name="E", workspace_name="W")
    assert "too short" in error.value.message
    assert not User.objects.exists()


def test_workspace_slugs_stay_unique():
    first = services.user_sign_up(
        email="a1@example.com", password=GOOD_PASSWORD, name="", workspace_name="Print Farm"
    )
    second = services.user_sign_up(
        email="a2@example.com", password=GOOD_PASSWORD, name="", workspace_name="Print Farm"
    )
    assert (first.workspace.slug, second.workspace.slug) == ("print-farm", "print-farm-2")


def test_owner_updates_the_workspace_and_it_is_audited(alice_actor):
    workspace = services.workspace_update(
        actor=alice_actor,
        name="Alice & Co",
        currency="usd",
        units="metric",
        timezone_name="Europe/Berlin",
    )
    assert (workspace.name, workspace.currency, workspace.timezone) == (
        "Alice & Co",
        "USD",
        "Europe/Berlin",
    )
    event = AuditEvent.objects.get(verb="workspace.updated")
    assert event.before["name"] == "Alice Prints" and event.after["name"] == "Alice & Co"


def test_an_operator_cannot_change_the_workspace(bob_actor):
    with pytest.raises(NotAllowed, match="Only owners"):
        services.workspace_update(
            actor=bob_actor, name="Mine", currency="EUR", units="metric", timezone_name="UTC"
        )


def test_workspace_update_rejects_a_bad_currency(alice_actor):
    with pytest.raises(InvalidInput, match="three-letter currency"):
        services.workspace_update(
            actor=alice_actor, name="A", currency="euro", units="metric", timezone_name="UTC"
        )


def test_an_invitation_is_emailed_and_accepted_once(
    alice_actor, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, token = services.invitation_create(
            actor=alice_actor, email="dan@example.com", role=Role.MANAGER
        )
    assert len(mail.outbox) == 1 and token in mail.outbox[0].body
    dan = UserFactory(email="dan@example.com")
    membership = services.invitation_accept(token=token, user=dan)
    assert (membership.workspace, membership.role) == (workspace, Role.MANAGER)
    with pytest.raises(Conflict, match="accepted"):
        services.invitation_accept(token=token, user=dan)


def test_an_invitation_is_only_for_its_address(alice_actor, charlie):
    _, token = services.invitation_create(
        actor=alice_actor, email="dan@example.com", role=Role.OPERATOR
    )
    with pytest.raises(NotAllowed, match=r"dan@example\.com"):
        services.invitation_accept(token=token, user=charlie)
    assert not Membership.objects.filter(user=charlie, workspace=alice_actor.workspace).exists()


def test_an_expired_invitation_cannot_be_accepted(alice_actor):
    invitation, token = services.invitation_create(
        actor=alice_actor, email="dan@example.com", role=Role.OPERATOR
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(Conflict, match="expired"):
        services.invitation_accept(token=token, user=UserFactory(email="dan@example.com"))


def test_a_revoked_invitation_cannot_be_accepted(alice_actor):
    invitation, token = services.invitation_create(
        actor=alice_actor, email="dan@example.com", role=Role.OPERATOR
    )
    services.invitation_revoke(actor=alice_actor, invitation=invitation)
    with pytest.raises(Conflict, match="revoked"):
        services.invitation_accept(token=token, user=UserFactory(email="dan@example.com"))


def test_an_operator_cannot_invite(bob_actor):
    with pytest.raises(NotAllowed, match="Only owners can manage members"):
        services.invitation_create(actor=bob_actor, email="x@example.com", role=Role.VIEWER)
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused(alice_actor, bob):
    with pytest.raises(Conflict, match="already a member"):
        services.invitation_create(actor=alice_actor, email=bob.email, role=Role.VIEWER)


def test_the_last_owner_cannot_be_demoted(alice_actor, alice_membership):
    with pytest.raises(Conflict, match="at least one owner"):
        services.membership_change_role(
            actor=alice_actor, membership=alice_membership, role=Role.MANAGER
        )
    alice_membership.refresh_from_db()
    assert alice_membership.role == Role.OWNER


def test_the_last_owner_cannot_be_removed(alice_actor, alice_membership):
    with pytest.raises(Conflict, match="at least one owner"):
        services.membership_remove(actor=alice_actor, membership=alice_membership)


def test_removing_a_member_revokes_their_tokens(alice_actor, bob_actor, bob_membership):
    token, _ = services.api_token_create(actor=bob_actor, name="script")
    services.membership_remove(actor=alice_actor, membership=bob_membership)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not Membership.objects.filter(pk=bob_membership.pk).exists()


def test_a_workstation_must_name_who_is_acting(workspace, alice, bob):
    desk = MembershipFactory(workspace=workspace, role=Role.OPERATOR, is_workstation=True)
    anonymous_desk = Actor(user=desk.user, membership=desk)
    with pytest.raises(InvalidInput, match="choose who is acting"):
        anonymous_desk.require(Perm.RUN_PRODUCTION)
    named_desk = Actor(user=desk.user, membership=desk, staff=bob)
    named_desk.require(Perm.RUN_PRODUCTION)


def test_an_audit_event_names_the_staff_member_at_a_workstation(workspace, bob):
    desk = MembershipFactory(workspace=workspace, role=Role.OPERATOR, is_workstation=True)
    services.api_token_create(actor=Actor(user=desk.user, membership=desk, staff=bob), name="t")
    event = AuditEvent.objects.get(verb="api_token.created")
    assert (event.actor, event.staff, event.staff_label) == (desk.user, bob, "Bob")


def test_an_owner_cannot_be_made_a_workstation(alice_actor, alice_membership):
    with pytest.raises(InvalidInput):
        services.membership_set_workstation(
            actor=alice_actor, membership=alice_membership, is_workstation=True
        )


def test_a_token_is_stored_hashed_and_authenticates(alice_actor):
    token, raw = services.api_token_create(actor=alice_actor, name="stock script")
    assert raw.startswith("po_") and raw not in token.token_hash
    found = services.api_token_authenticate(raw=raw)
    assert found == token and found.last_used_at is not None


def test_a_revoked_token_no_longer_authenticates(alice_actor):
    token, raw = services.api_token_create(actor=alice_actor, name="t")
    services.api_token_revoke(actor=alice_actor, token=token)
    assert services.api_token_authenticate(raw=raw) is None
    with pytest.raises(Conflict):
        services.api_token_revoke(actor=alice_actor, token=token)


def test_an_operator_cannot_revoke_someone_elses_token(alice_actor, bob_actor):
    token, _ = services.api_token_create(actor=alice_actor, name="t")
    with pytest.raises(NotAllowed):
        services.api_token_revoke(actor=bob_actor, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_the_command_line_adds_a_member_or_changes_their_role_and_audits_it(workspace):
    dana = UserFactory(email="dana@example.com")
    membership = services.membership_set_by_admin(user=dana, workspace=workspace, role="viewer")
    assert membership.role == Role.VIEWER
    again = services.membership_set_by_admin(user=dana, workspace=workspace, role="manager")
    assert again.pk == membership.pk
    assert Membership.objects.get(pk=membership.pk).role == Role.MANAGER
    events = AuditEvent.objects.filter(workspace=workspace, verb="membership.set_by_cli")
    assert [event.after for event in events.order_by("pk")] == [
        {"role": "viewer"},
        {"role": "manager"},
    ]


def test_the_command_line_refuses_a_role_that_does_not_exist(workspace):
    dana = UserFactory(email="dana@example.com")
    with pytest.raises(InvalidInput, match="is not a role"):
        services.membership_set_by_admin(user=dana, workspace=workspace, role="boss")
    assert not Membership.objects.filter(user=dana).exists()
