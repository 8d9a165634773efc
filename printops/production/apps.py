from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "printops.production"
    label = "production"
    verbose_name = "Production"

    def ready(self) -> None:
        from printops.materials import extensions as materials
        from printops.production.feasibility import queue_demand
        from printops.production.selectors import print_job_exists, printer_for_ledger_rows

        materials.print_job_lookup.provide(print_job_exists, app=self.label)
        materials.projected_demand.provide(queue_demand, app=self.label)
        materials.printer_names.provide(printer_for_ledger_rows, app=self.label)
