"""Every page a member can reach, crawled from the dashboard over the demo workspace: no
dangling ARIA references, no raw codes where people read words, one date format."""

import random
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from printops.accounts.audit_words import VERB_SENTENCES
from printops.accounts.demo import build_demo as accounts_demo
from printops.accounts.models import Membership
from printops.library.demo import build_demo as library_demo
from printops.materials.demo import build_demo as materials_demo
from printops.production.demo import build_demo as production_demo
from tests.factories import WorkspaceFactory

pytestmark = pytest.mark.django_db

# Not pages: files, downloads, sign-out, and forms whose GET has side effects or no page.
SKIP = re.compile(
    r"^/(api/|logout/|static/|media/|admin/)|/download/|\.png$|\.csv$|\.pdf$|/thumbnail|/labels/"
)
LIMIT = 150
CODE_TAGS = ("script", "style", "code", "pre", "textarea")  # shown as written, on purpose
RAW_CODE = re.compile(
    r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*\b(?<!\.gcode)(?<!\.3mf)"  # an audit verb
    r"|\bOTHER\b"  # a material code
    r"|\b(?:filamentalias|variantversion|spoolledgerentry|apitoken|filamentusage|importjob)\b"
)
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "for", "list")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.refs, self.links, self.text, self.code = set(), [], [], [], []
        self._skip_text = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in REFERENCES:
            if attrs.get(name) and not (name == "for" and tag == "output"):
                self.refs.extend((tag, name, ref) for ref in attrs[name].split())
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in CODE_TAGS:
            self._skip_text += 1

    def handle_endtag(self, tag):
        if tag in CODE_TAGS:
            self._skip_text -= 1

    def handle_data(self, data):
        (self.code if self._skip_text else self.text).append(data)


@pytest.fixture(scope="module")
def crawled(django_db_setup, django_db_blocker):
    """{path: parsed page} for every page reachable from the demo owner's dashboard."""
    with django_db_blocker.unblock():
        from django.db import transaction
        from django.test import Client

        with transaction.atomic():
            workspace = WorkspaceFactory(slug="crawl", name="Crawl Prints")
            for builder in (accounts_demo, materials_demo, library_demo):
                builder(workspace=workspace, rng=random.Random(builder.__module__), designs=6)
            production_demo(workspace=workspace, rng=random.Random("production"))
            owner = Membership.objects.get(workspace=workspace, role="owner").user
            client = Client()
            client.force_login(owner)
            pages, queue = {}, ["/dashboard/"]
            while queue and len(pages) < LIMIT:
                path = queue.pop(0)
                if path in pages:
                    continue
                response = client.get(path)
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    pages[path] = None
                    continue
                parsed = _Page()
                parsed.feed(response.content.decode())
                pages[path] = parsed
                for href in parsed.links:
                    target = urlsplit(urljoin(path, href))
                    if target.netloc or SKIP.search(target.path):
                        continue
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))
            transaction.set_rollback(True)
    return {path: page for path, page in pages.items() if page is not None}


def test_the_crawl_reaches_every_part_of_the_product(crawled):
    for prefix in ("/library/versions/", "/materials/filaments/", "/production/jobs/", "/audit/"):
        assert any(path.startswith(prefix) for path in crawled), prefix


def test_no_aria_reference_points_at_a_missing_id(crawled):
    dangling = {
        path: sorted(
            {f"<{tag} {name}={ref}>" for tag, name, ref in page.refs if ref not in page.ids}
        )
        for path, page in crawled.items()
    }
    assert {path: refs for path, refs in dangling.items() if refs} == {}


def _text(page):
    return " ".join(" ".join(page.text).split())


def test_people_read_words_not_codes(crawled):
    verbs = set(VERB_SENTENCES)
    found = {}
    for path, page in crawled.items():
        text = _text(page)
        codes = {m.group(0) for m in RAW_CODE.finditer(text)}
        codes = {c for c in codes if c in verbs or "_" in c or c.isupper() or "." not in c}
        # An audit verb is a code even in <code>, where the audit log used to print it.
        codes |= {verb for verb in verbs if verb in " ".join(page.code)}
        if codes:
            found[path] = sorted(codes)
    assert found == {}


def test_dates_are_written_one_way(crawled):
    found = {path: ISO_DATE.findall(_text(page)) for path, page in crawled.items()}
    assert {path: dates for path, dates in found.items() if dates} == {}


def test_no_template_syntax_is_shown_as_text(crawled):
    # A Django `{# … #}` comment spans one line only; a longer one is printed on the page.
    found = {
        path: sorted(
            {m.group(0)[:40] for m in re.finditer(r"\{[#%{].*?(?:[#%}]\}|$)", _text(page))}
        )
        for path, page in crawled.items()
    }
    assert {path: bits for path, bits in found.items() if bits} == {}
