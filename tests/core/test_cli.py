import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from printops.accounts.models import Membership, User
from printops.cli import main

pytestmark = pytest.mark.django_db


def test_createuser_creates_the_user_and_their_workspace():
    out = io.StringIO()
    call_command(
        "createuser",
        "--email",
        "Eve@Example.com",
        "--password",
        "a long enough passphrase",
        "--workspace",
        "Eve Prints",
        stdout=out,
    )
    membership = Membership.objects.get(user__email="eve@example.com")
    assert (membership.workspace.slug, membership.role) == ("eve-prints", "owner")


def test_createuser_joins_an_existing_workspace_with_a_role(workspace):
    call_command(
        "createuser",
        "--email",
        "op@example.com",
        "--password",
        "a long enough passphrase",
        "--workspace",
        workspace.slug,
        "--role",
        "operator",
        stdout=io.StringIO(),
    )
    assert Membership.objects.get(user__email="op@example.com").role == "operator"


def test_createuser_refuses_a_weak_password_with_a_sentence():
    with pytest.raises(CommandError, match="too short"):
        call_command(
            "createuser", "--email", "w@example.com", "--password", "123", stdout=io.StringIO()
        )
    assert not User.objects.exists()


def test_token_create_prints_only_a_working_token(alice, workspace):
    out = io.StringIO()
    call_command(
        "token", "create", "--email", alice.email, "--workspace", workspace.slug, stdout=out
    )
    raw = out.getvalue().strip()
    assert raw.startswith("po_") and "\n" not in raw
    response = Client().get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.json()["email"] == alice.email


def test_token_create_for_a_non_member_says_so(alice, charlie_membership):
    with pytest.raises(CommandError, match="is not a member"):
        call_command(
            "token",
            "create",
            "--email",
            alice.email,
            "--workspace",
            charlie_membership.workspace.slug,
            stdout=io.StringIO(),
        )


def test_demo_builds_a_workspace_with_members():
    call_command("demo", "--workspace", "demo", stdout=io.StringIO())
    call_command("demo", "--workspace", "demo", stdout=io.StringIO())  # idempotent
    assert Membership.objects.filter(workspace__slug="demo").count() == 4


def test_an_unknown_command_exits_2(capsys):
    assert main(["frobnicate"]) == 2
    assert "unknown command" in capsys.readouterr().err


def test_inspect_does_not_start_django(tmp_path):
    probe = (
        "import sys; from printops.cli import main; "
        f"main(['inspect', {str(tmp_path / 'missing.gcode')!r}]); "
        "print('django' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip().endswith("False")
    assert result.stderr.startswith("error: ")
