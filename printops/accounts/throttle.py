"""Sign-in and password-reset throttling.

Each limit is a counter row per key (an e-mail address or a client address) that only a
conditional UPDATE changes: `attempts = attempts + 1 WHERE attempts < limit`. A sign-in takes its
slot *before* the password is checked and keeps it when the password is wrong, so 30 wrong
passwords arriving at once for one account check at most PRINTOPS_LOGIN_MAX_FAILURES of them (a
count-then-insert let 12 of 30 through with a limit of 5).

A window starts at the first attempt and lasts its window seconds; the lock lifts when it ends,
when the account signs in, or when its password is reset.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from printops.accounts.models import AttemptCounter
from printops.core.errors import TooManyAttempts

Scope = AttemptCounter.Scope
T = TypeVar("T")

# A client address is shared by a household or an office: it gets four accounts' worth.
SIGN_IN_ADDRESS_FACTOR = 4


def _normal_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _minutes_left(*, scope: str, key: str, window_seconds: int) -> int:
    started = (
        AttemptCounter.objects.filter(scope=scope, key=key)
        .values_list("window_started_at", flat=True)
        .first()
    )
    if started is None:
        return 1
    left = (started + timedelta(seconds=window_seconds) - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def _take(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt unless `limit` are already counted in this key's window; True when
    it was counted. Atomic under concurrency: the row is only changed by conditional UPDATEs."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=window_seconds)
    rows = AttemptCounter.objects.filter(scope=scope, key=key)
    for _ in range(3):  # a sweep may delete the row between the statements: make it again
        AttemptCounter.objects.bulk_create(
            [AttemptCounter(scope=scope, key=key, attempts=0, window_started_at=now)],
            ignore_conflicts=True,
        )
        if rows.filter(window_started_at__lt=cutoff).update(attempts=1, window_started_at=now):
            AttemptCounter.objects.filter(scope=scope, window_started_at__lt=cutoff).delete()
            return True  # the window had ended: this attempt starts a new one
        if rows.filter(attempts__lt=limit).update(attempts=F("attempts") + 1):
            return True
        if rows.exists():
            return False
    return False


def _give_back(*, scope: str, key: str) -> None:
    AttemptCounter.objects.filter(scope=scope, key=key, attempts__gt=0).update(
        attempts=F("attempts") - 1
    )


def sign_in_attempt(*, email: str, client_ip: str, check: Callable[[], T | None]) -> T | None:
    """Run `check` (the password check; None means wrong) only while neither the e-mail
    address nor the client address has used up its failures for the window; a success
    clears the account's failures. Raises TooManyAttempts without calling `check` otherwise."""
    email = _normal_email(email)
    limit = settings.PRINTOPS_LOGIN_MAX_FAILURES
    window = settings.PRINTOPS_LOGIN_WINDOW_SECONDS
    if not _take(scope=Scope.SIGN_IN_EMAIL, key=email, limit=limit, window_seconds=window):
        minutes = _minutes_left(scope=Scope.SIGN_IN_EMAIL, key=email, window_seconds=window)
        raise TooManyAttempts(
            f"Too many failed sign-ins. Wait {minutes} minutes or reset your password."
        )
    if not _take(
        scope=Scope.SIGN_IN_ADDRESS,
        key=client_ip,
        limit=limit * SIGN_IN_ADDRESS_FACTOR,
        window_seconds=window,
    ):
        _give_back(scope=Scope.SIGN_IN_EMAIL, key=email)
        minutes = _minutes_left(scope=Scope.SIGN_IN_ADDRESS, key=client_ip, window_seconds=window)
        raise TooManyAttempts(
            f"Too many failed sign-ins from your network. Wait {minutes} minutes and try again."
        )
    result = check()
    if result is not None:
        sign_in_lock_lift(email=email)
        _give_back(scope=Scope.SIGN_IN_ADDRESS, key=client_ip)
    return result


def sign_in_lock_lift(*, email: str) -> None:
    """Forget an account's failed sign-ins (it signed in, or its password was reset)."""
    AttemptCounter.objects.filter(scope=Scope.SIGN_IN_EMAIL, key=_normal_email(email)).delete()


def password_reset_request_allow(*, email: str, client_ip: str) -> None:
    """Count one password-reset request, or raise TooManyAttempts when the e-mail address or
    the client address asked too often in the window. The same whether or not an account has
    that address, so the answer tells nobody which addresses exist."""
    window = settings.PRINTOPS_PASSWORD_RESET_WINDOW_SECONDS
    email = _normal_email(email)
    if not _take(
        scope=Scope.RESET_ADDRESS,
        key=client_ip,
        limit=settings.PRINTOPS_PASSWORD_RESET_MAX_PER_ADDRESS,
        window_seconds=window,
    ):
        minutes = _minutes_left(scope=Scope.RESET_ADDRESS, key=client_ip, window_seconds=window)
        raise TooManyAttempts(
            f"Too many password-reset requests from your network. Wait {minutes} minutes "
            "and try again."
        )
    if not _take(
        scope=Scope.RESET_EMAIL,
        key=email,
        limit=settings.PRINTOPS_PASSWORD_RESET_MAX_PER_EMAIL,
        window_seconds=window,
    ):
        _give_back(scope=Scope.RESET_ADDRESS, key=client_ip)
        minutes = _minutes_left(scope=Scope.RESET_EMAIL, key=email, window_seconds=window)
        raise TooManyAttempts(
            "A password reset was asked for this e-mail address several times already; if it "
            f"has an account, look for the e-mails (and in the spam folder) or wait {minutes} "
            "minutes."
        )
