"""Filaments and spools in and out as CSV.

Export is a read (any member). Import goes through the same services as the pages, row by row
in savepoints, inside one transaction: a preview runs it and rolls everything back, so what it
shows is exactly what *Import* will do; *Import* keeps it only when no row has an error.
Re-importing a file changes nothing: a filament is matched by vendor, material and colour name
(the hex when the name is empty), a spool by its label code.
"""

from printops.materials.imports.common import (
    FILAMENT_COLUMNS,
    FORMULA_STARTS,
    KINDS,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED,
    ROW_IMPORTERS,
    SPOOL_COLUMNS,
    ImportPlan,
    ImportRow,
)
from printops.materials.imports.csv_files import (
    import_apply,
    import_preview,
    read_rows,
)
from printops.materials.imports.export import (
    filaments_csv,
    spools_csv,
)
from printops.materials.imports.spoolman import (
    NO_VENDOR,
    SPOOLMAN_ENDPOINTS,
    SPOOLMAN_MAX_BYTES,
    SPOOLMAN_TIMEOUT_SECONDS,
    spoolman_apply,
    spoolman_fetch,
    spoolman_normalize,
    spoolman_preview,
    spoolman_read,
)

__all__ = [
    "FILAMENT_COLUMNS",
    "FORMULA_STARTS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "NO_VENDOR",
    "REQUIRED",
    "ROW_IMPORTERS",
    "SPOOLMAN_ENDPOINTS",
    "SPOOLMAN_MAX_BYTES",
    "SPOOLMAN_TIMEOUT_SECONDS",
    "SPOOL_COLUMNS",
    "ImportPlan",
    "ImportRow",
    "filaments_csv",
    "import_apply",
    "import_preview",
    "read_rows",
    "spoolman_apply",
    "spoolman_fetch",
    "spoolman_normalize",
    "spoolman_preview",
    "spoolman_read",
    "spools_csv",
]
