"""printops manage materials_low_stock_digest: e-mail the filaments that ran low lately."""

from __future__ import annotations

from typing import Any

from printops.core.commands import DatabaseCommand
from printops.materials import services


class Command(DatabaseCommand):
    help = (
        "E-mail each member who opted in the filaments that went below their low-stock "
        "threshold since the last digest. Run it daily (cron or a scheduler)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.low_stock_digest_send_all()
        self.stdout.write(f"{sent} low-stock digest e-mail{'s' if sent != 1 else ''} sent.")
