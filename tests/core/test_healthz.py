import pytest
from django.core.files.storage import default_storage


@pytest.mark.django_db
def test_healthz_reports_database_and_storage_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}


@pytest.mark.django_db
def test_healthz_leaves_no_probe_file_behind(client, settings):
    client.get("/healthz")
    assert default_storage.listdir("healthz") == ([], [])


@pytest.mark.django_db
def test_healthz_is_unhealthy_when_uploads_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "storage": "error"}


@pytest.mark.django_db
def test_healthz_answers_plain_http_when_everything_else_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
