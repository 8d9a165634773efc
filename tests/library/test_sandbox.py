import threading

import pytest

from printops.library import sandbox


@pytest.fixture(autouse=True)
def _outside_the_suites_reuse(monkeypatch):
    """Here the sandbox is as a web upload finds it: no long-lived child unless a test asks."""
    monkeypatch.setattr(sandbox, "_reuse", sandbox._Reuse())


def test_a_readable_file_gives_metadata_and_thumbnail(corpus_file, tmp_path):
    metadata, thumbnail, reason = sandbox.read_in_sandbox(
        str(corpus_file("bambu_studio/bs020400_a1mini.gcode.3mf")), str(tmp_path)
    )
    assert metadata["format"] == "gcode.3mf" and thumbnail.startswith(b"\x89PNG") and not reason


def test_an_unreadable_file_gives_the_parsers_sentence(tmp_path):
    junk = tmp_path / "junk.bgcode"
    junk.write_bytes(b"\x00" * 100)
    out = tmp_path / "out"
    out.mkdir()
    metadata, thumbnail, reason = sandbox.read_in_sandbox(str(junk), str(out))
    assert metadata is None and thumbnail is None and reason.endswith(".")


def test_a_child_that_runs_too_long_is_stopped_with_a_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "WALL_TIMEOUT_SECONDS", 0.01)
    junk = tmp_path / "slow.gcode"
    junk.write_text("G1 X1\n")
    _, _, reason = sandbox.read_in_sandbox(str(junk), str(tmp_path))
    assert reason == "Reading the file took too long; it may be damaged."


def test_a_child_that_dies_is_reported_not_raised(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MEMORY_LIMIT_BYTES", 10 * 1024 * 1024)  # too small to start
    junk = tmp_path / "a.gcode"
    junk.write_text("G1 X1\n")
    _, _, reason = sandbox.read_in_sandbox(str(junk), str(tmp_path))
    assert "could not be read safely" in reason


def test_a_reused_worker_reads_many_files_and_survives_a_timeout(
    corpus_file, tmp_path, monkeypatch
):
    good = str(corpus_file("prusaslicer/ps020801_mini_cube.gcode"))
    with sandbox.reusing_workers():
        for n in range(3):
            out = tmp_path / f"out{n}"
            out.mkdir()
            metadata, _, reason = sandbox.read_in_sandbox(good, str(out))
            assert metadata["format"] == "gcode" and not reason
        workers = list(sandbox._reuse.workers)
        assert len(workers) == 1 and workers[0]._served == 3
        monkeypatch.setattr(sandbox, "WALL_TIMEOUT_SECONDS", 0.0001)
        (tmp_path / "slow").mkdir()
        _, _, reason = sandbox.read_in_sandbox(good, str(tmp_path / "slow"))
        assert reason == sandbox.TIMEOUT_SENTENCE
        monkeypatch.setattr(sandbox, "WALL_TIMEOUT_SECONDS", 20)
        (tmp_path / "after").mkdir()
        metadata, _, reason = sandbox.read_in_sandbox(good, str(tmp_path / "after"))
        assert metadata is not None, reason
    assert sandbox._reuse.workers == [] and workers[0]._process is None


def test_a_reused_worker_that_dies_is_replaced(corpus_file, tmp_path, monkeypatch):
    good = str(corpus_file("prusaslicer/ps020801_mini_cube.gcode"))
    monkeypatch.setattr(sandbox, "MEMORY_LIMIT_BYTES", 10 * 1024 * 1024)  # cannot even start
    with sandbox.reusing_workers():
        _, _, reason = sandbox.read_in_sandbox(good, str(tmp_path))
        assert reason == sandbox.CRASH_SENTENCE
        monkeypatch.setattr(sandbox, "MEMORY_LIMIT_BYTES", 768 * 1024 * 1024)
        (tmp_path / "again").mkdir()
        metadata, _, _ = sandbox.read_in_sandbox(good, str(tmp_path / "again"))
        assert metadata is not None


def test_a_reused_worker_follows_a_change_of_limits(corpus_file, tmp_path, monkeypatch):
    good = str(corpus_file("prusaslicer/ps020801_mini_cube.gcode"))
    with sandbox.reusing_workers():
        metadata, _, _ = sandbox.read_in_sandbox(good, str(tmp_path))
        assert metadata is not None
        monkeypatch.setattr(sandbox, "MEMORY_LIMIT_BYTES", 10 * 1024 * 1024)
        (tmp_path / "small").mkdir()
        _, _, reason = sandbox.read_in_sandbox(good, str(tmp_path / "small"))
        assert reason == sandbox.CRASH_SENTENCE


def test_the_child_of_a_finished_thread_is_closed_while_the_block_stays_open(corpus_file, tmp_path):
    good = str(corpus_file("prusaslicer/ps020801_mini_cube.gcode"))
    with sandbox.reusing_workers():
        thread = threading.Thread(target=sandbox.read_in_sandbox, args=(good, str(tmp_path)))
        thread.start()
        thread.join()
        (worker,) = sandbox._reuse.workers
        assert worker._process is not None
        with sandbox.reusing_workers():  # an import inside the block ends
            pass
        assert worker._process is None and sandbox._reuse.workers == []
