"""Spool label sheet: one QR per spool, escaped text, print CSS, nothing loaded from outside."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

import pytest
import segno

from printops.materials.labels import (
    QUIET_ZONE_MODULES,
    SpoolLabel,
    label_sheet_html,
    qr_svg,
)

URL = "https://printops.example/alice-prints/materials/spools/42/"


def spool_label(**overrides: str) -> SpoolLabel:
    fields = {
        "code": "S-0042",
        "url": URL,
        "title": "Bambu Lab PLA Basic",
        "subtitle": "Bambu Green · 1 kg · lot 2407A",
        "color_hex": "#00AE42",
    }
    fields.update(overrides)
    return SpoolLabel(**fields)


def dark_modules_in(svg: str) -> set[tuple[int, int]]:
    """Read back the modules qr_svg drew: each run is `M{x} {y}h{n}v1h-{n}z`."""
    (path,) = re.findall(r'<path fill="#000" d="([^"]*)"', svg)
    modules: set[tuple[int, int]] = set()
    for x, y, length in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path):
        modules |= {(int(x) + i, int(y)) for i in range(int(length))}
    assert re.sub(r"M(\d+) (\d+)h(\d+)v1h-\3z", "", path) == ""
    return modules


def segno_dark_modules(url: str) -> set[tuple[int, int]]:
    matrix = segno.make_qr(url, error="m", boost_error=False).matrix
    return {
        (x + QUIET_ZONE_MODULES, y + QUIET_ZONE_MODULES)
        for y, row in enumerate(matrix)
        for x, cell in enumerate(row)
        if cell
    }


class _ElementStack(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "input", "hr", "rect", "path"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.mismatches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.mismatches.append(tag)


def test_the_sheet_is_a_complete_well_formed_document() -> None:
    html = label_sheet_html([spool_label(), spool_label(code="S-0043")])
    assert html.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in html
    parser = _ElementStack()
    parser.feed(html)
    assert parser.mismatches == []
    assert parser.open == []


def test_each_spool_gets_exactly_one_qr_code_for_its_own_url() -> None:
    labels = [spool_label(code=f"S-{n}", url=f"{URL}?n={n}") for n in range(5)]
    html = label_sheet_html(labels)
    assert html.count('<svg class="qr"') == 5
    for label in labels:
        assert html.count(qr_svg(label.url)) == 1


def test_each_label_shows_its_code_title_subtitle_and_colour() -> None:
    html = label_sheet_html([spool_label()])
    assert '<p class="code">S-0042</p>' in html
    assert "Bambu Lab PLA Basic" in html
    assert "Bambu Green · 1 kg · lot 2407A" in html
    assert 'fill="#00AE42"' in html


def test_the_swatch_shows_the_normalised_colour() -> None:
    html = label_sheet_html([spool_label(color_hex="00ae42")])
    assert 'fill="#00AE42"' in html
    assert '<span class="hex">#00AE42</span>' in html


def test_a_spool_without_a_colour_gets_a_no_colour_swatch() -> None:
    html = label_sheet_html([spool_label(color_hex="")])
    assert "no colour" in html


def test_a_spool_with_a_bad_colour_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match=r"^Spool S-0042: “green” is not a colour"):
        label_sheet_html([spool_label(color_hex="green")])


def test_hostile_text_is_escaped_everywhere() -> None:
    html = label_sheet_html(
        [
            spool_label(
                code="<b>S-1</b>",
                title="<script>alert(1)</script>",
                subtitle='" onmouseover="alert(2)',
                url='https://evil.example/"><script>alert(3)</script>',
            )
        ]
    )
    assert "<script" not in html.lower()
    assert "<b>" not in html
    assert '" onmouseover="' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;S-1&lt;/b&gt;" in html


def test_the_sheet_loads_nothing_from_outside() -> None:
    html = label_sheet_html([spool_label()]).lower()
    for needle in ("<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import"):
        assert needle not in html


def test_the_sheet_has_print_css_that_keeps_labels_whole() -> None:
    html = label_sheet_html([spool_label()])
    assert re.search(r"@page \{[^}]*margin: 10mm", html)
    assert "break-inside: avoid" in html
    assert "page-break-inside: avoid" in html
    assert "print-color-adjust: exact" in html


def test_columns_set_the_number_of_labels_per_row() -> None:
    assert "repeat(2, minmax(0, 1fr))" in label_sheet_html([spool_label()], columns=2)
    assert "repeat(3, minmax(0, 1fr))" in label_sheet_html([spool_label()])


@pytest.mark.parametrize("columns", [0, 7, -1])
def test_columns_outside_one_to_six_are_refused(columns: int) -> None:
    with pytest.raises(ValueError, match=r"Choose between 1 and 6 labels per row\."):
        label_sheet_html([spool_label()], columns=columns)


def test_no_spools_gives_a_sheet_that_says_so() -> None:
    html = label_sheet_html([])
    assert "No spools selected." in html
    assert '<svg class="qr"' not in html
    assert html.rstrip().endswith("</html>")


def test_qr_svg_draws_exactly_segnos_modules_at_error_correction_m() -> None:
    svg = qr_svg(URL)
    expected = segno_dark_modules(URL)
    drawn = dark_modules_in(svg)
    assert drawn == expected
    assert len(drawn) == len(expected)


def test_qr_svg_leaves_a_four_module_quiet_zone() -> None:
    size = len(segno.make_qr(URL, error="m", boost_error=False).matrix)
    svg = qr_svg(URL)
    total = size + 2 * QUIET_ZONE_MODULES
    assert f'viewBox="0 0 {total} {total}"' in svg
    drawn = dark_modules_in(svg)
    assert min(x for x, _ in drawn) == QUIET_ZONE_MODULES
    assert max(y for _, y in drawn) == QUIET_ZONE_MODULES + size - 1


def test_a_short_url_still_gets_a_full_size_qr_code_not_micro_qr() -> None:
    svg = qr_svg("S1")
    assert 'viewBox="0 0 29 29"' in svg  # version 1: 21 modules + 2 × 4 quiet zone


def test_qr_svg_refuses_an_empty_url() -> None:
    with pytest.raises(ValueError, match="A QR code needs a URL"):
        qr_svg("")


def test_qr_svg_refuses_a_url_too_long_for_any_qr_code() -> None:
    with pytest.raises(ValueError, match="too long for a QR code"):
        qr_svg("https://printops.example/" + "a" * 3000)


def test_a_spool_label_cannot_be_changed_after_it_is_made() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        spool_label().code = "S-9"  # type: ignore[misc]
