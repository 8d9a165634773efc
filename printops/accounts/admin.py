from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from printops.accounts import throttle
from printops.accounts.decorators import client_ip
from printops.accounts.models import (
    ApiToken,
    AttemptCounter,
    AuditEvent,
    Invitation,
    Membership,
    User,
    Workspace,
)
from printops.core.errors import TooManyAttempts


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "name", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "workspace", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "workspace", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, even for superusers."""

    list_display = ["created_at", "workspace", "actor_label", "staff_label", "verb", "object_label"]
    list_filter = ["verb", "object_type", "via"]
    search_fields = ["actor_label", "object_label", "verb"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AttemptCounter)
class AttemptCounterAdmin(admin.ModelAdmin):
    """Who is locked out; deleting a row lifts that lock."""

    list_display = ["scope", "key", "attempts", "window_started_at"]
    list_filter = ["scope"]
    search_fields = ["key"]
    readonly_fields = ["scope", "key", "attempts", "window_started_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """/admin/login/ spends the same sign-in allowance as the sign-in page: without it, the
    admin login was an unthrottled way to guess a staff member's password."""

    def clean(self) -> dict[str, Any]:
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not email or password is None:
            return super().clean()
        refused: list[ValidationError] = []

        def check() -> User | None:
            try:
                super(ThrottledAdminLoginForm, self).clean()
            except ValidationError as error:  # wrong password, or not a staff account
                refused.append(error)
                return None
            return self.get_user()

        try:
            # The admin's login view always passes the request; "unknown" as client_ip() says.
            ip = client_ip(self.request) if self.request is not None else "unknown"
            throttle.sign_in_attempt(email=email, client_ip=ip, check=check)
        except TooManyAttempts as error:
            raise ValidationError(error.message, code="throttled") from None
        if refused:
            raise refused[0]
        return self.cleaned_data


admin.site.login_form = ThrottledAdminLoginForm
