from django.apps import AppConfig


class FrontConfig(AppConfig):
    """Pages that combine apps (the dashboard) and commands that span them (`printops demo`).

    The top layer: it may import every domain app and none may import it, so composing the
    apps happens here in plain imports that import-linter checks, not through settings strings.
    """

    name = "printops.front"
    label = "front"
    verbose_name = "Front"
