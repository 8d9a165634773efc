from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "files"


@pytest.fixture
def corpus_file():
    """A real sliced file from ../shared/corpus (skips cleanly when the corpus is absent)."""

    def get(relative: str) -> Path:
        path = CORPUS / relative
        if not path.exists():
            pytest.skip(f"corpus file {relative} not found (../shared/corpus is absent)")
        return path

    return get
