"""Browser tests: Playwright for Python driving Debian's /usr/bin/chromium (never a download).

Without Chromium they skip with a reason, except under CI=true, where that is a failure.
Screenshots go to test-artifacts/ so a person can look at them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PRINTOPS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from test code
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(viewport=None):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 860})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# The screenshots in docs/ come from these tests: `make screenshots` runs them with
# PRINTOPS_DOCS_SCREENSHOTS=1, and each shot named here is also written to docs/images/.
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
DOCS_SHOTS = {
    "01-dashboard-after-signup": "dashboard-getting-started",
    "10-upload-done": "library-10-upload-done",
    "11-library-gallery": "library-11-library-gallery",
    "12-design-page": "library-12-design-page",
    "13-version-page": "library-13-version-page",
    "14-compare": "library-14-compare",
    "15-search-material-colour": "library-15-search-material-colour",
    "16-library-phone": "library-16-library-phone",
    "23-weigh-in-report": "materials-weigh-in-report",
    "25-shopping-list": "materials-shopping-list",
    "28-filament-review-queue": "materials-review-queue",
    "32-job-completed-with-ledger": "production-job",
    "33-queue-reordered-with-shortage": "production-queue",
}


@pytest.fixture
def shot():
    ARTIFACTS.mkdir(exist_ok=True)
    for_docs = os.environ.get("PRINTOPS_DOCS_SCREENSHOTS") == "1"

    def take(page, name):
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        if for_docs and name in DOCS_SHOTS:
            shutil.copyfile(ARTIFACTS / f"{name}.png", DOCS_IMAGES / f"{DOCS_SHOTS[name]}.png")

    return take
