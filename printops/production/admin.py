from django.contrib import admin

from printops.production.models import Printer, PrinterMaintenance, PrintJob, PrintJobSpool


@admin.register(Printer)
class PrinterAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "model", "nozzle_diameter_mm", "status"]
    list_filter = ["status"]
    search_fields = ["name", "model"]


@admin.register(PrinterMaintenance)
class PrinterMaintenanceAdmin(admin.ModelAdmin):
    list_display = ["printer", "date", "note", "actor"]


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workspace", "version", "printer", "copies", "status", "position"]
    list_filter = ["status", "fail_reason"]
    # Status and consumption change only through the services (claims and the ledger).
    readonly_fields = ["status", "started_at", "finished_at", "completion_percent", "position"]


@admin.register(PrintJobSpool)
class PrintJobSpoolAdmin(admin.ModelAdmin):
    list_display = ["job", "slot", "spool", "grams"]

    def has_change_permission(self, request, obj=None):
        return False
