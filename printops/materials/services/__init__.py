"""Every write in materials: vendors and filaments in `filaments`, the filaments slicer presets
name in `slicer_presets`, spools and their grams ledger in `spools`, orders from the shopping
list in `orders`, the low-stock digest in `alerts`, CSV and Spoolman imports in `imports`;
input checks in `inputs`, an audited change of fields in `changes`.

Callers use `from printops.materials import services` and `services.<name>`; the modules are
how the code is kept, not part of the interface.
"""

from printops.materials.services.alerts import (
    low_stock_digest_send,
    low_stock_digest_send_all,
    low_stock_digest_subscribe,
)
from printops.materials.services.filaments import (
    filament_create,
    filament_update,
    vendor_create,
    vendor_update,
)
from printops.materials.services.imports import (
    import_apply,
    import_preview,
    spoolman_apply,
    spoolman_preview,
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
from printops.materials.services.orders import (
    MAX_ORDER_SPOOLS,
    filament_order_create,
    filament_order_receive,
)
from printops.materials.services.slicer_presets import (
    filament_alias_remember,
    filament_create_from_slicer,
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
    "MAX_ORDER_SPOOLS",
    "SPOOL_FIELDS",
    "VENDOR_FIELDS",
    "WEIGH_IN_RISE_TO_CONFIRM_GRAMS",
    "clean_grams",
    "clean_hex",
    "filament_alias_remember",
    "filament_create",
    "filament_create_from_slicer",
    "filament_order_create",
    "filament_order_receive",
    "filament_update",
    "import_apply",
    "import_preview",
    "low_stock_digest_send",
    "low_stock_digest_send_all",
    "low_stock_digest_subscribe",
    "spool_archive",
    "spool_consume",
    "spool_create",
    "spool_ledger_rebuild",
    "spool_mark_empty",
    "spool_move",
    "spool_update",
    "spool_weigh_in",
    "spoolman_apply",
    "spoolman_preview",
    "vendor_create",
    "vendor_update",
]
