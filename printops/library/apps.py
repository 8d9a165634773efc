from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "printops.library"
    label = "library"
    verbose_name = "Library"
