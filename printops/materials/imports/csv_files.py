"""Reading an uploaded CSV into rows (importing them is `services.import_preview` and
`services.import_apply`)."""

from __future__ import annotations

import csv
import io

from printops.core.errors import InvalidInput
from printops.materials.imports.common import (
    FILAMENT_COLUMNS,
    KINDS,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED,
    SPOOL_COLUMNS,
)


def _uncell(text: str) -> str:
    """Undo the export's formula quote, so an exported file imports as it was."""
    text = (text or "").strip()
    if text.startswith("'") and text[1:2] and text[1:2] in "=+-@":
        return text[1:]
    return text


def read_rows(*, kind: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line, {column: text}); a file that cannot be read is one sentence."""
    if kind not in KINDS:
        raise InvalidInput("Import filaments or spools.")
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files."
        )
    if not data.strip():
        raise InvalidInput("The file is empty.")
    if b"\x00" in data:
        raise InvalidInput("This is not a CSV file: save the sheet as CSV (UTF-8) and try again.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "The file is not UTF-8 text: save the sheet as CSV (UTF-8) and try again."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
        missing = [c for c in REQUIRED[kind] if c not in header]
        if missing:
            expected = ", ".join(FILAMENT_COLUMNS if kind == "filaments" else SPOOL_COLUMNS)
            raise InvalidInput(
                f"The file has no {', '.join(missing)} column: the first line must name the "
                f"columns ({expected}), as the export writes them."
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) == MAX_ROWS:
                raise InvalidInput(
                    f"The file has more than {MAX_ROWS:,} rows: split it into smaller files."
                )
            rows.append(
                (reader.line_num, {h: _uncell(v) for h, v in zip(header, values, strict=False)})
            )
    except csv.Error as error:
        raise InvalidInput(
            f"Line {reader.line_num} is not valid CSV ({error}): check its quotes."
        ) from None
    if not rows:
        raise InvalidInput("The file has column names but no rows.")
    return rows
