from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "printops.production"
    label = "production"
    verbose_name = "Production"

    def ready(self) -> None:
        from printops.materials.print_jobs import register_print_job_lookup
        from printops.production.selectors import print_job_exists

        register_print_job_lookup(print_job_exists)
