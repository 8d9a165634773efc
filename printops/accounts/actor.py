"""Who is doing a write: the signed-in user, their membership, and at a workstation the staff
member acting. Every service that writes takes an `Actor` and checks it first."""

from __future__ import annotations

from dataclasses import dataclass

from printops.accounts.models import Membership, User, Workspace
from printops.accounts.roles import PERMISSION_SENTENCES, Perm, role_allows
from printops.core.errors import InvalidInput, NotAllowed


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership
    staff: User | None = None
    via: str = "web"

    @property
    def workspace(self) -> Workspace:
        return self.membership.workspace

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, perm: Perm) -> bool:
        return role_allows(self.membership.role, perm)

    def require(self, perm: Perm) -> None:
        """Raise unless this actor may do `perm`; a workstation must name its staff member."""
        if not self.can(perm):
            raise NotAllowed(PERMISSION_SENTENCES[perm])
        if perm is not Perm.VIEW and self.membership.is_workstation and self.staff is None:
            raise InvalidInput(
                "This is a shared workstation: choose who is acting before making changes."
            )
