"""Mesh geometry: triangle count, bounding-box size and enclosed volume of STL and 3MF meshes.

Geometry needs every triangle, so its cost grows with the mesh; it is capped instead: a binary
STL must be exactly 84 + 50·n bytes (a header claiming 4 billion triangles is a lie caught
before reading), and meshes beyond the caps are measured no further.
"""

from __future__ import annotations

import re
import struct
import zipfile
from typing import BinaryIO

from printops.slicefile.errors import SliceFileError
from printops.slicefile.model import Geometry
from printops.slicefile.safezip import read_member

MAX_TRIANGLES = 5_000_000
MAX_ASCII_STL_BYTES = 256 * 1024 * 1024
MAX_3MF_MESH_BYTES = 64 * 1024 * 1024
_FACET = struct.Struct("<12x9f2x")
_ASCII_VERTEX = re.compile(rb"vertex\s+([-+\d.eE]+)\s+([-+\d.eE]+)\s+([-+\d.eE]+)")
_XML_VERTEX = re.compile(rb"<(?:\w+:)?vertex\b([^>]*)/?>")
_XML_TRIANGLE = re.compile(rb"<(?:\w+:)?triangle\b([^>]*)/?>")
_XML_ATTRIBUTE = re.compile(rb'\b(x|y|z|v1|v2|v3)="([^"]*)"')
_XML_MESH = re.compile(rb"<(?:\w+:)?mesh\b")
_XML_OBJECT_NAME = re.compile(rb'<(?:\w+:)?object\b[^>]*?\bname="([^"]*)"')


class _Accumulator:
    """Bounding box and signed volume (sum of tetrahedra to the origin) of a triangle soup."""

    def __init__(self) -> None:
        self.triangles = 0
        self.low = [float("inf")] * 3
        self.high = [float("-inf")] * 3
        self.six_volume = 0.0

    def add_points(self, xs: list[float], ys: list[float], zs: list[float]) -> None:
        if xs:
            self.low = [
                min(self.low[0], min(xs)),
                min(self.low[1], min(ys)),
                min(self.low[2], min(zs)),
            ]
            self.high = [
                max(self.high[0], max(xs)),
                max(self.high[1], max(ys)),
                max(self.high[2], max(zs)),
            ]

    def add_triangle(
        self,
        ax: float,
        ay: float,
        az: float,
        bx: float,
        by: float,
        bz: float,
        cx: float,
        cy: float,
        cz: float,
    ) -> None:
        self.triangles += 1
        self.six_volume += (
            ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx)
        )

    def geometry(self) -> Geometry | None:
        if self.triangles == 0 or self.low[0] == float("inf"):
            return None
        size = (
            round(self.high[0] - self.low[0], 4),
            round(self.high[1] - self.low[1], 4),
            round(self.high[2] - self.low[2], 4),
        )
        return Geometry(
            triangles=self.triangles, size_mm=size, volume_cm3=round(abs(self.six_volume) / 6000, 4)
        )


def measure_stl(handle: BinaryIO, size_bytes: int) -> Geometry:
    head = handle.read(512)
    handle.seek(0)
    if size_bytes >= 84:
        (count,) = struct.unpack("<I", head[80:84])
        if 84 + 50 * count == size_bytes:
            return _binary_stl(handle, count)
    if head.lstrip().lower().startswith(b"solid"):
        return _ascii_stl(handle, size_bytes)
    if size_bytes >= 84:
        (count,) = struct.unpack("<I", head[80:84])
        raise SliceFileError(
            f"The STL header claims {count} triangles, which needs {84 + 50 * count} bytes, "
            f"but the file has {size_bytes}; it is truncated or not an STL."
        )
    raise SliceFileError("The file is too short to be an STL mesh.")


