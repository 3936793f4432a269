"""Security headers, templates without inline scripts, uploads served inert, and the
production security settings (OWASP Secure Headers Project; README, "Security")."""

import importlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches

from catalogue.models import Certification, ProductPhoto
from core.security import content_security_policy
from tests.catalogue.test_product_edit import jpeg
from tests.core.test_settings import _setting

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.fixture
def product(make_product):
    return make_product(name_id="Kursi drum")


@pytest.mark.parametrize(
    "url", ["/", "/products/", "/products/{code}/", "/producers/", "/visits/", "/notes/new/"]
)
def test_pages_carry_the_security_headers(client, staff_user, product, url):
    client.force_login(staff_user)
    response = client.get(url.format(code=product.code))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "camera=(self)" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_login_page_carries_the_policy_too(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_images_from_object_storage_are_allowed(settings):
    settings.MEDIA_URL = "https://bucket.s3.example.org/etalase/"
    settings.CSP_MEDIA_ORIGINS = ["https://cdn.example.org"]
    img_src = re.search(r"img-src ([^;]*)", content_security_policy()).group(1).split()
    assert img_src == [
        "'self'",
        "data:",
        "blob:",
        "https://bucket.s3.example.org",
        "https://cdn.example.org",
    ]


def test_relative_media_url_adds_no_origin(settings):
    settings.MEDIA_URL = "/media/"
    settings.CSP_MEDIA_ORIGINS = []
    assert "img-src 'self' data: blob:;" in content_security_policy()


# --- No inline scripts or event handlers (so the CSP needs no 'unsafe-inline') ----------


class _ScriptFinder(HTMLParser):
    """Inline <script> blocks (JSON data blocks excepted) and on* attributes."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        handlers = [name for name in names if name.startswith("on")]
        if handlers:
            self.problems.append(f"<{tag} {' '.join(handlers)}=…>")
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.problems.append("inline <script>")
        for name in ("href", "src", "action", "formaction"):
            if (names.get(name) or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"{name}=javascript:")


def _template_problems(text):
    finder = _ScriptFinder()
    # Template tags would confuse the HTML parser inside attributes; drop them.
    finder.feed(re.sub(r"{%.*?%}|{#.*?#}", " ", text, flags=re.S))
    return finder.problems


def test_finder_catches_inline_scripts_and_handlers():
    assert _template_problems("<script>alert(1)</script>") == ["inline <script>"]
    assert _template_problems('<button onclick="x()">') == ["<button onclick=…>"]
    assert _template_problems('<a href="javascript:x()">') == ["href=javascript:"]
    assert _template_problems('<script src="/static/js/x.js" defer></script>') == []
    assert _template_problems('<script id="d" type="application/json">{}</script>') == []


def test_no_template_has_inline_scripts_or_event_handlers():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 20
    problems = {
        str(path.relative_to(TEMPLATES)): found
        for path in templates
        if (found := _template_problems(path.read_text()))
    }
    assert problems == {}


# --- Uploaded files ---------------------------------------------------------------------


@pytest.fixture
def media_served(settings):
    """The site's URLs with SERVE_MEDIA on (decided when config.urls is imported)."""
    import config.urls

    settings.SERVE_MEDIA = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.SERVE_MEDIA = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _certificate(product, name, content):
    return Certification.objects.create(
        product=product,
        kind="svlk",
        number="VL-1",
        document=SimpleUploadedFile(name, content),
    )


def test_html_uploaded_as_pdf_downloads(media_served, staff_client, product):
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    certificate = _certificate(product, "sertifikat.pdf", html)

    response = staff_client.get(certificate.document.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    "name", ["drawing.svg", "page.html", "page.htm", "data.xml", "code.js", "unknown.xyz"]
)
def test_risky_types_are_sent_as_opaque_bytes(media_served, staff_client, product, name):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    certificate = _certificate(product, name, svg)

    response = staff_client.get(certificate.document.url)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_photos_display_inline(media_served, staff_client, product):
    photo = ProductPhoto.objects.create(product=product, image=jpeg(), is_primary=True)

    response = staff_client.get(photo.image.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_needs_a_login(media_served, client, product):
    photo = ProductPhoto.objects.create(product=product, image=jpeg(), is_primary=True)
    response = client.get(photo.image.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Production settings (DEBUG off), read in a fresh process ---------------------------


def test_production_cookies_are_secure_and_https_is_enforced():
    values = _setting(
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "settings.SECURE_REFERRER_POLICY, settings.X_FRAME_OPTIONS, "
        "settings.SECURE_CONTENT_TYPE_NOSNIFF, len(settings.AUTH_PASSWORD_VALIDATORS)"
    )
    assert values.split() == [
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "same-origin",
        "DENY",
        "True",
        "4",
    ]


def test_debug_relaxes_the_https_only_settings():
    values = _setting(
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS",
        DEBUG="1",
    )
    assert values.split() == ["False", "False", "False", "0"]


def test_login_throttling_settings_from_the_environment():
    assert _setting("settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME").split() == [
        "5",
        "1.0",
    ]
    values = _setting(
        "settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME",
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_TIME="0.5",
    )
    assert values.split() == ["10", "0.5"]


def test_https_request_gets_hsts_and_secure_cookies(client, settings, staff_user):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"]

    response = client.post(
        "/accounts/login/",
        {"username": "staff-test", "password": "correct-horse-battery-staple"},
        secure=True,
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"]
    assert response.cookies["sessionid"]["httponly"]


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


# --- Protected uploads: checked per object, never on the plain /media/ route ---------------


@pytest.fixture
def protected(product, visitor_user, regency_user):
    from tests.protected_files import make_protected_files

    return make_protected_files(product, visitor_user, regency_user)


def _stored_names(files):
    return {
        "note photo": files.private_photo.image.name,
        "note thumbnail": files.private_photo.thumbnail.name,
        "shared note photo": files.shared_photo.image.name,
        "certificate document": files.certificate.document.name,
        "import file": files.batch.file.name,
    }


@pytest.mark.parametrize(
    "kind",
    ["note photo", "note thumbnail", "shared note photo", "certificate document", "import file"],
)
@pytest.mark.parametrize("role", ["admin", "visitor", "regency"])
def test_protected_files_are_not_served_on_the_media_route(
    media_served, client, role_users, protected, settings, kind, role
):
    name = _stored_names(protected)[kind]
    assert (settings.MEDIA_ROOT / name).is_file()
    client.force_login(role_users[role])

    for path in (name, f"products/../{name}", f"/{name}", name.upper()):
        response = client.get(f"/media/{path}")
        assert response.status_code == 404, path


def test_product_photos_stay_on_the_media_route(media_served, staff_client, product):
    photo = ProductPhoto.objects.create(product=product, image=jpeg(), is_primary=True)
    for name in (photo.image.name, photo.thumbnail.name):
        assert staff_client.get(f"/media/{name}").status_code == 200


def test_protected_folders_are_those_of_the_protected_fields():
    from core.protected_files import is_protected, protected_folders

    assert {"certificates", "imports", "notes"} <= protected_folders()
    assert not is_protected("products/abc.jpg")
    assert not is_protected("products/thumbs/abc.jpg")
    assert not is_protected("notesbook/abc.jpg")
    assert is_protected("notes/thumbs/abc.jpg")


def test_certificate_document_view_serves_it_inert_and_uncached(client, visitor_user, protected):
    client.force_login(visitor_user)
    response = client.get(f"/files/certificates/{protected.certificate.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{protected.certificate.product.code}-svlk.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_import_file_downloads_under_its_original_name(client, regency_user, protected):
    client.force_login(regency_user)
    response = client.get(f"/files/imports/{protected.batch.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert 'filename="produk-jember.csv"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_note_photo_view_displays_inline(client, visitor_user, protected):
    client.force_login(visitor_user)
    response = client.get(f"/files/notes/{protected.private_photo.pk}/thumbnail/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == protected.private_photo.thumbnail.read()


def _links(html):
    """Every href and src of a page."""
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def _media_links(html, settings):
    return [link for link in _links(html) if link.startswith(settings.MEDIA_URL)]


def test_product_page_and_edit_form_link_the_certificate_to_its_view(
    client, staff_user, product, protected, settings
):
    client.force_login(staff_user)
    url = f"/files/certificates/{protected.certificate.pk}/"
    for page in (f"/products/{product.code}/", f"/products/{product.code}/edit/"):
        html = client.get(page).content.decode()
        assert url in _links(html), page
        assert not _media_links(html, settings), page
    # The link works for whoever reads the page.
    assert client.get(url).status_code == 200


def test_visit_page_shows_the_authors_note_photos_through_their_view(
    client, visitor_user, protected, settings
):
    client.force_login(visitor_user)
    html = client.get(f"/visits/{protected.visit.pk}/").content.decode()

    links = _links(html)
    for photo in (protected.private_photo, protected.shared_photo):
        assert f"/files/notes/{photo.pk}/" in links
        assert f"/files/notes/{photo.pk}/thumbnail/" in links
        for link in (f"/files/notes/{photo.pk}/", f"/files/notes/{photo.pk}/thumbnail/"):
            answer = client.get(link)
            assert answer.status_code == 200
            assert answer["Content-Type"] == "image/jpeg"
    assert not _media_links(html, settings)


def test_import_preview_links_the_uploaded_file_to_its_view(client, regency_user, protected):
    client.force_login(regency_user)
    html = client.get(f"/products/import/{protected.batch.pk}/").content.decode()
    assert f"/files/imports/{protected.batch.pk}/" in _links(html)


# --- What answers without a login (README, "Security") ----------------------------------

# URL names of the views LoginRequiredMiddleware lets through (``login_not_required``); the
# Django admin (its own login) aside. A view added here must be listed in the README too.
PUBLIC_VIEWS = {
    "login",
    "healthz",
    "set_language",
    # All four show "ask an administrator" (password reset is off).
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Buyers open a share link without an account (showroom.public_views).
    "share_collection",
    "share_product",
    "share_thanks",
    "share_photo",
}


def test_only_the_documented_views_are_public():
    from tests.core.test_csrf_walk import _site_routes

    public = {
        name
        for _route, name, entry in _site_routes()
        if not getattr(entry.callback, "login_required", True)
    }
    assert public == PUBLIC_VIEWS
