"""Every write in materials: the catalogue (vendors, filaments, slicer presets' filaments) in
`filaments`, spools and their grams ledger in `spools`, input checks in `inputs`.

Callers use `from printops.materials import services` and `services.<name>`; the modules are
how the code is kept, not part of the interface.
"""

from printops.materials.services.filaments import (
    filament_alias_remember,
    filament_create,
    filament_create_from_slicer,
    filament_update,
    vendor_create,
    vendor_update,
)
from printops.materials.services.inputs import (
    CONSUME_REASONS,
    FILAMENT_FIELDS,
    LABEL_ALPHABET,
    LABEL_LENGTH,
    MAX_GRAMS,
    MAX_MONEY,
    SPOOL_FIELDS,
    VENDOR_FIELDS,
    WEIGH_IN_RISE_TO_CONFIRM_GRAMS,
    clean_grams,
    clean_hex,
)
from printops.materials.services.spools import (
    spool_archive,
    spool_consume,
    spool_create,
    spool_ledger_rebuild,
    spool_mark_empty,
    spool_move,
    spool_update,
    spool_weigh_in,
)

__all__ = [
    "CONSUME_REASONS",
    "FILAMENT_FIELDS",
    "LABEL_ALPHABET",
    "LABEL_LENGTH",
    "MAX_GRAMS",
    "MAX_MONEY",
    "SPOOL_FIELDS",
    "VENDOR_FIELDS",
    "WEIGH_IN_RISE_TO_CONFIRM_GRAMS",
    "clean_grams",
    "clean_hex",
    "filament_alias_remember",
    "filament_create",
    "filament_create_from_slicer",
    "filament_update",
    "spool_archive",
    "spool_consume",
    "spool_create",
    "spool_ledger_rebuild",
    "spool_mark_empty",
    "spool_move",
    "spool_update",
    "spool_weigh_in",
    "vendor_create",
    "vendor_update",
]
