import pytest
from django.urls import reverse

from printops.materials.models import Spool

pytestmark = pytest.mark.django_db


@pytest.fixture
def spools(workspace, alice_actor):
    import random

    from printops.materials.demo import build_demo

    build_demo(workspace=workspace, rng=random.Random(1))
    return Spool.objects.filter(workspace=workspace, archived=False)


def test_the_sheet_has_one_qr_per_spool_in_stock_that_opens_its_page(alice_client, spools):
    response = alice_client.get(reverse("materials:labels"))
    html = response.content.decode()
    assert response.status_code == 200 and html.count('<svg class="qr"') == spools.count()
    first = spools.first()
    assert first.label_code in html


def test_one_spools_label(alice_client, spools):
    spool = spools.first()
    html = alice_client.get(reverse("materials:labels"), {"spool": spool.pk}).content.decode()
    assert html.count('<svg class="qr"') == 1 and spool.label_code in html


def test_another_workspaces_spool_is_404_and_never_printed(charlie_client, spools):
    spool = spools.first()
    assert charlie_client.get(reverse("materials:labels"), {"spool": spool.pk}).status_code == 404
    html = charlie_client.get(reverse("materials:labels")).content.decode()
    assert "No spools selected" in html and spool.label_code not in html


def test_a_silly_column_count_is_a_sentence(alice_client, spools):
    response = alice_client.get(reverse("materials:labels"), {"columns": "99"})
    assert response.status_code == 400 and b"labels per row" in response.content


def test_hostile_text_on_a_label_is_escaped():
    from printops.materials.labels import SpoolLabel, label_sheet_html

    html = label_sheet_html(
        [
            SpoolLabel(
                code="AB12",
                url="https://x.test/s/AB12/",
                title="<script>alert(1)</script>",
                subtitle="a & b",
                color_hex="#FF0000",
            )
        ]
    )
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "a &amp; b" in html
