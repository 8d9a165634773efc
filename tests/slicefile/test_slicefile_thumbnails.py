"""Thumbnails are decoded and re-encoded at a bounded size; a decompression bomb (a PNG that
declares 20000 × 20000 pixels in a few hundred bytes) is left out with a warning."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from printops.slicefile import SliceFileError, read, read_with_thumbnail, thumbnail_bytes
from printops.slicefile.thumbnails import MAX_SERVED_SIDE_PX
from tests.thumbnail_files import gcode_with_thumbnails, png_bomb, real_png


def test_a_thumbnail_declaring_twenty_thousand_squared_pixels_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "bomb.gcode"
    path.write_text(gcode_with_thumbnails(("20000x20000", png_bomb())))
    metadata, png = read_with_thumbnail(path)
    assert png is None and metadata.thumbnails == ()
    assert any("20000 × 20000" in warning for warning in metadata.warnings)
    assert read(path).thumbnails == ()


def test_a_bomb_behind_a_small_declared_size_is_caught_when_decoding(tmp_path: Path) -> None:
    path = tmp_path / "liar.gcode"
    path.write_text(gcode_with_thumbnails(("300x300", png_bomb()), ("16x16", real_png(16, 16))))
    metadata, png = read_with_thumbnail(path)
    assert png is not None and Image.open(io.BytesIO(png)).size == (16, 16)
    assert any("20000 × 20000" in warning for warning in metadata.warnings)
    with pytest.raises(SliceFileError, match="16 million"):
        thumbnail_bytes(path, 0)


def test_a_large_png_thumbnail_is_served_at_a_bounded_size(tmp_path: Path) -> None:
    path = tmp_path / "large.gcode"
    path.write_text(gcode_with_thumbnails(("2000x1500", real_png(2000, 1500))))
    kind, data = thumbnail_bytes(path, 0)
    image = Image.open(io.BytesIO(data))
    assert kind == "png" and image.format == "PNG"
    assert image.size == (MAX_SERVED_SIDE_PX, 768)


def test_a_normal_png_thumbnail_is_re_encoded_not_passed_through(tmp_path: Path) -> None:
    original = real_png(220, 124) + b"trailing bytes a browser would never see"
    path = tmp_path / "normal.gcode"
    path.write_text(gcode_with_thumbnails(("220x124", original)))
    metadata, png = read_with_thumbnail(path)
    assert png is not None and png != original
    assert Image.open(io.BytesIO(png)).size == (220, 124) and metadata.warnings == ()
