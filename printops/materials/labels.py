"""Printable spool labels: a self-contained HTML sheet of QR codes, colour swatches and short codes.

Plain data in, a string out: no models, templates or static files, so the sheet can be served by
a view, saved to disk or attached to an email and still print the same. The page loads nothing
from outside; every QR code is inline SVG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import segno

from printops.materials.colour import normalise_hex

# The QR specification asks for four light modules around the symbol; phone cameras miss codes
# printed with less when a neighbouring label's ink sits close by.
QUIET_ZONE_MODULES = 4
MIN_COLUMNS = 1
MAX_COLUMNS = 6


@dataclass(frozen=True)
class SpoolLabel:
    """What one spool's label shows: its short code, the URL its QR opens, names and colour.

    `color_hex` may be "" for a spool whose colour was never recorded.
    """

    code: str
    url: str
    title: str
    subtitle: str
    color_hex: str


def _qr_matrix(url: str) -> Sequence[Sequence[int]]:
    if not url:
        raise ValueError("A QR code needs a URL to point to.")
    try:
        # Error correction M survives about 15% damage (a scuffed or curled label) and keeps the
        # symbol small. boost_error is off so the level is always M, whatever fits; micro=False
        # because many phone camera apps cannot read Micro QR.
        code = segno.make_qr(url, error="m", boost_error=False)
    except segno.DataOverflowError:
        raise ValueError("That URL is too long for a QR code; use a shorter link.") from None
    return code.matrix


def qr_svg(url: str) -> str:
    """Return an inline SVG QR code (error correction M, with its quiet zone) that opens `url`.

    The SVG has a viewBox and no fixed size, so CSS decides how large it prints. Each row's
    runs of dark modules are one rectangle in a single path.
    """
    matrix = _qr_matrix(url)
    size = len(matrix) + 2 * QUIET_ZONE_MODULES
    runs: list[str] = []
    for row_index, row in enumerate(matrix):
        y = row_index + QUIET_ZONE_MODULES
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            length = column - start
            runs.append(f"M{start + QUIET_ZONE_MODULES} {y}h{length}v1h-{length}z")
    return (
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="QR code for {escape(url)}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/>'
        "</svg>"
    )


def _swatch(label: SpoolLabel) -> str:
    # A filled SVG shape, not a CSS background: browsers leave backgrounds out of print by
    # default, and the swatch is the point of the label.
    if not label.color_hex.strip():
        return (
            '<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">'
            '<rect x="0.5" y="0.5" width="9" height="9" fill="#fff" stroke="#000"/>'
            '<path d="M1 9 9 1" stroke="#000"/></svg>'
            '<span class="hex">no colour</span>'
        )
    try:
        colour = normalise_hex(label.color_hex)
    except ValueError as error:
        raise ValueError(f"Spool {label.code}: {error}") from None
    return (
        '<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">'
        f'<rect x="0.5" y="0.5" width="9" height="9" fill="{colour}" stroke="#000"/></svg>'
        f'<span class="hex">{colour}</span>'
    )


def _label_html(label: SpoolLabel) -> str:
    lines = [
        '<article class="label">',
        qr_svg(label.url),
        '<div class="text">',
        f'<p class="code">{escape(label.code)}</p>',
    ]
    if label.title:
        lines.append(f'<p class="title">{escape(label.title)}</p>')
    if label.subtitle:
        lines.append(f'<p class="subtitle">{escape(label.subtitle)}</p>')
    lines += [f'<p class="colour">{_swatch(label)}</p>', "</div>", "</article>"]
    return "\n".join(lines)


# Millimetres throughout, so a label measures the same on A4 and Letter. The sheet is at most
# 190 mm wide: A4 (210 mm) less two 10 mm margins, which also fits Letter (215.9 mm). Page size is
# left to the printer dialog, so one file serves both papers.
_STYLE = """
@page { margin: 10mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: #000; background: #fff;
  font: 9pt/1.25 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
.hint { margin: 0 auto 6mm; max-width: 190mm; font-size: 11pt; }
.sheet {
  display: grid; grid-template-columns: repeat(__COLUMNS__, minmax(0, 1fr)); gap: 3mm;
  max-width: 190mm; margin: 0 auto;
}
.label {
  display: flex; align-items: center; gap: 2.5mm; min-height: 32mm; padding: 2.5mm;
  border: 0.3mm dashed #888; overflow: hidden;
  break-inside: avoid; page-break-inside: avoid;
}
.sheet.narrow .label { flex-direction: column; align-items: stretch; text-align: center; }
.qr { display: block; flex: none; width: 24mm; height: 24mm; }
.sheet.narrow .qr { margin: 0 auto; }
.text { min-width: 0; flex: 1; }
.text p { margin: 0; overflow-wrap: anywhere; }
.code {
  font: 700 15pt/1.1 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  letter-spacing: 0.04em;
}
.text .title { margin-top: 1mm; font-weight: 600; }
.subtitle { color: #333; }
.text .colour { display: flex; align-items: center; gap: 1.5mm; margin-top: 1mm; }
.sheet.narrow .text .colour { justify-content: center; }
.swatch { display: block; flex: none; width: 5mm; height: 5mm; }
.hex { font: 8pt ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.empty { font-size: 12pt; }
@media screen {
  body { background: #e8e8e8; padding: 10mm; }
  .sheet { background: #fff; padding: 10mm; max-width: 210mm; }
}
@media print { .hint { display: none; } }
"""


def label_sheet_html(labels: Sequence[SpoolLabel], *, columns: int = 3) -> str:
    """Return a complete HTML page of spool labels, `columns` per row, ready to print."""
    if not MIN_COLUMNS <= columns <= MAX_COLUMNS:
        raise ValueError(f"Choose between {MIN_COLUMNS} and {MAX_COLUMNS} labels per row.")
    if labels:
        body = "\n".join(_label_html(label) for label in labels)
        count = f"{len(labels)} spool label{'s' if len(labels) != 1 else ''}"
        hint = f'<p class="hint">{count}. Print at 100% scale on A4 or Letter.</p>'
    else:
        body = '<p class="empty">No spools selected.</p>'
        count = "No spool labels"
        hint = ""
    # Below about 45 mm per label the QR code and the text no longer fit side by side.
    sheet_class = "sheet narrow" if columns >= 4 else "sheet"
    style = _STYLE.replace("__COLUMNS__", str(columns))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>{count}</title>
<style>{style}</style>
</head>
<body>
{hint}
<main class="{sheet_class}">
{body}
</main>
</body>
</html>
"""
