from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "printops.core"
    label = "core"
    verbose_name = "Core"
