import pytest
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "storage": "ok"}


def test_healthz_is_503_and_names_the_failing_part(client, monkeypatch):
    def broken(name):
        raise OSError("disk gone")

    monkeypatch.setattr(default_storage, "exists", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "storage": "error"}
