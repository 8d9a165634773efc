"""Forms parse and check shape; the business rules live in services."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

from printops.accounts.models import Workspace
from printops.accounts.roles import Role

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SignUpForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="E-mail address")
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password.",
    )
    workspace_name = forms.CharField(
        label="Business or makerspace name",
        max_length=100,
        help_text="Your workspace. You can invite your team to it next.",
    )

    def __init__(self, *args: Any, invitation_email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if invitation_email:
            self.fields["email"].initial = invitation_email
            self.fields["email"].disabled = True
            del self.fields["workspace_name"]


class LoginForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=100)
    currency = forms.CharField(max_length=3, help_text="Three letters, e.g. EUR, USD, GBP.")
    units = forms.ChoiceField(choices=Workspace.Units.choices)
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Time zone")


class NewWorkspaceForm(forms.Form):
    name = forms.CharField(label="Workspace name", max_length=100)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.OPERATOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What uses it, e.g. “OctoPrint plug-in” or “stock script”.",
    )


class AuditFilterForm(forms.Form):
    actor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Who")
    # Any verb prefix is accepted ("print_job." for every action on jobs); the select offers
    # the workspace's own verbs in words.
    verb = forms.CharField(required=False, label="Action", widget=forms.Select)
    object_type = forms.ChoiceField(required=False, label="Object")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="Until", widget=forms.DateInput(attrs={"type": "date"})
    )
