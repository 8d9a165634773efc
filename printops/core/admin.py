from django.contrib import admin

from printops.core.models import Blob


@admin.register(Blob)
class BlobAdmin(admin.ModelAdmin):
    list_display = ["sha256", "size_bytes", "media_type", "created_at"]
    search_fields = ["sha256"]
    readonly_fields = ["sha256", "size_bytes", "media_type", "storage_key", "created_at"]
