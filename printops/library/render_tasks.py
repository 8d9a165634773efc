"""Background work for library files that is too slow for the upload request."""

from __future__ import annotations

from django_tasks import task


@task()
def render_version_thumbnail(*, version_id: int) -> None:
    """Draw a PNG for a mesh version that carries no picture of its own."""
    from printops.library.services.thumbnails import version_thumbnail_render

    version_thumbnail_render(version_id=version_id)
