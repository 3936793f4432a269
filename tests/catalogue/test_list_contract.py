"""One query string, one set of rows: the list, its export, its lookbook and a bulk action on
all matching products select exactly the same products."""

import csv
import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.models import Product, ProductPhoto, Tag

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

UNDERSTOOD = [
    "",
    "q=kursi",
    "q=drum+kursi",
    "regency=35.09",
    "regency=35.10&category=batik",
    "district=35.09.24",
    "status=candidate&status=shortlisted",
    "min_readiness=40",
    "min_readiness=40&sort=-readiness",
    "has_photo=1",
    "has_photo=0&regency=35.09",
    "regency=35.09&status=draft&sort=-price&q=drum",
    "status=draft&regency=35.09&status=&category=&page=2&per_page=25&view=grid",
]
NOT_UNDERSTOOD = [
    "regency=99.99",
    "min_readiness=abc&regency=35.10",
    "has_photo=maybe&q=kursi",
    "status=nope&status=draft",
    "regency=35.09&district=35.10.01",  # a district outside the regency
]


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def catalogue(make_producer, make_product):
    drum = make_producer("35.09", "35.09.24", name="Drum Pakusari")
    ptpn = make_producer("35.09", name="PTPN Cerutu")
    batik = make_producer("35.10", name="Batik Gandrung")
    made = [
        make_product(producer=drum, category="furnitur-logam", name_id="Kursi drum", price_idr=9),
        make_product(producer=drum, name_id="Kursi jati", price_idr=5, status="candidate"),
        make_product(producer=drum, name_id="Meja drum", price_idr=7),
        make_product(producer=ptpn, category="cerutu", name_id="Cerutu Besuki", price_idr=3),
        make_product(
            producer=ptpn, category="cerutu", name_id="Kursi cerutu", status="shortlisted"
        ),
        make_product(producer=batik, category="batik", name_id="Batik gajah oling", price_idr=4),
        make_product(producer=batik, category="batik", name_id="Batik kursi", status="candidate"),
    ]
    for product in made[::2]:
        ProductPhoto.objects.create(product=product, image=_jpeg(), is_primary=True)
    for score, product in zip([10, 45, 80, 40, 95, 20, 60], made, strict=True):
        Product.objects.filter(pk=product.pk).update(readiness_score=score)
    return [product.code for product in made]


def listed(client, query):
    response = client.get(f"/products/?{query}&per_page=200", **EN)
    assert response.status_code == 200
    page = response.context["page"]
    assert not page.has_next()
    return response, [product.code for product in page.object_list]


def exported(client, query):
    response = client.get(f"/products/export/?format=csv&{query}", **EN)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(body))][1:]


def bulk_tagged(client, query, tag="contract"):
    """The codes a bulk "add tag" on all matching products reached, and its messages."""
    Tag.objects.filter(name=tag).delete()
    response = client.post(
        "/products/bulk/",
        {"action": "add_tag", "tag": tag, "select_all": "1", "query": query},
        follow=True,
        **EN,
    )
    messages = [m.message for m in response.context["messages"]]
    tagged = Product.objects.filter(tags__name=tag).values_list("code", flat=True)
    return sorted(tagged), messages


def hidden_query(response):
    """The bulk form's hidden query field of a list page."""
    match = re.search(r'name="query" value="([^"]*)"', response.content.decode())
    assert match
    return unescape(match.group(1))


@pytest.mark.parametrize("query", UNDERSTOOD)
def test_list_export_lookbook_and_bulk_select_the_same_products(staff_client, catalogue, query):
    response, codes = listed(staff_client, query)
    assert exported(staff_client, query) == codes
    lookbook = staff_client.get(f"/products/lookbook/?{query}", **EN)
    assert [sheet["product"].code for sheet in lookbook.context["sheets"]] == codes
    # The bulk form sends the list's query string as the list page wrote it.
    posted = hidden_query(response)
    assert posted == response.context["listing"].query_string
    tagged, _messages = bulk_tagged(staff_client, posted)
    assert tagged == sorted(codes)


@pytest.mark.parametrize("query", NOT_UNDERSTOOD)
def test_a_filter_not_understood_is_ignored_by_list_and_export_and_stops_the_bulk(
    staff_client, catalogue, query
):
    response, codes = listed(staff_client, query)
    assert response.context["listing"].errors() or response.context["listing"].notices()
    assert exported(staff_client, query) == codes
    tagged, messages = bulk_tagged(staff_client, hidden_query(response))
    assert tagged == [] and messages[0].startswith("Nothing was changed")
    # Rows picked one by one still change: the ones the list shows.
    picked = [catalogue[0], catalogue[5]]
    staff_client.post(
        "/products/bulk/",
        {"action": "add_tag", "tag": "picked", "selected": picked, "query": query},
    )
    changed = set(Product.objects.filter(tags__name="picked").values_list("code", flat=True))
    assert changed == set(picked) & set(codes)


def test_a_search_past_its_bounds_is_cut_alike_and_stops_only_a_bulk_sent_uncut(
    staff_client, catalogue
):
    query = "q=" + "+".join(["kursi"] * 11)
    response, codes = listed(staff_client, query)
    assert codes and response.context["listing"].notices()
    assert exported(staff_client, query) == codes
    # The list's own bulk form sends the search as the list read it (ten words) ...
    assert bulk_tagged(staff_client, hidden_query(response))[0] == sorted(codes)
    # ... a query string with the eleventh word changes nothing.
    tagged, messages = bulk_tagged(staff_client, query)
    assert tagged == [] and messages[0].startswith("Nothing was changed")


def test_every_link_of_the_list_carries_the_canonical_query_string(staff_client, catalogue):
    response = staff_client.get(
        "/products/?status=draft&regency=35.09&status=candidate&category=&view=grid&page=1&x=1"
    )
    canonical = "regency=35.09&status=candidate&status=draft"
    assert response.context["listing"].query_string == canonical
    content = unescape(response.content.decode())
    for link in (
        f'href="/products/export/?{canonical}&format=xlsx"',
        f'href="/products/export/?{canonical}&format=lookbook"',
        f'href="/products/lookbook/?{canonical}"',
        f'name="query" value="{canonical}"',
    ):
        assert link in content, link
    # Edits return to the list as it was shown, page parameters included.
    session = staff_client.session
    assert session["list_url:products"] == f"/products/?page=1&{canonical}&view=grid"


def test_the_export_is_recorded_with_the_canonical_query_string(staff_client, catalogue):
    from catalogue.models import ExportRecord

    exported(staff_client, "status=draft&regency=35.09&status=candidate&page=2&q=")
    assert ExportRecord.objects.get().query == "regency=35.09&status=candidate&status=draft"
