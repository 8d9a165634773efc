from printops.library import sandbox


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
