import io
import os
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


# --- `printops` as a user runs it: a fresh data dir, one line for a mistake -------------------


def _printops(data_dir, *args):
    """Run the console script on its own data dir and SQLite, whatever engine the suite uses."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PRINTOPS_TESTING"}}
    env["PRINTOPS_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "printops.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_createuser_works_on_a_fresh_data_dir(tmp_path):
    created = _printops(
        tmp_path, "createuser", "--email", "eve@example.com", "--password", "a long passphrase"
    )
    assert created.returncode == 0, created.stderr
    assert "Created user eve@example.com." in created.stdout
    assert "Traceback" not in created.stderr
    again = _printops(
        tmp_path, "createuser", "--email", "eve@example.com", "--password", "another passphrase"
    )
    assert again.returncode == 0 and "password updated" in again.stdout


def test_demo_works_on_a_fresh_data_dir(tmp_path):
    demo = _printops(tmp_path, "demo", "--designs", "2")
    assert demo.returncode == 0, demo.stderr
    assert "Demo workspace 'demo' ready" in demo.stdout


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (("createuser", "--email", "not-an-address", "--password", "a long passphrase"), "valid"),
        (("createuser", "--email", "eve@example.com"), "--password"),
        (("token", "create", "--email", "eve@example.com", "--workspace", "nope"), "not a member"),
        (("demo", "--workspace", "Not A Slug"), "not a workspace slug"),
    ],
)
def test_a_users_mistake_is_one_line_and_exit_status_2(tmp_path, migrated_data_dir, args, sentence):
    result = _printops(migrated_data_dir(tmp_path / "data"), *args)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if not line.startswith("Prepared ")]
    assert len(lines) == 1 and lines[0].startswith("error: ") and sentence in lines[0]
    assert result.stdout == ""
