"""printops createuser --email E --password P [--workspace NAME] [--role owner]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from printops.accounts import services
from printops.accounts.models import User, Workspace
from printops.accounts.roles import Role
from printops.core.commands import DatabaseCommand
from printops.core.errors import DomainError


class Command(DatabaseCommand):
    help = "Create a user (or reset an existing user's password) and add them to a workspace."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--workspace", help="workspace name or slug; created when missing")
        parser.add_argument("--role", default=Role.OWNER, choices=Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            with transaction.atomic():
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = services.user_create(
                        email=email, password=options["password"], name=options["name"]
                    )
                    self.stdout.write(f"Created user {email}.")
                else:
                    services.user_set_password_by_admin(user=user, password=options["password"])
                    self.stdout.write(f"User {email} exists; password updated.")
                if options["workspace"]:
                    self._join(user, options["workspace"], options["role"])
        except DomainError as error:
            raise CommandError(error.message) from None

    def _join(self, user: User, name_or_slug: str, role: str) -> None:
        workspace = Workspace.objects.filter(slug=name_or_slug).first() or (
            Workspace.objects.filter(name=name_or_slug).first()
        )
        if workspace is None:
            membership = services.workspace_create(user=user, name=name_or_slug)
            if role != Role.OWNER:
                # A new workspace needs an owner: its creator stays one whatever --role says.
                self.stdout.write("New workspace: the user is its owner.")
            self.stdout.write(f"Created workspace {membership.workspace.slug}.")
            return
        services.membership_set_by_admin(user=user, workspace=workspace, role=role)
        self.stdout.write(f"{user.email} is {role} of {workspace.slug}.")
