from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "printops.production"
    label = "production"
    verbose_name = "Production"
