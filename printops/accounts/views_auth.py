"""Sign-up, sign-in, sign-out and invitation links."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from printops.accounts import services, throttle
from printops.accounts.decorators import client_ip
from printops.accounts.forms import LoginForm, SignUpForm
from printops.accounts.middleware import SESSION_WORKSPACE
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error


def home(request: HttpRequest) -> HttpResponse:
    return redirect(
        settings.LOGIN_REDIRECT_URL if request.user.is_authenticated else "accounts:login"
    )


@sensitive_post_parameters("password")
def signup(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("invitation", "")
    invitation = services.invitation_find(token=token) if token else None
    if invitation is None and not settings.PRINTOPS_SIGNUP_OPEN:
        return render(request, "accounts/signup_closed.html", status=403)
    form = SignUpForm(
        request.POST or None, invitation_email=invitation.email if invitation else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if invitation is not None:
                user = services.user_create(
                    email=invitation.email, password=data["password"], name=data["name"]
                )
                membership = services.invitation_accept(token=token, user=user)
            else:
                membership = services.user_sign_up(
                    email=data["email"],
                    password=data["password"],
                    name=data["name"],
                    workspace_name=data["workspace_name"],
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, membership.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            request.session[SESSION_WORKSPACE] = membership.workspace_id
            messages.success(request, f"Welcome to {membership.workspace.name}.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, password = form.cleaned_data["email"], form.cleaned_data["password"]
        try:
            user = throttle.sign_in_attempt(
                email=email,
                client_ip=client_ip(request),
                check=lambda: authenticate(request, username=email, password=password),
            )
        except DomainError as error:
            add_domain_error(form, error)
            return render(
                request, "accounts/login.html", {"form": form, "next": next_url}, status=429
            )
        if user is None:
            form.add_error(None, "That e-mail address and password do not match an account.")
        else:
            login(request, user)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


class PasswordResetRequestView(auth_views.PasswordResetView):
    """Django's reset form, limited per e-mail address and per client address."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        try:
            throttle.password_reset_request_allow(
                email=form.cleaned_data["email"], client_ip=client_ip(self.request)
            )
        except DomainError as error:
            add_domain_error(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetSetView(auth_views.PasswordResetConfirmView):
    """Django's new-password form; a reset also lifts the account's sign-in lock, as the
    throttling message promises ("…or reset your password")."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        throttle.sign_in_lock_lift(email=form.user.email)
        return response


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.invitation_find(token=token)
    if found is None or found.status != "pending":
        return render(
            request, "accounts/invitation.html", {"invitation": found}, status=410 if found else 404
        )
    if not request.user.is_authenticated:
        return render(request, "accounts/invitation.html", {"invitation": found, "token": token})
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request,
                "accounts/invitation.html",
                {"invitation": found, "token": token},
                status=error.status_code,
            )
        request.session[SESSION_WORKSPACE] = membership.workspace_id
        messages.success(request, f"You joined {membership.workspace.name}.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/invitation.html", {"invitation": found, "token": token})
