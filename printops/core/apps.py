from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "printops.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from printops.core.blobs import blob_orphans_sweep
        from printops.core.housekeeping import sweep_register, upload_temp_files_sweep

        sweep_register(name="temporary upload files", run=upload_temp_files_sweep)
        # Not at start-up: listing every stored object can take a while on a large bucket; the
        # background thread runs it right after start instead.
        sweep_register(name="blobs without rows", run=blob_orphans_sweep, at_startup=False)
