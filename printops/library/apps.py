from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "printops.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        from printops.materials.catalogue_events import catalogue_listen

        catalogue_listen(_rematch_after_catalogue_change)


def _rematch_after_catalogue_change(workspace_id: int) -> None:
    """A filament was added or changed: exact matches should not wait for "Match again"."""
    from printops.library.tasks import rematch_filament_usages

    rematch_filament_usages.enqueue(workspace_id=workspace_id)
