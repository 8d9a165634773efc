from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "printops.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        from printops.accounts.extensions import workspace_setup
        from printops.core.housekeeping import sweep_register
        from printops.library.services import (
            chunked_uploads_expire,
            import_jobs_mark_interrupted,
            interrupted_import_archives_release,
            library_workspace_setup,
        )
        from printops.materials.catalogue_events import catalogue_listen

        workspace_setup.provide(library_workspace_setup, app=self.label)
        catalogue_listen(_rematch_after_catalogue_change)
        sweep_register(
            name="interrupted imports",
            run=import_jobs_mark_interrupted,
            every_hours=1,
        )
        sweep_register(name="expired resumable uploads", run=chunked_uploads_expire)
        sweep_register(
            name="zips of old interrupted imports",
            run=interrupted_import_archives_release,
            at_startup=False,
        )


def _rematch_after_catalogue_change(workspace_id: int) -> None:
    """A filament was added or changed: exact matches should not wait for "Match again"."""
    from printops.library.tasks import rematch_filament_usages

    rematch_filament_usages.enqueue(workspace_id=workspace_id)
