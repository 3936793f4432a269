"""Gunicorn settings for Etalase: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Every value comes from the environment (README, "Production deployment"); the defaults
suit one app server on a small machine behind a load balancer or reverse proxy.
"""

import json
import multiprocessing
import os
import time

from gunicorn.glogging import Logger

from config.env import env_addresses, env_choice, env_int

# Where to listen: BIND wins ("unix:/run/etalase.sock", "127.0.0.1:8000"), else all
# interfaces on PORT.
bind = [os.environ.get("BIND") or f"0.0.0.0:{env_int('PORT', 8000, minimum=1, maximum=65535)}"]

# Processes × threads. The usual 2 × cores + 1 processes, capped so that a large machine
# does not open more database connections than PostgreSQL allows by default.
workers = env_int("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8), minimum=1)
threads = env_int("GUNICORN_THREADS", 2, minimum=1)
# Threads (gthread) keep a long streamed export from blocking the whole process, and the
# worker's heartbeat does not depend on a request finishing.
worker_class = "gthread" if threads > 1 else "sync"
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Recycle processes now and then so that slow memory growth never builds up.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Heartbeat files in memory (gunicorn's own use of the folder), not on a possibly slow disk.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY

# Which proxies may tell us the original scheme (X-Forwarded-Proto): the load balancer's
# addresses or networks, comma-separated ("*" when only the load balancer can reach this
# server). Django reads the same list for X-Forwarded-For (config/settings.py).
forwarded_allow_ips = ",".join(env_addresses("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"))

# Django writes one line per request itself (core.logging.RequestLogMiddleware, with the
# user and request id), so gunicorn's own access log is off unless GUNICORN_ACCESS_LOG
# names a file ("-" for standard output); it is written as JSON lines too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Gunicorn's level names (https://docs.gunicorn.org/en/stable/settings.html#loglevel), in
# any case, like Django's LOG_LEVEL; an unknown one would silently mean "info".
loglevel = env_choice("LOG_LEVEL", ("debug", "info", "warning", "error", "critical"), "info")
proc_name = "etalase"


class JsonAccessLogger(Logger):
    """Gunicorn's access log as one JSON object per request."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        headers = {name.lower(): value for name, value in resp.headers}
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": headers.get("x-request-id"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))


logger_class = JsonAccessLogger
