"""Low-stock alerts: members opting in to the e-mail digest, and sending it."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from printops.accounts.actor import Actor
from printops.accounts.audit import audit_record
from printops.accounts.models import Membership, Workspace
from printops.materials.alerts import low_stock_list
from printops.materials.models import LowStockDigestSubscription, LowStockNotice


def low_stock_digest_subscribe(*, actor: Actor, subscribed: bool) -> bool:
    """Opt the acting member in or out of the low-stock digest (any member, for themselves)."""
    with transaction.atomic():
        if subscribed:
            _, changed = LowStockDigestSubscription.objects.get_or_create(
                workspace=actor.workspace, user=actor.user
            )
        else:
            changed = bool(
                LowStockDigestSubscription.objects.filter(
                    workspace=actor.workspace, user=actor.user
                ).delete()[0]
            )
        if changed:
            audit_record(
                actor=actor,
                verb="low_stock_digest.subscribed"
                if subscribed
                else "low_stock_digest.unsubscribed",
            )
    return subscribed


def low_stock_digest_send(*, workspace: Workspace) -> int:
    """E-mail each opted-in member of the workspace the filaments that went below their
    threshold since the last digest; returns the number of e-mails. A filament is reported once
    per crossing: its notice stays until it is topped up. The notices are claimed with
    get_or_create on a unique filament, so two runs at once report a filament once."""
    low = low_stock_list(workspace=workspace)
    with transaction.atomic():
        LowStockNotice.objects.filter(workspace=workspace).exclude(
            filament__in=[f.pk for f in low]
        ).delete()
        fresh = [
            filament
            for filament in low
            if LowStockNotice.objects.get_or_create(workspace=workspace, filament=filament)[1]
        ]
        if not fresh:
            return 0
        recipients = list(
            Membership.objects.filter(
                workspace=workspace,
                user__in=LowStockDigestSubscription.objects.filter(workspace=workspace).values(
                    "user"
                ),
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
        context = {
            "workspace": workspace,
            "filaments": fresh,
            "link": settings.SITE_URL + reverse("materials:shopping"),
        }
        subject = f"{workspace.name}: {len(fresh)} filament{'s' if len(fresh) != 1 else ''} low"
        message = render_to_string("materials/_low_stock_digest.txt", context)
        for email in recipients:
            transaction.on_commit(
                partial(
                    send_mail,
                    subject=subject,
                    message=message,
                    from_email=None,
                    recipient_list=[email],
                )
            )
    return len(recipients)


def low_stock_digest_send_all() -> int:
    """Send the low-stock digest of every workspace; returns the number of e-mails."""
    return sum(
        low_stock_digest_send(workspace=workspace)
        for workspace in Workspace.objects.filter(
            pk__in=LowStockDigestSubscription.objects.values("workspace")
        )
    )
