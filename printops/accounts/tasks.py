"""Background work for accounts: e-mails go out after the transaction that caused them."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task


@task()
def send_invitation_email(*, invitation_id: int, token: str) -> None:
    from printops.accounts.models import Invitation

    invitation = (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != "pending":
        return
    link = settings.SITE_URL + reverse("accounts:invitation", args=[token])
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=f"You are invited to {invitation.workspace.name} on PrintOps",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
