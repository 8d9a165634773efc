"""printops token create --email E --workspace SLUG [--name NAME]: prints a new API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from printops.accounts import services
from printops.accounts.actor import Actor
from printops.accounts.models import Membership
from printops.core.commands import DatabaseCommand
from printops.core.errors import DomainError


class Command(DatabaseCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new API token and nothing else")
        create.add_argument("--email", required=True)
        create.add_argument("--workspace", required=True, help="workspace slug")
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.select_related("user", "workspace")
            .filter(
                user__email=options["email"].strip().lower(), workspace__slug=options["workspace"]
            )
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{options['email']} is not a member of a workspace with slug "
                f"'{options['workspace']}'."
            )
        actor = Actor(user=membership.user, membership=membership, staff=membership.user, via="cli")
        try:
            _, raw = services.api_token_create(actor=actor, name=options["name"])
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(raw)
