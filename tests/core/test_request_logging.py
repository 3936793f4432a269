"""One structured log line per request, and the JSON formatter behind ``LOG_FORMAT=json``."""

import json
import logging
import sys

import pytest

from core.logging import JsonFormatter, current_request_id
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _request_records(caplog):
    return [record for record in caplog.records if record.name == "etalase.request"]


def test_each_request_is_logged_once_with_its_fields(client, staff_user, caplog):
    client.force_login(staff_user)
    with caplog.at_level(logging.INFO, logger="etalase.request"):
        response = client.get("/products/", HTTP_X_REQUEST_ID="abc-123")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "abc-123"
    (record,) = _request_records(caplog)
    assert (record.method, record.path, record.status) == ("GET", "/products/", 200)
    assert record.user_id == staff_user.pk
    assert record.request_id == "abc-123"
    assert record.duration_ms >= 0
    assert record.levelno == logging.INFO


def test_anonymous_requests_name_no_user_and_get_a_fresh_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="etalase.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nforged line")
    (record,) = _request_records(caplog)
    assert record.user_id is None
    assert record.request_id == response["X-Request-ID"]
    assert len(record.request_id) == 32 and "\n" not in record.request_id


def test_a_login_is_logged_with_the_user_who_signed_in(client, staff_user, caplog):
    with caplog.at_level(logging.INFO, logger="etalase.request"):
        response = client.post(
            "/accounts/login/", {"username": staff_user.username, "password": PASSWORD}
        )
    assert response.status_code == 302
    (record,) = _request_records(caplog)
    assert record.user_id == staff_user.pk


def test_the_request_log_adds_no_query_to_views_that_do_not_need_the_user(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):  # healthz: SELECT 1
        client.get("/healthz")


def test_json_formatter_writes_one_object_per_line_with_extra_fields_and_request_id():
    record = logging.LogRecord("etalase.request", logging.INFO, __file__, 1, "GET %s", ("/",), None)
    record.status = 200
    record.path = "/产品/"
    token = current_request_id.set("req-9")
    try:
        line = JsonFormatter().format(record)
    finally:
        current_request_id.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "etalase.request"
    assert (entry["status"], entry["path"], entry["request_id"]) == (200, "/产品/", "req-9")
    assert entry["time"].endswith("+00:00")


def test_json_formatter_keeps_the_traceback_on_one_line():
    try:
        raise ValueError("broken")
    except ValueError:
        record = logging.LogRecord(
            "etalase", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: broken" in entry["exception"]
