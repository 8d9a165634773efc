from django.contrib import admin

from printops.materials.models import Filament, Spool, SpoolLedgerEntry, Vendor


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "empty_spool_grams"]
    search_fields = ["name"]


@admin.register(Filament)
class FilamentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workspace", "material", "color_hex", "low_stock_grams"]
    list_filter = ["material"]


@admin.register(Spool)
class SpoolAdmin(admin.ModelAdmin):
    list_display = [
        "label_code",
        "workspace",
        "filament",
        "remaining_grams",
        "location",
        "archived",
    ]
    search_fields = ["label_code", "lot", "location"]
    # Grams change only through the ledger (services), never by editing the cached column.
    readonly_fields = ["remaining_grams"]


@admin.register(SpoolLedgerEntry)
class SpoolLedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["spool", "grams", "reason", "created_at"]
    list_filter = ["reason"]

    def has_change_permission(self, request, obj=None):
        return False
