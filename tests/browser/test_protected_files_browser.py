"""Protected uploads as users see them in a real Chromium, checked per object: a visitor's
own note photos display on the visit page and open full size; another visitor asking for the
same photo gets 404; the certificate link of a product page downloads the PDF. Screenshots
land in ``test-artifacts/files-*.png``.

(pytest-django's live server answers ``/media/`` itself, beside the site's URLs, so the
refusal of the protected folders there is tested with the test client in
``tests/core/test_security.py``.)
"""

import pytest
from playwright.sync_api import expect

from core import roles
from tests.conftest import _user
from tests.protected_files import PDF, make_protected_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def protected(make_product, visitor_user, regency_user):
    return make_protected_files(make_product(name_id="Kursi drum"), visitor_user, regency_user)


def test_author_sees_own_note_photos_and_another_visitor_gets_404(
    page, live_server, login, shot, visitor_user, protected
):
    login(visitor_user)
    page.goto(f"{live_server.url}/visits/{protected.visit.pk}/")
    thumbs = page.locator("#notes .gallery-thumbs img")
    expect(thumbs).to_have_count(2)
    for thumb in thumbs.all():
        thumb.scroll_into_view_if_needed()
        expect(thumb).to_have_js_property("complete", True)
        assert thumb.evaluate("img => img.naturalWidth > 0")
        assert "/files/notes/" in thumb.get_attribute("src")
    shot("files-01-visit-note-photos")

    photo_url = f"{live_server.url}/files/notes/{protected.private_photo.pk}/"
    page.locator(f"#notes a[href='/files/notes/{protected.private_photo.pk}/']").click()
    page.wait_for_url(photo_url)
    assert page.evaluate("() => document.images[0].naturalWidth") == 320
    shot("files-02-note-photo-full-size", full_page=False)

    login(_user("visitor-b", roles.VISITOR))
    assert page.request.get(photo_url).status == 404
    answer = page.goto(f"{live_server.url}/files/notes/{protected.shared_photo.pk}/thumbnail/")
    assert answer.status == 404


def test_certificate_link_on_the_product_page_downloads_the_pdf(
    page, live_server, login, shot, staff_user, protected
):
    login(staff_user)
    product = protected.certificate.product
    page.goto(f"{live_server.url}/products/{product.code}/")
    link = page.locator("[data-testid=certificate-document]")
    expect(link).to_have_attribute("href", f"/files/certificates/{protected.certificate.pk}/")
    link.scroll_into_view_if_needed()
    shot("files-03-product-certificate-link")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"{product.code}-svlk.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF
