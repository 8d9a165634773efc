from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "printops.materials"
    label = "materials"
    verbose_name = "Materials"
