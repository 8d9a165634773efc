"""Read sliced 3D-printing files (.gcode .bgcode .3mf .gcode.3mf .ufp .stl .gx) into
`SliceMetadata`, without Django and without reading more of a file than its metadata needs.

    read(path) -> SliceMetadata                      # .to_dict() is the JSON contract
    thumbnail_bytes(path, index) -> ("png", bytes)   # decoded, re-encoded as bounded PNG
    read_with_thumbnail(path) -> (SliceMetadata, PNG bytes | None)   # the best that decodes
    filament_by_layer(path) -> FilamentByLayer       # cumulative grams at each layer change
    SliceFileError                                   # unreadable input; message is a sentence
"""

from printops.slicefile.errors import SliceFileError
from printops.slicefile.layers import FilamentByLayer, LayerUsage, filament_by_layer
from printops.slicefile.model import Filament, Geometry, Plate, SliceMetadata, Slicer, Thumbnail
from printops.slicefile.reader import read
from printops.slicefile.thumbnails import read_with_thumbnail, thumbnail_bytes

__all__ = [
    "Filament",
    "FilamentByLayer",
    "Geometry",
    "LayerUsage",
    "Plate",
    "SliceFileError",
    "SliceMetadata",
    "Slicer",
    "Thumbnail",
    "filament_by_layer",
    "read",
    "read_with_thumbnail",
    "thumbnail_bytes",
]
