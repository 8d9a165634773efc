"""Input checks and secrets shared by accounts' services."""

from __future__ import annotations

import hashlib

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import slugify

from printops.accounts.models import User, Workspace
from printops.core.errors import InvalidInput


def _hash_secret(raw: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("Enter a valid e-mail address.", field="email") from None
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "workspace"
    slug, n = base, 2
    while Workspace.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _clean_workspace_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Give the workspace a name.", field="name")
    if len(name) > 100:
        raise InvalidInput("Keep the workspace name under 100 characters.", field="name")
    return name
