import io
import shutil
import struct
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from printops.core.errors import InvalidInput, NotAllowed
from printops.core.models import Blob
from printops.library import import_archives, services
from printops.library.models import (
    Design,
    DesignFile,
    DesignImage,
    ImportJob,
    Variant,
    VariantVersion,
)

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _stl() -> bytes:
    triangles = [
        ((0, 0, 0), (10, 0, 0), (0, 10, 0)),
        ((0, 0, 0), (0, 10, 0), (0, 0, 10)),
        ((0, 0, 0), (0, 0, 10), (10, 0, 0)),
        ((10, 0, 0), (0, 0, 10), (0, 10, 0)),
    ]
    return (
        b"\0" * 80
        + struct.pack("<I", len(triangles))
        + b"".join(struct.pack("<12fH", 0, 0, 0, *a, *b, *c, 0) for a, b, c in triangles)
    )


@pytest.fixture
def tree(tmp_path, corpus_file):
    """A Windows-ish library folder: two variants of a dragon, a cube, a source mesh, a photo,
    and the litter Windows and macOS leave behind."""
    root = tmp_path / "My Prints"
    (root / "Dragons" / "Large").mkdir(parents=True)
    (root / "Dragons" / "Small").mkdir()
    (root / "Cubes").mkdir()
    (root / "__MACOSX").mkdir()
    shutil.copy(
        corpus_file("prusaslicer/ps020801_mini_cube.gcode"),
        root / "Dragons" / "Large" / "dragon_v2.GCODE",
    )
    shutil.copy(
        corpus_file("bambu_studio/bs020400_a1mini.gcode.3mf"),
        root / "Dragons" / "Small" / "dragon small PLA-red.gcode.3mf",
    )
    shutil.copy(corpus_file("prusaslicer/ps020101_mini_petg.gcode"), root / "Cubes" / "cube.gcode")
    (root / "Dragons" / "dragon.stl").write_bytes(_stl())
    (root / "Dragons" / "Fotó 1.PNG").write_bytes(PNG)
    (root / "Dragons" / "Thumbs.db").write_bytes(b"junk")
    (root / "Dragons" / "desktop.ini").write_bytes(b"junk")
    (root / "__MACOSX" / "._cube.gcode").write_bytes(b"junk")
    (root / ".hidden.gcode").write_bytes(b"junk")
    (root / "notes.txt").write_text("print at 210")
    return root


def _run(actor, root, *, dry_run=False):
    job = services.import_job_create(actor=actor, name=root.name, dry_run=dry_run)
    return services.import_run(actor=actor, job=job, root=root)


def test_a_tree_is_grouped_from_its_folder_names(alice_actor, tree):
    job = _run(alice_actor, tree)
    assert job.status == ImportJob.Status.DONE
    assert (job.total_files, job.imported_files, job.skipped_files, job.failed_files) == (
        5,
        5,
        0,
        0,
    )
    variants = {str(v) for v in Variant.objects.all()}
    assert variants == {"Dragon · Large · PLA", "Dragon · Small · PLA red", "Cube · PETG"}
    dragon = Design.objects.get(name="Dragon")
    assert [f.original_name for f in dragon.files.all()] == ["dragon.stl"]
    assert dragon.files.get().geometry["triangles"] == 4
    image = DesignImage.objects.get()
    assert (image.design, image.original_name, image.is_primary) == (dragon, "Fotó 1.PNG", True)
    assert "imported Dragons/Large/dragon_v2.GCODE → Dragon · Large · PLA v1" in job.report
    assert "ignored notes.txt: not a sliced file, model or image" in job.report
    assert not any("MACOSX" in line or "Thumbs" in line or "hidden" in line for line in job.report)


def test_the_job_row_holds_the_final_counts_and_report(alice_actor, tree):
    job = _run(alice_actor, tree)
    stored = ImportJob.objects.get(pk=job.pk)
    assert (stored.processed_files, stored.percent, stored.report) == (5, 100, job.report)
    assert stored.finished_at is not None


def test_running_again_skips_everything_already_imported(alice_actor, tree):
    _run(alice_actor, tree)
    blobs = Blob.objects.count()
    again = _run(alice_actor, tree)
    assert (again.imported_files, again.skipped_files, again.failed_files) == (0, 5, 0)
    assert "skipped Dragons/Large/dragon_v2.GCODE: already imported as Dragon · Large · PLA v1" in (
        again.report
    )
    assert "skipped Dragons/dragon.stl: already imported as a source file of Dragon" in (
        again.report
    )
    assert VariantVersion.objects.count() == 3 and Blob.objects.count() == blobs


def test_a_new_file_in_an_imported_tree_is_all_a_second_run_adds(alice_actor, tree, corpus_file):
    _run(alice_actor, tree)
    shutil.copy(
        corpus_file("prusaslicer/ps020600_mini_cube_b.bgcode"), tree / "Cubes" / "cube_v2.bgcode"
    )
    again = _run(alice_actor, tree)
    assert (again.imported_files, again.skipped_files) == (1, 5)
    assert VariantVersion.objects.filter(variant__design__name="Cube").count() == 2


