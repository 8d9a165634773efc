from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "printops.materials"
    label = "materials"
    verbose_name = "Materials"

    def ready(self) -> None:
        from printops.materials import print_jobs  # noqa: F401  (registers its system check)
