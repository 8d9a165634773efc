"""Workspace pages: settings, members, API tokens, audit trail, switchers."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import ChoiceField
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from printops.accounts import selectors, services
from printops.accounts.audit_words import audit_verb_choices, object_type_choices
from printops.accounts.decorators import workspace_required
from printops.accounts.forms import (
    ApiTokenForm,
    AuditFilterForm,
    InvitationForm,
    NewWorkspaceForm,
    RoleForm,
    WorkspaceForm,
)
from printops.accounts.middleware import SESSION_WORKSPACE, acting_session_key
from printops.accounts.request import SignedInRequest, WorkspaceRequest
from printops.accounts.roles import Perm
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error


@workspace_required
def settings_page(request: WorkspaceRequest) -> HttpResponse:
    actor, workspace = request.actor, request.workspace
    initial = {
        "name": workspace.name,
        "currency": workspace.currency,
        "units": workspace.units,
        "timezone": workspace.timezone,
    }
    form = WorkspaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.workspace_update(
                actor=actor,
                name=data["name"],
                currency=data["currency"],
                units=data["units"],
                timezone_name=data["timezone"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Workspace settings saved.")
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "can_edit": actor.can(Perm.MANAGE_WORKSPACE)},
        status=400 if form.errors else 200,
    )


@workspace_required
def members(request: WorkspaceRequest) -> HttpResponse:
    actor, workspace = request.actor, request.workspace
    form = InvitationForm(request.POST or None)
    new_link = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitation_create(
                actor=actor, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            if not actor.can(Perm.MANAGE_MEMBERS):  # the form is hidden from them
                messages.error(request, error.message)
        else:
            new_link = request.build_absolute_uri(reverse("accounts:invitation", args=[token]))
            messages.success(request, f"Invitation e-mailed to {invitation.email}.")
            form = InvitationForm()
    return render(
        request,
        "accounts/members.html",
        {
            "form": form,
            "new_link": new_link,
            "members": selectors.member_list(workspace=workspace),
            "invitations": selectors.invitation_list(workspace=workspace).filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            ),
            "can_manage": actor.can(Perm.MANAGE_MEMBERS),
            "role_form": RoleForm(),
        },
        status=400 if form.errors else 200,
    )


def _member_action(request: WorkspaceRequest, pk: int, action: str) -> HttpResponse:
    actor, workspace = request.actor, request.workspace
    membership = get_object_or_404(selectors.member_list(workspace=workspace), pk=pk)
    try:
        if action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choose one of owner, manager, operator or viewer.")
                return redirect("accounts:members")
            services.membership_change_role(
                actor=actor, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
        elif action == "workstation":
            flag = request.POST.get("is_workstation") == "1"
            services.membership_set_workstation(
                actor=actor, membership=membership, is_workstation=flag
            )
            messages.success(
                request,
                f"{membership.user} is {'now' if flag else 'no longer'} a shared workstation.",
            )
        elif action == "remove":
            services.membership_remove(actor=actor, membership=membership)
            messages.success(request, f"{membership.user} was removed from the workspace.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:members")


@require_POST
@workspace_required
def member_role(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _member_action(request, pk, "role")


@require_POST
@workspace_required
def member_workstation(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _member_action(request, pk, "workstation")


@require_POST
@workspace_required
def member_remove(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _member_action(request, pk, "remove")


@require_POST
@workspace_required
def invitation_revoke(request: WorkspaceRequest, pk: int) -> HttpResponse:
    workspace = request.workspace
    invitation = get_object_or_404(selectors.invitation_list(workspace=workspace), pk=pk)
    try:
        services.invitation_revoke(actor=request.actor, invitation=invitation)
        messages.success(request, f"The invitation for {invitation.email} was revoked.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:members")


@workspace_required
def tokens(request: WorkspaceRequest) -> HttpResponse:
    actor, workspace = request.actor, request.workspace
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_token = services.api_token_create(actor=actor, name=form.cleaned_data["name"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            form = ApiTokenForm()
    show_all = actor.can(Perm.MANAGE_MEMBERS)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.api_token_list(
                workspace=workspace, user=None if show_all else request.user
            ),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@workspace_required
def token_revoke(request: WorkspaceRequest, pk: int) -> HttpResponse:
    actor, workspace = request.actor, request.workspace
    visible = selectors.api_token_list(
        workspace=workspace, user=None if actor.can(Perm.MANAGE_MEMBERS) else request.user
    )
    token = get_object_or_404(visible, pk=pk)
    try:
        services.api_token_revoke(actor=actor, token=token)
        messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("accounts:tokens")


@workspace_required
def audit(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = AuditFilterForm(request.GET or None)
    cast(ChoiceField, form.fields["actor"]).choices = [("", "Anyone")] + [
        (m.user_id, str(m.user)) for m in selectors.member_list(workspace=workspace)
    ]
    object_types = selectors.audit_object_types(workspace=workspace)
    cast(ChoiceField, form.fields["object_type"]).choices = [
        ("", "Anything"),
        *object_type_choices(object_types),
    ]
    verb_choices = [
        ("", "Any action"),
        *audit_verb_choices(selectors.audit_verbs(workspace=workspace)),
    ]
    asked = request.GET.get("verb", "")
    if asked and asked not in dict(verb_choices):  # a link with a prefix of its own
        verb_choices.append((asked, f"Starting with “{asked}”"))
    form.fields["verb"].widget.choices = verb_choices
    filters: dict[str, object] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        filters = {
            "actor_id": data["actor"],
            "verb_prefix": data["verb"].strip(),
            "object_type": data["object_type"],
            "since": datetime.combine(data["since"], time.min, tz) if data["since"] else None,
            "until": (datetime.combine(data["until"], time.min, tz) + timedelta(days=1))
            if data["until"]
            else None,
        }
    events = selectors.audit_event_list(workspace=workspace, **filters)  # type: ignore[arg-type]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    template = "accounts/_audit_rows.html" if request.htmx else "accounts/audit.html"
    return render(
        request, template, {"form": form, "page": page}, status=400 if form.errors else 200
    )


@login_required
def workspace_new(request: SignedInRequest) -> HttpResponse:
    form = NewWorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.workspace_create(
                user=request.user,
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session[SESSION_WORKSPACE] = membership.workspace_id
            messages.success(request, f"Workspace {membership.workspace.name} created.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "accounts/workspace_new.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
@login_required
def workspace_switch(request: SignedInRequest) -> HttpResponse:
    memberships = selectors.membership_list_for_user(user=request.user)
    membership = get_object_or_404(memberships, workspace_id=request.POST.get("workspace") or 0)
    request.session[SESSION_WORKSPACE] = membership.workspace_id
    messages.success(request, f"Switched to {membership.workspace.name}.")
    return redirect(settings.LOGIN_REDIRECT_URL)


@require_POST
@workspace_required
def acting_as(request: WorkspaceRequest) -> HttpResponse:
    membership = request.membership
    next_url = request.POST.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    if not membership.is_workstation:
        return redirect(next_url)
    raw = request.POST.get("staff") or ""
    try:
        staff = selectors.staff_get(
            workspace=membership.workspace, user_id=int(raw) if raw.isdigit() else None
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(next_url)
    key = acting_session_key(membership)
    if staff is None:
        request.session.pop(key, None)
        messages.info(request, "Nobody is acting at this workstation now.")
    else:
        request.session[key] = staff.pk
        messages.success(request, f"Acting as {staff}.")
    return redirect(next_url)
