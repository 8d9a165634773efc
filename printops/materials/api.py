"""JSON API for materials: vendors, filaments, spools, the grams ledger."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["materials"])
