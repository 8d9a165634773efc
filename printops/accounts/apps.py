from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "printops.accounts"
    label = "accounts"
    verbose_name = "Accounts"
