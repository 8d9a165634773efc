from django.contrib.auth import views as auth_views
from django.urls import path

from printops.accounts import views, views_auth

app_name = "accounts"

urlpatterns = [
    path("", views_auth.home, name="home"),
    path("signup/", views_auth.signup, name="signup"),
    path("login/", views_auth.login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views_auth.PasswordResetRequestView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views_auth.PasswordResetSetView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("invitations/<str:token>/", views_auth.invitation, name="invitation"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/members/", views.members, name="members"),
    path("settings/members/<int:pk>/role/", views.member_role, name="member_role"),
    path(
        "settings/members/<int:pk>/workstation/",
        views.member_workstation,
        name="member_workstation",
    ),
    path("settings/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "settings/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit, name="audit"),
    path("workspaces/new/", views.workspace_new, name="workspace_new"),
    path("workspaces/switch/", views.workspace_switch, name="workspace_switch"),
    path("acting-as/", views.acting_as, name="acting_as"),
]
