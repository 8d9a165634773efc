"""A design is made in one place (services.design_get_or_create), so an upload, the API's
"new model" and a folder import clean a design's name by the same rule: runs of spaces become
one, and a blank name is refused. Only the import falls back to "Untitled", when it derives a
name from a path without words."""

import io
import struct

import pytest

from printops.core.errors import InvalidInput
from printops.library import services
from printops.library.grouping import suggest_grouping
from printops.library.import_plan import MESH, PlannedFile
from printops.library.import_tracking import FolderDesigns
from printops.library.models import Design
from printops.library.services.import_files import import_file_mesh

pytestmark = pytest.mark.django_db


def _stl() -> bytes:
    triangle = ((0, 0, 0), (10, 0, 0), (0, 10, 0))
    return b"\0" * 80 + struct.pack("<I", 1) + struct.pack("<12fH", 0, 0, 0, *sum(triangle, ()), 0)


def _by_upload(actor, name):
    data = _stl()
    version = services.version_upload(
        actor=actor,
        content=io.BytesIO(data),
        size_bytes=len(data),
        original_name="part.stl",
        design_name=name,
    )
    return version.variant.design


def _by_api(actor, name):
    return services.design_create(actor=actor, name=name)


def _by_import(actor, name, tmp_path):
    path = tmp_path / "part.stl"
    path.write_bytes(_stl())
    item = PlannedFile(str(path), "part.stl", MESH, path.stat().st_size)
    designs = FolderDesigns(actor.workspace)
    import_file_mesh(actor, item, designs, name, False)
    return Design.objects.get(workspace=actor.workspace)


CALLERS = {
    "upload": lambda actor, name, tmp_path: _by_upload(actor, name),
    "api": lambda actor, name, tmp_path: _by_api(actor, name),
    "import": _by_import,
}


@pytest.mark.parametrize("caller", CALLERS)
def test_every_caller_collapses_the_spaces_in_a_design_name(alice_actor, tmp_path, caller):
    design = CALLERS[caller](alice_actor, "  Desk \t  Organiser  ", tmp_path)

    assert design.name == "Desk Organiser"


@pytest.mark.parametrize("caller", CALLERS)
def test_every_caller_refuses_a_blank_design_name(alice_actor, tmp_path, caller):
    with pytest.raises(InvalidInput, match="Give the design a name"):
        CALLERS[caller](alice_actor, "   ", tmp_path)

    assert not Design.objects.filter(workspace=alice_actor.workspace).exists()


@pytest.mark.parametrize("caller", CALLERS)
def test_every_caller_refuses_a_design_name_over_200_characters(alice_actor, tmp_path, caller):
    with pytest.raises(InvalidInput, match="under 200 characters"):
        CALLERS[caller](alice_actor, "x" * 201, tmp_path)


def test_only_an_import_names_a_design_untitled_when_its_path_has_no_words():
    assert suggest_grouping("___/-.stl").design == "Untitled"
