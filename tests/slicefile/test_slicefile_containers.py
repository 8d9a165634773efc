"""Containers built in the test: bgcode blocks, 3MF and UFP zips, STL meshes, .gx headers."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from printops.slicefile import SliceFileError, read, thumbnail_bytes


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def _jpg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 10)).save(out, format="JPEG")
    return out.getvalue()


def _block(kind: int, payload: bytes, params: bytes, deflate: bool = False) -> bytes:
    if deflate:
        packed = zlib.compress(payload)
        header = struct.pack("<HHII", kind, 1, len(payload), len(packed))
        return header + params + packed + struct.pack("<I", zlib.crc32(packed))
    header = struct.pack("<HHI", kind, 0, len(payload))
    return header + params + payload + struct.pack("<I", zlib.crc32(payload))


def _bgcode(*, heatshrink_gcode: bool = True) -> bytes:
    ini = struct.pack("<H", 0)
    parts = [
        b"GCDE" + struct.pack("<IH", 1, 1),
        _block(0, b"Producer=PrusaSlicer 2.8.1\n", ini),
        _block(3, b"printer_model=MK4S\nnozzle_diameter=0.4\nlayer_height=0.2\n", ini),
        _block(5, _png(16, 16), struct.pack("<HHH", 0, 16, 16)),
        _block(5, _jpg(32, 24), struct.pack("<HHH", 1, 32, 24)),
        _block(
            4,
            b"filament used [mm]=252.22\nfilament used [g]=0.75\n"
            b"estimated printing time (normal mode)=3m 41s\n",
            ini,
            deflate=True,
        ),
        _block(
            2,
            b"temperature=225\nfirst_layer_temperature=230\nbed_temperature=60\n"
            b"first_layer_bed_temperature=60\nfilament_type=PLA\n",
            ini,
            deflate=True,
        ),
        _block(1, b"G1 X1\n" * 10, struct.pack("<H", 1)),
    ]
    return b"".join(parts)


def test_bgcode_metadata_blocks_and_thumbnails(tmp_path: Path) -> None:
    path = tmp_path / "cube.bgcode"
    path.write_bytes(_bgcode())
    metadata = read(path)
    assert metadata.format == "bgcode"
    assert metadata.slicer is not None and metadata.slicer.version == "2.8.1"
    assert (metadata.printer_model, metadata.nozzle_diameter_mm) == ("MK4S", 0.4)
    assert (metadata.nozzle_temperature_c, metadata.nozzle_temperature_first_layer_c) == (225, 230)
    assert (metadata.print_time_s, metadata.total_filament_g) == (221, 0.75)
    assert [f.type for f in metadata.filaments] == ["PLA"]
    assert [(t.width, t.format) for t in metadata.thumbnails] == [(16, "png"), (32, "jpg")]


def test_a_bgcode_jpg_thumbnail_is_returned_as_png(tmp_path: Path) -> None:
    path = tmp_path / "cube.bgcode"
    path.write_bytes(_bgcode())
    kind, data = thumbnail_bytes(path, 1)
    assert kind == "png"
    assert Image.open(io.BytesIO(data)).size == (32, 24)


def test_a_bgcode_block_claiming_more_than_the_file_is_refused(tmp_path: Path) -> None:
    data = b"GCDE" + struct.pack("<IH", 1, 0) + struct.pack("<HHI", 3, 0, 10**9) + b"\0\0abc"
    path = tmp_path / "liar.bgcode"
    path.write_bytes(data)
    with pytest.raises(SliceFileError, match="more than the rest of the file"):
        read(path)


SLICE_INFO = """<?xml version="1.0" encoding="UTF-8"?>
<config>
  <header><header_item key="X-BBL-Client-Version" value="02.04.00.70"/></header>
  <plate>
    <metadata key="index" value="1"/><metadata key="prediction" value="1216"/>
    <metadata key="weight" value="6.75"/>
    <object identify_id="75" name="Cube" skipped="false" />
    <filament id="1" type="PLA" color="#00AE42" used_m="2.23" used_g="6.75"/>
  </plate>
  <plate>
    <metadata key="index" value="2"/><metadata key="prediction" value="1094"/>
    <metadata key="weight" value=""/>
    <filament id="3" type="PETG" color="#FFFFFF" used_m="1.29" used_g="3.91"/>
  </plate>
