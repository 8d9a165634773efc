"""Demo rows for accounts: a workspace with an owner, an operator and a workstation desk.

`printops demo` (printops/front) calls every app's builder in order, each with the
same workspace and a seeded random generator, so the same seed always gives the same data.
"""

from __future__ import annotations

import random

from django.db import transaction

from printops.accounts.models import Membership, User, Workspace
from printops.accounts.roles import Role

DEMO_PASSWORD = "printops-demo"  # noqa: S105 - the printed, documented demo login
DEMO_PEOPLE = (
    ("owner@demo.printops.local", "Olivia Owner", Role.OWNER, False),
    ("manager@demo.printops.local", "Manu Manager", Role.MANAGER, False),
    ("operator@demo.printops.local", "Oskar Operator", Role.OPERATOR, False),
    ("desk@demo.printops.local", "Front desk", Role.OPERATOR, True),
)


def demo_workspace(*, slug: str, name: str = "Demo Print Farm") -> Workspace:
    workspace, _ = Workspace.objects.get_or_create(slug=slug, defaults={"name": name})
    return workspace


@transaction.atomic
def build_demo(*, workspace: Workspace, rng: random.Random, **options: object) -> list[str]:
    """Members with the documented demo password; returns lines to print."""
    lines = []
    for email, name, role, is_workstation in DEMO_PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
        Membership.objects.get_or_create(
            workspace=workspace,
            user=user,
            defaults={"role": role, "is_workstation": is_workstation},
        )
        lines.append(f"{role:<9} {email}")
    return lines