def _binary_stl(handle: BinaryIO, count: int) -> Geometry:
    if count > MAX_TRIANGLES:
        raise SliceFileError(
            f"The STL has {count} triangles, more than the {MAX_TRIANGLES} measured."
        )
    handle.seek(84)
    accumulator = _Accumulator()
    remaining = count
    while remaining:
        batch = min(remaining, 20_000)
        data = handle.read(50 * batch)
        if len(data) < 50 * batch:
            raise SliceFileError("The STL ends before its last triangle.")
        values = [v for facet in _FACET.iter_unpack(data) for v in facet]
        for i in range(0, len(values), 9):
            accumulator.add_triangle(*values[i : i + 9])
        accumulator.add_points(values[0::3], values[1::3], values[2::3])
        remaining -= batch
    geometry = accumulator.geometry()
    if geometry is None:
        raise SliceFileError("The STL holds no triangles.")
    return geometry


def _ascii_stl(handle: BinaryIO, size_bytes: int) -> Geometry:
    if size_bytes > MAX_ASCII_STL_BYTES:
        raise SliceFileError("The ASCII STL is larger than 256 MB; it is not measured.")
    data = handle.read(size_bytes)
    coordinates = []
    for match in _ASCII_VERTEX.finditer(data):
        try:
            coordinates.append(
                (float(match.group(1)), float(match.group(2)), float(match.group(3)))
            )
        except ValueError:
            raise SliceFileError("The ASCII STL has a vertex that is not a number.") from None
    if not coordinates or len(coordinates) % 3:
        raise SliceFileError("The ASCII STL holds no complete triangles.")
    accumulator = _Accumulator()
    for i in range(0, len(coordinates), 3):
        a, b, c = coordinates[i : i + 3]
        accumulator.add_triangle(*a, *b, *c)
    accumulator.add_points(
        [p[0] for p in coordinates], [p[1] for p in coordinates], [p[2] for p in coordinates]
    )
    geometry = accumulator.geometry()
    assert geometry is not None
    return geometry


def measure_3mf(
    archive: zipfile.ZipFile, members: list[str]
) -> tuple[Geometry | None, list[str]] | None:
    """Geometry over every mesh in `members` (object-local coordinates) and object names."""
    total = sum(archive.getinfo(name).file_size for name in members)
    if total > MAX_3MF_MESH_BYTES:
        raise SliceFileError("The 3MF meshes are larger than 64 MB; geometry was not measured.")
    accumulator = _Accumulator()
    names: list[str] = []
    for member in members:
        data = read_member(archive, member, MAX_3MF_MESH_BYTES)
        names.extend(n.decode("utf-8", "replace") for n in _XML_OBJECT_NAME.findall(data))
        # Each <mesh> holds its own vertices and the triangles that index them.
        for block in _XML_MESH.split(data)[1:]:
            _measure_xml_mesh(block, accumulator)
    geometry = accumulator.geometry()
    if geometry is None and not names:
        return None
    return geometry, names


def _measure_xml_mesh(block: bytes, accumulator: _Accumulator) -> None:
    vertices: list[tuple[float, float, float]] = []
    for match in _XML_VERTEX.finditer(block):
        attributes = dict(_XML_ATTRIBUTE.findall(match.group(1)))
        try:
            vertices.append(
                (float(attributes[b"x"]), float(attributes[b"y"]), float(attributes[b"z"]))
            )
        except (KeyError, ValueError):
            raise SliceFileError("A 3MF vertex lacks a numeric x, y or z.") from None
    if not vertices:
        return
    accumulator.add_points(
        [v[0] for v in vertices], [v[1] for v in vertices], [v[2] for v in vertices]
    )
    for match in _XML_TRIANGLE.finditer(block):
        attributes = dict(_XML_ATTRIBUTE.findall(match.group(1)))
        try:
            a, b, c = (vertices[int(attributes[k])] for k in (b"v1", b"v2", b"v3"))
        except (KeyError, ValueError, IndexError):
            raise SliceFileError("A 3MF triangle names a vertex that does not exist.") from None
        accumulator.add_triangle(*a, *b, *c)
        if accumulator.triangles > MAX_TRIANGLES:
            raise SliceFileError("The 3MF has more triangles than are measured.")
