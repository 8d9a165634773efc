import pytest
from django.core import mail
from django.urls import reverse

from printops.accounts import services
from printops.accounts.models import ApiToken, AuditEvent, Invitation, Membership, User
from printops.accounts.roles import Role
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("front:dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_sign_up_lands_on_the_dashboard_of_a_new_workspace(client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "name": "Dana",
            "email": "dana@example.com",
            "password": "a long enough passphrase",
            "workspace_name": "Dana Prints",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert b"Dana Prints" in response.content
    assert Membership.objects.get(user__email="dana@example.com").role == Role.OWNER


def test_sign_up_with_bad_input_says_why_and_creates_nothing(client):
    response = client.post(
        reverse("accounts:signup"),
        {"name": "", "email": "not-an-address", "password": "short", "workspace_name": ""},
    )
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert not User.objects.exists()


def test_sign_in_with_a_wrong_password_is_refused_and_then_throttled(client, alice, settings):
    settings.PRINTOPS_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        response = client.post(
            reverse("accounts:login"), {"email": alice.email, "password": "wrong password"}
        )
        assert response.status_code == 400 and b"do not match" in response.content
    response = client.post(reverse("accounts:login"), {"email": alice.email, "password": PASSWORD})
    assert response.status_code == 429 and b"Too many failed sign-ins" in response.content


def test_sign_in_follows_a_local_next_but_not_an_outside_one(client, alice):
    response = client.post(
        reverse("accounts:login"), {"email": alice.email, "password": PASSWORD, "next": "/audit/"}
    )
    assert response["Location"] == "/audit/"
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"email": alice.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("front:dashboard")


def test_the_dashboard_shows_members_and_recent_events(alice_client, bob, alice_actor):
    services.api_token_create(actor=alice_actor, name="stock script")
    response = alice_client.get(reverse("front:dashboard"))
    assert b"Bob" in response.content and b"Created an API token" in response.content


def test_an_owner_invites_from_the_members_page(alice_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("accounts:members"), {"email": "dan@example.com", "role": "operator"}
        )
    assert response.status_code == 200
    assert b"invitation-link" in response.content
    assert mail.outbox[0].to == ["dan@example.com"]


def test_an_operator_sees_no_invite_form_and_cannot_post_one(bob_client):
    response = bob_client.get(reverse("accounts:members"))
    assert b"Send invitation" not in response.content
    response = bob_client.post(
        reverse("accounts:members"), {"email": "x@example.com", "role": "viewer"}
    )
    assert response.status_code == 400 and b"Only owners" in response.content
    assert not Invitation.objects.exists()


def test_an_invited_person_signs_up_through_the_link(client, alice_actor, workspace):
    _, token = services.invitation_create(
        actor=alice_actor, email="dan@example.com", role=Role.VIEWER
    )
    page = client.get(reverse("accounts:invitation", args=[token]))
    assert b"Join Alice Prints" in page.content
    response = client.post(
        f"{reverse('accounts:signup')}?invitation={token}",
        {"name": "Dan", "password": "a long enough passphrase"},
        follow=True,
    )
    assert b"Alice Prints" in response.content
    assert Membership.objects.get(user__email="dan@example.com").workspace == workspace


def test_an_unknown_invitation_link_is_a_friendly_404(client):
    response = client.get(reverse("accounts:invitation", args=["nope"]))
    assert response.status_code == 404 and b"not valid" in response.content


def test_the_owner_changes_a_role(alice_client, bob_membership):
    alice_client.post(
        reverse("accounts:member_role", args=[bob_membership.pk]), {"role": "manager"}
    )
    bob_membership.refresh_from_db()
    assert bob_membership.role == Role.MANAGER


def test_an_outsider_gets_404_for_another_workspaces_member(charlie_client, bob_membership):
    response = charlie_client.post(
        reverse("accounts:member_role", args=[bob_membership.pk]), {"role": "owner"}
    )
    assert response.status_code == 404
    bob_membership.refresh_from_db()
    assert bob_membership.role == Role.OPERATOR


def test_an_outsider_gets_404_for_another_workspaces_invitation(charlie_client, alice_actor):
    invitation, _ = services.invitation_create(
        actor=alice_actor, email="d@example.com", role=Role.VIEWER
    )
    response = charlie_client.post(reverse("accounts:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == 404


def test_an_outsider_gets_404_for_another_workspaces_token(charlie_client, alice_actor):
    token, _ = services.api_token_create(actor=alice_actor, name="t")
    response = charlie_client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_token_is_shown_once_after_creation(alice_client):
    response = alice_client.post(reverse("accounts:tokens"), {"name": "OctoPrint"})
    raw = ApiToken.objects.get().prefix
    assert raw.encode() in response.content and b"shown only once" in response.content
    assert b"shown only once" not in alice_client.get(reverse("accounts:tokens")).content


def test_switching_to_a_workspace_you_are_not_in_is_404(alice_client, charlie_membership):
    response = alice_client.post(
        reverse("accounts:workspace_switch"), {"workspace": charlie_membership.workspace_id}
    )
    assert response.status_code == 404


def test_a_user_in_two_workspaces_switches_between_them(alice_client, alice):
    other = MembershipFactory(user=alice, role=Role.VIEWER)
    alice_client.post(reverse("accounts:workspace_switch"), {"workspace": other.workspace_id})
    response = alice_client.get(reverse("front:dashboard"))
    assert f"<h1>{other.workspace.name}</h1>".encode() in response.content


def test_a_workstation_chooses_who_is_acting_and_it_is_audited(workspace, bob, client):
    desk = MembershipFactory(workspace=workspace, role=Role.OPERATOR, is_workstation=True)
    client.force_login(desk.user)
    assert b"choose who is acting" in client.get(reverse("front:dashboard")).content.lower()
    client.post(reverse("accounts:acting_as"), {"staff": bob.pk, "next": "/settings/tokens/"})
    client.post(reverse("accounts:tokens"), {"name": "desk script"})
    event = AuditEvent.objects.get(verb="api_token.created")
    assert event.staff == bob


def test_a_workstation_cannot_name_an_outsider(workspace, charlie, client):
    desk = MembershipFactory(workspace=workspace, role=Role.OPERATOR, is_workstation=True)
    client.force_login(desk.user)
    response = client.post(reverse("accounts:acting_as"), {"staff": charlie.pk}, follow=True)
    assert b"Choose a staff member of this workspace" in response.content


def test_the_audit_log_filters_by_action(alice_client, alice_actor):
    services.api_token_create(actor=alice_actor, name="kept")
    response = alice_client.get(
        reverse("accounts:audit"), {"verb": "api_token"}, HTTP_HX_REQUEST="true"
    )
    assert b"Created an API token" in response.content
    assert b"Created the workspace" not in response.content


def test_the_audit_log_says_what_happened_in_words(alice_client, alice_actor):
    services.api_token_create(actor=alice_actor, name="stock script")
    html = alice_client.get(reverse("accounts:audit")).content.decode()
    assert "Created an API token</span>: stock script" in html
    assert ">api_token.created<" not in html
    assert '<option value="api_token.">API tokens: any action</option>' in html
    assert '<option value="apitoken">API token</option>' in html
    assert '<option value="api_token.created">Created an API token</option>' in html


def test_the_audit_log_answers_htmx_with_rows_only(alice_client):
    response = alice_client.get(reverse("accounts:audit"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content


def test_an_unknown_page_is_a_plain_404(alice_client):
    response = alice_client.get("/no/such/page/")
    assert response.status_code == 404 and b"nothing at this address" in response.content


def test_a_user_without_a_workspace_is_asked_to_create_one(client):
    user = User.objects.create_user(email="lonely@example.com", password=PASSWORD)
    client.force_login(user)
    response = client.get(reverse("front:dashboard"))
    assert response["Location"] == reverse("accounts:workspace_new")
    client.post(reverse("accounts:workspace_new"), {"name": "Solo Prints"})
    assert Membership.objects.get(user=user).role == Role.OWNER


def test_password_reset_sends_a_working_link(client, alice):
    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "another long passphrase", "new_password2": "another long passphrase"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another long passphrase")


def test_a_wrong_method_on_a_page_says_so(alice_client, bob_membership):
    response = alice_client.get(reverse("accounts:member_role", args=[bob_membership.pk]))
    assert response.status_code == 405 and b"does not accept GET" in response.content


def test_the_audit_log_names_how_a_change_arrived(alice_client, alice_actor):
    from dataclasses import replace

    services.api_token_create(actor=replace(alice_actor, via="cli"), name="from a script")
    html = alice_client.get(reverse("accounts:audit")).content.decode()
    assert '<span class="badge">command line</span>' in html and ">cli<" not in html
