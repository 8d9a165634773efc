"""Filaments and spools in and out as CSV, and in from Spoolman: reading and checking the files,
and the export (a read: any member).

The import itself is a service (`services.import_preview`, `services.import_apply`,
`services.spoolman_preview`, `services.spoolman_apply`): the same services as the pages, row by
row in savepoints, inside one transaction. Re-importing a file changes nothing: a filament is
matched by vendor, material and colour name (the hex when the name is empty), a spool by its
label code.
"""

from printops.materials.imports.common import (
    FILAMENT_COLUMNS,
    FORMULA_STARTS,
    KINDS,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED,
    SPOOL_COLUMNS,
    ImportPlan,
    ImportRow,
)
from printops.materials.imports.csv_files import read_rows
from printops.materials.imports.export import filaments_csv, spools_csv
from printops.materials.imports.spoolman import (
    NO_VENDOR,
    SPOOLMAN_ENDPOINTS,
    SPOOLMAN_MAX_BYTES,
    SPOOLMAN_TIMEOUT_SECONDS,
    spoolman_fetch,
    spoolman_normalize,
    spoolman_read,
    spoolman_rows,
)

__all__ = [
    "FILAMENT_COLUMNS",
    "FORMULA_STARTS",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "NO_VENDOR",
    "REQUIRED",
    "SPOOLMAN_ENDPOINTS",
    "SPOOLMAN_MAX_BYTES",
    "SPOOLMAN_TIMEOUT_SECONDS",
    "SPOOL_COLUMNS",
    "ImportPlan",
    "ImportRow",
    "filaments_csv",
    "read_rows",
    "spoolman_fetch",
    "spoolman_normalize",
    "spoolman_read",
    "spoolman_rows",
    "spools_csv",
]