def test_a_dry_run_writes_nothing_but_its_report(alice_actor, tree):
    job = _run(alice_actor, tree, dry_run=True)
    assert job.imported_files == 5
    assert "would import Dragons/Large/dragon_v2.GCODE → Dragon · Large (new version)" in (
        job.report
    )
    assert "would import Dragons/Fotó 1.PNG → an image of Dragon" in job.report
    for model in (Design, Variant, VariantVersion, DesignFile, DesignImage, Blob):
        assert not model.objects.exists()


def test_a_corrupt_sliced_file_is_kept_as_unreadable_and_reported(alice_actor, tmp_path):
    (tmp_path / "Broken").mkdir()
    (tmp_path / "Broken" / "broken.3mf").write_bytes(b"PK\x03\x04 this is not a zip")
    job = _run(alice_actor, tmp_path)
    version = VariantVersion.objects.get()
    assert version.status == VariantVersion.Status.UNREADABLE
    assert job.imported_files == 1
    assert job.report[0].startswith(
        "imported Broken/broken.3mf → Broken · Standard v1 (unreadable:"
    )


def test_one_bad_file_does_not_stop_the_run(alice_actor, tmp_path):
    (tmp_path / "Vase").mkdir()
    (tmp_path / "Vase" / "fake.png").write_bytes(b"<html>not a picture</html>")
    (tmp_path / "Vase" / "empty.gcode").write_bytes(b"")
    (tmp_path / "Vase" / "vase.stl").write_bytes(_stl())
    job = _run(alice_actor, tmp_path)
    assert (job.imported_files, job.failed_files) == (1, 2)
    assert "failed Vase/fake.png: this is not a PNG image, whatever its name says." in job.report
    assert "failed Vase/empty.gcode: the file is empty." in job.report
    assert Blob.objects.count() == 1 and DesignImage.objects.count() == 0


def test_an_image_alone_at_the_top_has_no_model_to_go_to(alice_actor, tmp_path):
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 20)
    job = _run(alice_actor, tmp_path)
    assert job.skipped_files == 1 and not Design.objects.exists()


def test_a_backslash_name_from_a_windows_zip_is_a_path(alice_actor, tmp_path, corpus_file):
    shutil.copy(
        corpus_file("prusaslicer/ps020801_mini_cube.gcode"),
        tmp_path / "Dragons\\Large\\dragon.gcode",
    )
    _run(alice_actor, tmp_path)
    assert str(Variant.objects.get()) == "Dragon · Large · PLA"


def test_links_are_not_followed_out_of_the_folder(alice_actor, tmp_path, corpus_file):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(corpus_file("prusaslicer/ps020801_mini_cube.gcode"), outside / "secret.gcode")
    root = tmp_path / "root"
    root.mkdir()
    (root / "escape").symlink_to(outside, target_is_directory=True)
    (root / "one.gcode").symlink_to(outside / "secret.gcode")
    job = _run(alice_actor, root)
    assert job.total_files == 0 and not VariantVersion.objects.exists()
    assert "ignored escape: a link, not followed" in job.report


def test_an_operator_cannot_import(bob_actor, tmp_path):
    with pytest.raises(NotAllowed):
        services.import_job_create(actor=bob_actor, name="x")


def test_the_import_is_audited_with_its_counts(alice_actor, tree):
    from printops.accounts.models import AuditEvent

    job = _run(alice_actor, tree)
    event = AuditEvent.objects.get(verb="import.finished", object_id=str(job.pk))
    assert event.after["imported"] == 5 and event.after["failed"] == 0


# --- Archives ---------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], **infos) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _submit(actor, buffer, name="prints.zip"):
    return services.archive_import_submit(
        actor=actor, content=buffer, size_bytes=len(buffer.getvalue()), original_name=name
    )


@pytest.mark.parametrize(
    "member",
    ["../evil.gcode", "Dragons/../../evil.gcode", "/etc/evil.gcode", "C:\\evil.gcode", "..\\evil"],
)
def test_a_zip_that_would_write_outside_its_folder_is_refused(alice_actor, member):
    with pytest.raises(InvalidInput, match="unsafe path"):
        _submit(alice_actor, _zip({member: b"G1 X1\n"}))
    assert not ImportJob.objects.exists() and not Blob.objects.exists()


def test_a_zip_with_too_many_members_is_refused(alice_actor, settings):
    settings.PRINTOPS_IMPORT_MAX_MEMBERS = 3
    with pytest.raises(InvalidInput, match="holds 4 entries"):
        _submit(alice_actor, _zip({f"{n}.gcode": b"G1\n" for n in range(4)}))
    assert not ImportJob.objects.exists()


