"""Sign-up, sign-in, sign-out and invitation links."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from printops.accounts import services
from printops.accounts.decorators import client_ip
from printops.accounts.forms import LoginForm, SignUpForm
from printops.accounts.middleware import SESSION_WORKSPACE
from printops.core.errors import DomainError
from printops.core.forms import add_domain_error


def home(request: HttpRequest) -> HttpResponse:
    return redirect("accounts:dashboard" if request.user.is_authenticated else "accounts:login")


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
            return redirect("accounts:dashboard")
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
        email, ip = form.cleaned_data["email"], client_ip(request)
        try:
            services.login_throttle_check(email=email, client_ip=ip)
        except DomainError as error:
            add_domain_error(form, error)
            return render(
                request, "accounts/login.html", {"form": form, "next": next_url}, status=429
            )
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None:
            services.login_failure_record(email=email, client_ip=ip)
            form.add_error(None, "That e-mail address and password do not match an account.")
        else:
            services.login_failures_clear(email=email)
            login(request, user)
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url},
        status=400 if form.errors else 200,
    )


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
            membership = services.invitation_accept(token=token, user=request.user)  # type: ignore[arg-type]
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
        return redirect("accounts:dashboard")
    return render(request, "accounts/invitation.html", {"invitation": found, "token": token})
