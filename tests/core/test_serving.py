"""Production serving: gunicorn's configuration, collected static files with hashed names,
and a real gunicorn process answering ``/healthz`` and a static file.

Settings are read once per process, so the production-like cases run in fresh processes
with an environment built from scratch (as in test_settings.py).
"""

import json
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.core.test_settings import REPO_ROOT, _clean_env

GUNICORN_CONF = REPO_ROOT / "config" / "gunicorn.conf.py"


def _gunicorn_settings(monkeypatch, **env):
    for name in ("PORT", "BIND", "WEB_CONCURRENCY", "GUNICORN_THREADS", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_listens_on_port_or_bind(monkeypatch):
    assert _gunicorn_settings(monkeypatch)["bind"] == ["0.0.0.0:8000"]
    assert _gunicorn_settings(monkeypatch, PORT="9001")["bind"] == ["0.0.0.0:9001"]
    conf = _gunicorn_settings(monkeypatch, PORT="9001", BIND="unix:/run/etalase.sock")
    assert conf["bind"] == ["unix:/run/etalase.sock"]


def test_gunicorn_workers_from_web_concurrency_else_capped_by_cores(monkeypatch):
    assert _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="4")["workers"] == 4
    assert 3 <= _gunicorn_settings(monkeypatch)["workers"] <= 8


def test_gunicorn_uses_threads_unless_told_otherwise(monkeypatch):
    conf = _gunicorn_settings(monkeypatch)
    assert (conf["threads"], conf["worker_class"]) == (2, "gthread")
    conf = _gunicorn_settings(monkeypatch, GUNICORN_THREADS="1")
    assert (conf["threads"], conf["worker_class"]) == (1, "sync")


def test_gunicorn_trusts_forwarded_headers_only_from_named_proxies(monkeypatch):
    assert _gunicorn_settings(monkeypatch)["forwarded_allow_ips"] == "127.0.0.1,::1"
    conf = _gunicorn_settings(monkeypatch, FORWARDED_ALLOW_IPS="10.0.0.5")
    assert conf["forwarded_allow_ips"] == "10.0.0.5"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - local server
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """A production-like environment (DEBUG off) with static files collected."""
    root = tmp_path_factory.mktemp("production")
    env = _clean_env(
        STATIC_ROOT=str(root / "static"),
        MEDIA_ROOT=str(root / "media"),
        DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_FORMAT="json",
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    return root, env


def test_collectstatic_writes_hashed_and_compressed_files(production):
    root, _env = production
    manifest = json.loads((root / "static" / "staticfiles.json").read_text())
    css = next(name for name in manifest["paths"] if name.endswith(".css"))
    hashed = manifest["paths"][css]
    assert hashed != css
    assert (root / "static" / hashed).exists()
    assert (root / "static" / f"{hashed}.gz").exists()


def test_gunicorn_serves_healthz_and_hashed_static_files(production, tmp_path):
    root, env = production
    port = _free_port()
    env = {
        **env,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "-",
        # Lower case, as the README's gunicorn table shows it: Django reads it too.
        "LOG_LEVEL": "info",
    }
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "config.wsgi"],
            cwd=REPO_ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(f"{base}/healthz", **{"X-Request-ID": "lb-check-1"})
                break
            # Refused while the master starts; no answer in time while the worker boots
            # (a loaded machine: 2 cores, load 13, took longer than the 5 s read timeout).
            except (ConnectionError, TimeoutError, urllib.error.URLError):
                assert server.poll() is None, err.read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "database": "ok", "storage": "ok"}
        assert headers["X-Request-ID"] == "lb-check-1"

        manifest = json.loads((root / "static" / "staticfiles.json").read_text())
        css = next(name for name in manifest["paths"] if name.endswith(".css"))
        status, headers, _body = _get(
            f"{base}/static/{manifest['paths'][css]}", **{"Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
        assert headers.get("Content-Encoding") == "gzip"
    finally:
        server.terminate()
        server.wait(timeout=30)

    request_lines = [
        json.loads(line)
        for line in err.read_text().splitlines()
        if line.startswith("{") and '"etalase.request"' in line
    ]
    healthz = next(line for line in request_lines if line["path"] == "/healthz")
    assert healthz["method"] == "GET"
    assert healthz["status"] == 200
    assert healthz["request_id"] == "lb-check-1"
    assert healthz["user_id"] is None
    assert isinstance(healthz["duration_ms"], float)
    access = [json.loads(line) for line in out.read_text().splitlines() if line.startswith("{")]
    assert any(
        line["path"] == "/healthz" and line["status"] == 200 and line["request_id"] == "lb-check-1"
        for line in access
    )


def test_gunicorn_refuses_to_start_with_an_unknown_log_level(production):
    _root, env = production
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "config.wsgi"],
        cwd=REPO_ROOT,
        env={**env, "PORT": str(_free_port()), "LOG_LEVEL": "loud"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "LOG_LEVEL must be one of debug, info, warning, error, critical, not 'loud'" in (
        result.stderr
    )


def test_production_settings_with_object_storage_and_redis_pass_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=_clean_env(
            ALLOWED_HOSTS="etalase.example.org",
            CSRF_TRUSTED_ORIGINS="https://etalase.example.org",
            MEDIA_S3_BUCKET="etalase-media",
            AWS_S3_ENDPOINT_URL="https://s3.example.org",
            CACHE_URL="redis://cache.internal:6379/0",
            LOG_FORMAT="json",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