</config>"""


def _bambu_3mf(path: Path, *, gcode_generator: str | None) -> None:
    settings = (
        '{"filament_type": ["PLA", "PLA", "PETG"], "nozzle_temperature": ["220", "220", "240"],'
        ' "curr_bed_type": "Cool Plate", "cool_plate_temp": ["35", "35", "60"],'
        ' "cool_plate_temp_initial_layer": ["40", "40", "60"], "layer_height": "0.2",'
        ' "nozzle_diameter": ["0.4"], "printer_model": "Bambu Lab X1 Carbon"}'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "3D/3dmodel.model",
            '<model><metadata name="Application">BambuStudio-02.04.00.70</metadata></model>',
        )
        archive.writestr("Metadata/project_settings.config", settings)
        archive.writestr("Metadata/slice_info.config", SLICE_INFO)
        archive.writestr("Metadata/plate_1.png", _png(64, 48))
        if gcode_generator:
            archive.writestr(
                "Metadata/plate_1.gcode",
                "; HEADER_BLOCK_START\n" + gcode_generator + "\n; HEADER_BLOCK_END\nG1 X1\n",
            )


def test_gcode_3mf_plates_come_from_slice_info(tmp_path: Path) -> None:
    path = tmp_path / "two.gcode.3mf"
    _bambu_3mf(path, gcode_generator="; BambuStudio 02.04.00.70")
    metadata = read(path)
    assert metadata.format == "gcode.3mf"
    assert [(p.index, p.print_time_s, p.filament_g) for p in metadata.plates] == [
        (1, 1216, 6.75),
        (2, 1094, 3.91),
    ]
    assert (metadata.print_time_s, metadata.total_filament_g) == (1216, 6.75)
    assert [(f.slot, f.type, f.color_hex) for f in metadata.filaments] == [(0, "PLA", "#00AE42")]
    assert (metadata.bed_temperature_c, metadata.bed_temperature_first_layer_c) == (35, 40)
    assert metadata.objects == ("Cube",)
    assert [(t.width, t.height, t.plate) for t in metadata.thumbnails] == [(64, 48, 1)]


def test_an_orca_3mf_claiming_to_be_bambu_studio_is_orca(tmp_path: Path) -> None:
    path = tmp_path / "orca.gcode.3mf"
    _bambu_3mf(path, gcode_generator="; generated by OrcaSlicer 2.3.1-beta on 2025-01-01")
    metadata = read(path)
    assert metadata.slicer is not None
    assert (metadata.slicer.name, metadata.slicer.version) == ("OrcaSlicer", "2.3.1-beta")


def test_a_project_3mf_has_settings_but_no_statistics(tmp_path: Path) -> None:
    path = tmp_path / "project.3mf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "Metadata/Slic3r_PE.config",
            "; generated by PrusaSlicer 2.9.4 on 2025-01-01\n; layer_height = 0.2\n"
            "; filament_type = PLA;PETG\n; temperature = 220,240\n",
        )
        archive.writestr(
            "3D/3dmodel.model",
            '<model><resources><object id="1" name="Box"><mesh><vertices>'
            '<vertex x="0" y="0" z="0"/><vertex x="10" y="0" z="0"/>'
            '<vertex x="0" y="10" z="0"/><vertex x="0" y="0" z="10"/></vertices><triangles>'
            '<triangle v1="0" v2="2" v3="1"/><triangle v1="0" v2="1" v3="3"/>'
            '<triangle v1="0" v2="3" v3="2"/><triangle v1="1" v2="2" v3="3"/>'
            "</triangles></mesh></object></resources></model>",
        )
    metadata = read(path)
    assert metadata.format == "3mf"
    assert metadata.print_time_s is None
    assert [f.type for f in metadata.filaments] == ["PLA", "PETG"]
    assert metadata.geometry is not None
    assert metadata.geometry.triangles == 4
    assert metadata.geometry.size_mm == (10.0, 10.0, 10.0)
    assert abs(metadata.geometry.volume_cm3 - 1000 / 6 / 1000) < 1e-3
    assert metadata.objects == ("Box",)


def test_ufp_reads_the_griffin_header_and_the_thumbnail(tmp_path: Path) -> None:
    path = tmp_path / "part.ufp"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "/3D/model.gcode",
            ";START_OF_HEADER\n;FLAVOR:Griffin\n;GENERATOR.NAME:Cura_SteamEngine\n"
            ";GENERATOR.VERSION:5.2.1\n;PRINT.TIME:480\n;EXTRUDER_TRAIN.0.NOZZLE.DIAMETER:0.8\n"
            ";END_OF_HEADER\nG1 X1\n",
        )
        archive.writestr("/Metadata/thumbnail.png", _png(300, 300))
    metadata = read(path)
    assert metadata.format == "ufp"
    assert (metadata.print_time_s, metadata.nozzle_diameter_mm) == (480, 0.8)
    assert [(t.width, t.format) for t in metadata.thumbnails] == [(300, "png")]
    assert thumbnail_bytes(path, 0)[1].startswith(b"\x89PNG")


def _tetrahedron() -> list[tuple[tuple[float, float, float], ...]]:
    a, b, c, d = (0.0, 0.0, 0.0), (10.0, 0.0, 0.0), (0.0, 10.0, 0.0), (0.0, 0.0, 10.0)
    return [(a, c, b), (a, b, d), (a, d, c), (b, c, d)]


def test_binary_stl_geometry(tmp_path: Path) -> None:
    facets = _tetrahedron()
    data = b"\0" * 80 + struct.pack("<I", len(facets))
    for facet in facets:
        data += (
            struct.pack("<3f", 0, 0, 0) + b"".join(struct.pack("<3f", *v) for v in facet) + b"\0\0"
        )
    path = tmp_path / "tetra.stl"
    path.write_bytes(data)
    geometry = read(path).geometry
    assert geometry is not None
    assert (geometry.triangles, geometry.size_mm) == (4, (10.0, 10.0, 10.0))
    assert abs(geometry.volume_cm3 - 0.1667) < 1e-3


def test_ascii_stl_geometry(tmp_path: Path) -> None:
    lines = ["solid tetra"]
    for facet in _tetrahedron():
        lines += ["facet normal 0 0 0", "outer loop"]
        lines += [f"vertex {x} {y} {z}" for x, y, z in facet]
        lines += ["endloop", "endfacet"]
    path = tmp_path / "tetra.stl"
    path.write_text("\n".join([*lines, "endsolid tetra"]))
    geometry = read(path).geometry
    assert geometry is not None and geometry.triangles == 4


def test_an_stl_header_claiming_four_billion_triangles_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liar.stl"
    path.write_bytes(b"\0" * 80 + struct.pack("<I", 4_000_000_000) + b"\0" * 100)
    with pytest.raises(SliceFileError, match="claims 4000000000 triangles"):
        read(path)


def test_flashprint_gx_header_gives_time_filament_and_preview(tmp_path: Path) -> None:
    bmp = b"BM" + b"\0" * 62
    png = _png(80, 60)
    text = (
        b";generated by ffslicer 2.4.4 05/13/25\n;right_extruder_material: PLA\n"
        b";start gcode\nG1 X1\n"
    )
    bmp_at = 58
    png_at = bmp_at + len(bmp)
    gcode_at = png_at + len(png)
    header = (
        b"xgcode 1.0\n\0"
        + struct.pack(
            "<IIIIIII8H", 0, bmp_at, png_at, gcode_at, 892, 936, 0, 5, 200, 0, 2, 50, 55, 220, 0
        )
        + b"\x01\xff"
    )  # material codes, right and left
    path = tmp_path / "part.gx"
    path.write_bytes(header + bmp + png + text)
    metadata = read(path)
    assert (metadata.print_time_s, metadata.total_filament_mm) == (892, 936.0)
    assert (metadata.layer_height_mm, metadata.bed_temperature_c) == (0.2, 55)
    assert [(t.width, t.format) for t in metadata.thumbnails] == [(80, "png")]


def test_a_jpg_thumbnail_embedded_in_gcode_is_converted_to_png(tmp_path: Path) -> None:
    import base64

    encoded = base64.b64encode(_jpg(20, 10)).decode()
    lines = "".join(f"; {encoded[i : i + 78]}\n" for i in range(0, len(encoded), 78))
    path = tmp_path / "part.gcode"
    path.write_text(
        f"; generated by PrusaSlicer 2.8.1\n; thumbnail_JPG begin 20x10 {len(encoded)}\n{lines}"
        "; thumbnail_JPG end\nG1 X1\n"
    )
    kind, data = thumbnail_bytes(path, 0)
    assert kind == "png"
    assert Image.open(io.BytesIO(data)).size == (20, 10)


def test_a_large_thumbnail_is_skipped_by_its_declared_length(tmp_path: Path) -> None:
    payload = "A" * 2_000_000
    lines = "".join(f"; {payload[i : i + 78]}\n" for i in range(0, len(payload), 78))
    path = tmp_path / "big_thumb.gcode"
    path.write_text(
        "; HEADER_BLOCK_START\n; BambuStudio 01.10.02.76\n; HEADER_BLOCK_END\n"
        f"; thumbnail begin 640x480 {len(payload)}\n{lines}; thumbnail end\n"
        "; CONFIG_BLOCK_START\n; filament_type = PETG\n; CONFIG_BLOCK_END\n"
        + "G1 X1 E1\n"
        * 200_000
    )
    metadata = read(path)
    assert [f.type for f in metadata.filaments] == ["PETG"]
