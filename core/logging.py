"""Structured request logging: one line per request, and a JSON formatter (``LOG_FORMAT=json``).

Every request gets an id: the load balancer's ``X-Request-ID`` when it sends a sane one,
otherwise a fresh one. The id goes back in the response header and into every log record
written while the request runs, so that the lines of one request can be found on whichever
app server handled it.
"""

import datetime
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import SimpleLazyObject

logger = logging.getLogger("etalase.request")

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
# Anything else from outside (spaces, quotes, newlines, very long values) could forge or
# break log lines, so it is replaced by an id of our own.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
}


def _request_id(request):
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _user_id(request):
    """The signed-in user's id, without a database query of its own.

    ``request.user`` is lazy; a view that never looked at it (``/healthz``, static files)
    leaves it unevaluated, and the log line then names no user. ``login()`` replaces the
    lazy object with the user, so a successful login is logged with its user.
    """
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = getattr(request, "_cached_user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestLogMiddleware:
    """Logs method, path, status, duration, user id and request id of every request.

    Placed first in ``MIDDLEWARE``. For a streamed response (exports) the duration is the
    time until the response started, not until its last byte.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response.headers[REQUEST_ID_HEADER] = request_id
            fields = {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": _user_id(request),
                "request_id": request_id,
            }
            logger.log(
                logging.WARNING if response.status_code >= 500 else logging.INFO,
                "%(method)s %(path)s %(status)s %(duration_ms)sms "
                "user=%(user_id)s id=%(request_id)s",
                fields,
                extra=fields,
            )
            return response
        finally:
            current_request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """Each record as one JSON object on one line: time, level, logger, message, the fields
    given with ``extra=`` and the current request's id."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
