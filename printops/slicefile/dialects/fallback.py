"""Any other slicer: heater commands and layer changes from the head, nothing else claimed."""

from __future__ import annotations

from printops.slicefile.draft import Draft
from printops.slicefile.gcode_text import GcodeText

NAME = "unknown slicer"


def detect(text: GcodeText) -> bool:
    return True


def parse(text: GcodeText, draft: Draft) -> None:
    draft.warnings.append(
        "The slicer was not recognised; only heater commands and layers were read."
    )
