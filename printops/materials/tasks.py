"""Background work for materials."""

from __future__ import annotations

from django_tasks import task


@task()
def send_low_stock_digests() -> int:
    """The daily low-stock digest of every workspace, for a scheduler to enqueue."""
    from printops.materials import services

    return services.low_stock_digest_send_all()
