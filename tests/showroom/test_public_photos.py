"""Product photos for buyers: WebP thumbnails through the share link only."""

import pytest
from PIL import Image

from tests.showroom.public_fixtures import _fresh_cache, buyer, shared  # noqa: F401

pytestmark = pytest.mark.django_db


def photo_url(link, photo, width=320):
    return f"{link.get_absolute_url()}p/{photo.pk}/{width}.webp"


def test_photo_of_a_live_link_is_a_webp_thumbnail_made_once(shared, buyer, settings):
    import io

    url = photo_url(shared["live"], shared["photo"])
    response = buyer.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "max-age=2592000" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP" and max(image.size) <= 320
    stored = list((settings.MEDIA_ROOT / "showroom" / "webp").iterdir())
    assert len(stored) == 1
    b"".join(buyer.get(url).streaming_content)
    assert len(list((settings.MEDIA_ROOT / "showroom" / "webp").iterdir())) == 1


def test_photo_needs_a_live_link_and_a_product_of_its_collection(shared, buyer, make_product):
    from catalogue.models import ProductPhoto
    from tests.catalogue.test_product_edit import jpeg

    photo = shared["photo"]
    assert buyer.get(photo_url(shared["revoked"], photo)).status_code == 404
    assert buyer.get(photo_url(shared["expired"], photo)).status_code == 404
    assert buyer.get(photo_url(shared["live"], photo, 333)).status_code == 404
    other = ProductPhoto.objects.create(product=make_product(), image=jpeg())
    assert buyer.get(photo_url(shared["live"], other)).status_code == 404


def test_originals_stay_behind_the_login(shared, buyer, settings):
    settings.SERVE_MEDIA = True
    response = buyer.get(shared["photo"].image.url)
    assert response.status_code in (302, 404)