def test_a_zip_bomb_is_refused_by_its_ratio(alice_actor):
    bomb = _zip({"bomb.gcode": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(InvalidInput, match="zip bomb"):
        _submit(alice_actor, bomb)
    assert not Blob.objects.exists()


def test_a_zip_declaring_more_than_the_total_limit_is_refused(alice_actor, settings):
    settings.PRINTOPS_IMPORT_MAX_BYTES = 1000
    with pytest.raises(InvalidInput, match="unpacks to"):
        _submit(alice_actor, _zip({"a.gcode": bytes(range(256)) * 8}))


def test_a_member_lying_about_its_size_stops_the_unpacking(tmp_path):
    buffer = _zip({"a.gcode": b"G1 X1\n" * 1000})
    data = bytearray(buffer.getvalue())
    # Patch the declared size (central directory and local header) down to 10 bytes.
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(signature)
        data[at + offset : at + offset + 4] = struct.pack("<I", 10)
    notes = import_archives.archive_extract(content=io.BytesIO(bytes(data)), target=tmp_path)
    assert notes and "damaged" in notes[0]
    assert not (tmp_path / "a.gcode").exists()


def test_a_zip_with_a_link_is_refused(alice_actor):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("link.gcode")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    buffer.seek(0)
    with pytest.raises(InvalidInput, match="link"):
        _submit(alice_actor, buffer)


def test_a_file_that_is_not_a_zip_is_refused(alice_actor):
    with pytest.raises(InvalidInput, match="not a readable zip"):
        _submit(alice_actor, io.BytesIO(b"hello"), name="fake.zip")


def test_an_uploaded_zip_is_imported_and_then_let_go(
    alice_actor, corpus_file, django_capture_on_commit_callbacks
):
    gcode = corpus_file("prusaslicer/ps020801_mini_cube.gcode").read_bytes()
    buffer = _zip(
        {
            "Dragons\\Large\\dragon.gcode": gcode,
            "Dragons/cover.png": PNG,
            "__MACOSX/Dragons/._dragon.gcode": b"junk",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = _submit(alice_actor, buffer)
    job.refresh_from_db()
    assert (job.status, job.imported_files, job.archive) == (ImportJob.Status.DONE, 2, None)
    assert str(Variant.objects.get()) == "Dragon · Large · PLA"
    assert not Blob.objects.filter(media_type="application/zip").exists()


# --- The command ------------------------------------------------------------------------------


def test_the_command_imports_and_prints_a_summary(alice_actor, tree, capsys):
    call_command("import", str(tree), "--workspace", "alice-prints")
    out = capsys.readouterr().out
    assert "imported Dragons/Large/dragon_v2.GCODE → Dragon · Large · PLA v1" in out
    assert "imported 5 · 0 skipped · 0 failed · 5 files in My Prints" in out
    job = ImportJob.objects.get()
    assert job.created_by == alice_actor.user


def test_the_command_dry_run_changes_nothing(alice_actor, tree, capsys):
    call_command("import", str(tree), "--workspace", "alice-prints", "--dry-run")
    assert "dry run: would import 5" in capsys.readouterr().out
    assert not VariantVersion.objects.exists()


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["{missing}", "--workspace", "alice-prints"], "There is no folder at"),
        (["{tree}", "--workspace", "nope"], "There is no workspace with slug 'nope'."),
        (["{tree}", "--workspace", "alice-prints", "--email", "bob@example.com"], "cannot edit"),
        (["{tree}", "--workspace", "alice-prints", "--email", "x@example.com"], "not a member"),
    ],
)
def test_the_command_explains_what_is_wrong(alice_actor, bob_actor, tree, args, sentence):
    args = [a.format(tree=tree, missing=tree / "missing") for a in args]
    with pytest.raises(CommandError, match=sentence):
        call_command("import", *args)


def test_the_printops_script_exits_non_zero_with_one_line(alice_actor, tmp_path, migrated_data_dir):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PRINTOPS_DATA_DIR"] = str(migrated_data_dir(tmp_path / "data"))
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "printops.cli",
            "import",
            str(tmp_path / "nope"),
            "--workspace",
            "x",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip().splitlines()[-1].startswith("error: There is no folder")


@pytest.mark.django_db(transaction=True)
def test_threads_file_each_design_in_order(alice_actor, tree, settings, corpus_file):
    """Threaded on PostgreSQL (CI); the SQLite test database is in memory, so one thread."""
    settings.PRINTOPS_IMPORT_WORKERS = 3
    shutil.copy(
        corpus_file("prusaslicer/ps020600_mini_cube_b.bgcode"), tree / "Cubes" / "cube_v2.bgcode"
    )
    job = _run(alice_actor, tree)
    assert (job.imported_files, job.failed_files) == (6, 0)
    cube = VariantVersion.objects.filter(variant__design__name="Cube").order_by("created_at")
    assert [v.original_name for v in cube] == ["cube.gcode", "cube_v2.bgcode"]
    assert Design.objects.count() == 2
    assert ImportJob.objects.get(pk=job.pk).processed_files == 6
