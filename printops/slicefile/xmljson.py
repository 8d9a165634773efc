"""XML through defusedxml (no entities, no DTDs) and JSON with a size and depth guard."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from typing import Any

import defusedxml.ElementTree as SafeElementTree
from defusedxml import DefusedXmlException

from printops.slicefile.errors import SliceFileError

MAX_JSON_DEPTH = 64


def parse_xml(data: bytes, label: str) -> ElementTree.Element:
    try:
        root: ElementTree.Element = SafeElementTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError) as exc:
        raise SliceFileError(f"The {label} is not valid, safe XML ({exc}).") from None
    return root


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _depth_ok(text: str) -> bool:
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            return False
    return True


def parse_json(data: bytes, label: str) -> Any:
    text = data.decode("utf-8", "replace")
    # A quick structural check first: deep nesting is a bomb, not a config.
    if text.count("[") + text.count("{") > 2 * MAX_JSON_DEPTH and not _depth_ok(text):
        raise SliceFileError(f"The {label} nests JSON more than {MAX_JSON_DEPTH} levels deep.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise SliceFileError(f"The {label} is not valid JSON ({exc}).") from None
