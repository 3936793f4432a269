import pytest


@pytest.mark.django_db
def test_healthz_reports_database_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
