"""The import contracts in pyproject.toml cover every app and catch an upward import.

`make lint` runs import-linter over the real tree; these tests prove the contracts are not
vacuous: every PrintOps app in INSTALLED_APPS is in the layers (and barred from slicefile), and a
copy of the tree with deliberate upward imports makes `lint-imports` fail naming each of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _contract(name: str) -> dict:
    return next(c for c in CONTRACTS["contracts"] if c["name"] == name)


def _printops_apps() -> set[str]:
    return {app for app in settings.INSTALLED_APPS if app.startswith("printops.")}


def test_every_app_is_in_the_layers_contract():
    layers = set(_contract("Apps import downwards only")["layers"])
    assert _printops_apps() <= layers, _printops_apps() - layers


def test_slicefile_may_import_no_app():
    forbidden = set(
        _contract("slicefile imports nothing from the rest of printops")["forbidden_modules"]
    )
    assert _printops_apps() <= forbidden, _printops_apps() - forbidden
    assert "django" in forbidden


@pytest.mark.skipif(
    not shutil.which("lint-imports", path=str(Path(sys.executable).parent)),
    reason="import-linter is not installed beside this Python",
)
def test_an_upward_import_breaks_the_contract(tmp_path):
    copy = tmp_path / "printops"
    shutil.copytree(
        ROOT / "printops",
        copy,
        ignore=shutil.ignore_patterns("static", "templates", "__pycache__", "migrations"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    # Down the layers is allowed; each of these goes up (or out of slicefile).
    (copy / "accounts" / "upward_probe.py").write_text("import printops.front.views\n")
    (copy / "materials" / "upward_probe.py").write_text("import printops.production.models\n")
    (copy / "slicefile" / "upward_probe.py").write_text("import printops.core.errors\n")
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = result.stdout + result.stderr
    assert result.returncode != 0, report
    assert "printops.accounts.upward_probe -> printops.front.views" in report
    assert "printops.materials.upward_probe -> printops.production.models" in report
    assert "printops.slicefile.upward_probe -> printops.core.errors" in report
