"""The DomainError family: a sentence a user can act on, and the HTTP status it maps to.

Services raise these; `printops/api.py` turns them into `{"detail": ...}` once, and views turn
them into form errors or messages.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the business rules refuse; the message is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The input is malformed or out of range."""

    status_code = 422


class NeedsConfirmation(InvalidInput):
    """Allowed, but so unusual that a person must say yes first (`confirm: true` in the API)."""


class NotAllowed(DomainError):
    """The actor's role does not allow this action."""

    status_code = 403


class NotFound(DomainError):
    """The object does not exist in this workspace (never says whether it exists elsewhere)."""

    status_code = 404


class Conflict(DomainError):
    """The object's current state does not allow this (already done, taken, expired...)."""

    status_code = 409


class TooManyAttempts(DomainError):
    """Throttled; try again later."""

    status_code = 429
