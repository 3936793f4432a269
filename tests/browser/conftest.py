"""Browser tests: a real Chromium (the system one) driven by Playwright against live_server.

* Skipped, with the reason, when no Chromium is found (``$CHROMIUM_PATH`` or
  ``/usr/bin/chromium``); ``.ci/run`` installs it, so CI always runs them.
* Every test here is marked ``browser`` (``pytest -m "not browser"`` leaves them out).
* Screenshots go to ``test-artifacts/`` (ignored by git): look at them.
* ``--device`` and ``--base-url`` of pytest-playwright still work; ``--video`` does not.

Database: the browser tests use ``django_db(transaction=True)``: the live server runs in
another thread, so test data has to be committed. The flush after each transactional test
empties every table, which loses the reference data that the data migrations load
(regencies, districts, categories, HS codes); post_migrate brings back only the role
groups. So the reference data is loaded again before each browser test, and once more
after the last one, so that tests running later in the same session still find it.
(``serialized_rollback=True`` was tried: it costs ~8 s per test, and with Playwright's
fixtures in play the tests' connection did not carry the serialized copy, so nothing was
restored.)
"""

import os
import shutil
from pathlib import Path

import pytest
from django.test.utils import override_settings

from tests.reference_data import load_reference_data

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"


def find_chromium():
    candidates = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium"]
    for candidate in candidates:
        if not candidate:
            continue
        path = Path(candidate)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        found = shutil.which(candidate)
        if found:
            return found
    return None


CHROMIUM = find_chromium()


def pytest_collection_modifyitems(config, items):
    """Mark this folder's tests ``browser``; skip them all when there is no Chromium."""
    skip = pytest.mark.skip(
        reason="no Chromium found: set CHROMIUM_PATH or `apt-get install chromium` "
        "(playwright install cannot download browsers here)"
    )
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if CHROMIUM is None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            *browser_type_launch_args.get("args", []),
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


# pytest-playwright keeps Playwright (and its event loop, running in this thread) for the
# whole session. Here it lives only as long as this folder's tests: while the loop runs,
# Django refuses ORM calls from the thread, which would break transactional tests that run
# after these ones (pytest-django orders all transactional tests together, by path).
@pytest.fixture(scope="package")
def playwright(_pw_api_request_contexts):
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    yield pw
    pw.stop()


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args(playwright, device, base_url):
    """A laptop-sized window in Indonesian (``--device`` and ``--base-url`` still apply)."""
    args = {"locale": "id-ID", "viewport": {"width": 1366, "height": 900}}
    if device:
        args.update(playwright.devices[device])
    if base_url:
        args["base_url"] = base_url
    return args


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The flush after the previous transactional test removed the migrations' data."""
    load_reference_data()


@pytest.fixture(scope="package", autouse=True)
def _browser_package(django_db_setup, django_db_blocker):
    """Around all browser tests: let the ORM run beside Playwright; afterwards, put back the
    reference data that the last test's flush removed.

    Playwright's sync API runs an event loop in the test thread, and Django's ORM refuses
    to run there unless DJANGO_ALLOW_ASYNC_UNSAFE is set (it is safe: nothing else uses the
    loop). It is set for this folder only (Playwright, too, lives only as long as this
    folder's tests, see ``playwright`` above), not at import: a process-wide variable leaks
    into subprocesses, and ``manage.py check --deploy`` (tests/core/test_settings.py)
    rightly fails with async.E001 when it is set.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
        with django_db_blocker.unblock():
            load_reference_data()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _plain_http_while_starting():
    """The live server is session-scoped, so it starts before the function-scoped settings
    of ``tests/conftest.py`` apply, and SecurityMiddleware reads SECURE_SSL_REDIRECT once,
    when the server loads it: without this, every page redirects to https."""
    override = override_settings(SECURE_SSL_REDIRECT=False, SECURE_HSTS_SECONDS=0)
    override.enable()
    state = {"enabled": True}

    def disable():
        if state["enabled"]:
            override.disable()
            state["enabled"] = False

    yield disable
    disable()


@pytest.fixture(scope="session")
def live_server(_plain_http_while_starting, live_server):
    """pytest-django's live server (uploaded media included), started over plain HTTP."""
    _plain_http_while_starting()  # the server has loaded its middleware: settings back
    return live_server


@pytest.fixture
def shot(page):
    """``shot("catalogue-01-login")`` saves a full-page screenshot and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name, full_page=True):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """Log in through the real login form; returns the page on the dashboard."""
    from tests.conftest import PASSWORD

    def do(user, password=PASSWORD, screenshot=None):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        if screenshot:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{screenshot}.png"), full_page=True)
        page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do
