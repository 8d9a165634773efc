"""Signing up, creating users (the CLI) and setting a password by an administrator."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from printops.accounts.models import Membership, User
from printops.accounts.services.common import _check_password, _clean_email, _clean_workspace_name
from printops.accounts.services.workspaces import _workspace_create
from printops.core.errors import Conflict


def user_sign_up(*, email: str, password: str, name: str, workspace_name: str) -> Membership:
    """Create a user, their own workspace, and make them its owner, all or nothing."""
    email = _clean_email(email)
    workspace_name = _clean_workspace_name(workspace_name)
    if User.objects.filter(email=email).exists():
        raise Conflict(
            "An account with this e-mail address already exists; sign in instead.", field="email"
        )
    _check_password(password, User(email=email, name=name))
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, name=name.strip())
            return _workspace_create(user=user, name=workspace_name)
    except IntegrityError:
        raise Conflict(
            "An account with this e-mail address already exists; sign in instead.", field="email"
        ) from None


def user_create(*, email: str, password: str, name: str = "") -> User:
    """Create a user without a workspace (invited people, `printops createuser`)."""
    email = _clean_email(email)
    _check_password(password, User(email=email, name=name))
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, name=name.strip())
    except IntegrityError:
        raise Conflict(
            "An account with this e-mail address already exists.", field="email"
        ) from None


def user_set_password_by_admin(*, user: User, password: str) -> None:
    """Used by `printops createuser` when the user exists: set a new password."""
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
