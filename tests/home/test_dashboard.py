"""The dashboard: counts and bars that link to the product list they summarise."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from catalogue.filtersets import ProductFilterSet
from catalogue.models import Product
from catalogue.product_writes import change_status
from core import roles
from core.listing import ListQuery
from regions.models import Regency
from visits.models import FollowUp, VisitNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_producer, make_product, staff_user):
    jember = make_producer("35.09")
    banyuwangi = make_producer("35.10")
    bondowoso = make_producer("35.11")
    made = [
        make_product(producer=jember, category="furnitur-kayu"),
        make_product(producer=jember, category="furnitur-logam"),
        make_product(producer=jember, category="cerutu"),
        make_product(producer=banyuwangi, category="batik"),
        make_product(producer=banyuwangi, category="makanan-olahan"),
        make_product(producer=bondowoso, category="minyak-atsiri"),
    ]
    change_status(made[0], "candidate", staff_user)
    change_status(made[2], "promoted", staff_user)
    change_status(made[3], "not_suitable", staff_user, "Terlalu mahal")
    Product.objects.filter(pk__in=[made[0].pk, made[5].pk]).update(readiness_score=80)
    return made


def _bars(content):
    """(href query, count) of every bar on the page, in order."""
    return re.findall(
        r'<li><a href="/products/\?([^"]*)">.*?<span class="v">(\d+)</span></a></li>', content
    )


def _listed_count(client, query):
    return client.get("/products/?" + query).context["page"].paginator.count


def test_dashboard_bars_match_the_lists_they_link_to(client, staff_user, catalogue):
    client.force_login(staff_user)
    response = client.get("/")
    assert response.status_code == 200
    bars = _bars(response.content.decode())
    regency_bars = [(q, int(n)) for q, n in bars if q.startswith("regency=")]
    assert len(regency_bars) == Regency.objects.count() == 7
    assert ("regency=35.09", 3) in regency_bars
    assert ("regency=35.10", 2) in regency_bars
    assert ("regency=35.11", 1) in regency_bars
    assert ("regency=35.74", 0) in regency_bars
    assert ("category=furnitur", "2") in bars
    # regencies, top-level categories, statuses, readiness buckets
    assert len(bars) == 7 + 7 + 7 + 5
    for query, count in bars:
        assert _listed_count(client, query.replace("&amp;", "&")) == int(count), query


def test_dashboard_counts(client, staff_user, catalogue):
    client.force_login(staff_user)
    response = client.get("/")
    context = response.context
    assert context["product_count"] == Product.objects.count() == 6
    assert context["ready_count"] == 2
    assert _listed_count(client, "min_readiness=75") == 2
    statuses = {row["query"]: row["n"] for row in context["statuses"]}
    assert statuses["status=draft"] == 3
    assert statuses["status=candidate"] == 1
    assert statuses["status=promoted"] == 1
    assert statuses["status=not_suitable"] == 1
    categories = {row["query"]: row["n"] for row in context["categories"]}
    assert categories["category=furnitur"] == 2
    assert categories["category=tembakau"] == 1
    assert categories["category=makanan-minuman"] == 1
    assert categories["category=minyak-atsiri"] == 1
    assert sum(categories.values()) == 6
    assert max(row["share"] for row in context["regencies"]) == 100


def test_dashboard_counts_open_and_overdue_follow_ups(client, staff_user, catalogue):
    producer = catalogue[0].producer
    today = timezone.localdate()
    FollowUp.objects.create(
        producer=producer, kind="samples", due_date=today - datetime.timedelta(days=1)
    )
    FollowUp.objects.create(producer=producer, kind="price_quote", status="in_progress")
    FollowUp.objects.create(producer=producer, kind="other", status="done")
    client.force_login(staff_user)
    context = client.get("/").context
    figures = context["follow_ups"]
    assert (figures["open"], figures["overdue"]) == (2, 1)


def test_dashboard_recent_notes_follow_who_may_read_them(
    client, visitor_user, staff_user, regency_user, catalogue
):
    producer = catalogue[0].producer
    VisitNote.objects.create(producer=producer, author=visitor_user, text="Bagus sekali")
    VisitNote.objects.create(
        producer=producer, author=visitor_user, text="Rahasia", visibility="private"
    )
    other_visitor = User.objects.create_user("visitor-two")
    other_visitor.groups.add(Group.objects.get(name=roles.VISITOR))
    seen = {}
    for user in (staff_user, regency_user, visitor_user, other_visitor):
        client.force_login(user)
        content = client.get("/").content.decode()
        seen[user.username] = {text for text in ("Bagus sekali", "Rahasia") if text in content}
    assert seen == {
        staff_user.username: {"Bagus sekali", "Rahasia"},  # regional staff read every note
        regency_user.username: {"Bagus sekali"},  # shared notes
        visitor_user.username: {"Bagus sekali", "Rahasia"},  # their own
        "visitor-two": set(),  # visitors: own notes only
    }


def test_empty_dashboard_renders(client, visitor_user):
    client.force_login(visitor_user)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["product_count"] == 0


def test_every_matrix_number_links_to_exactly_the_products_it_counts(client, staff_user, catalogue):
    client.force_login(staff_user)
    content = client.get("/?below=60").content.decode()
    table = content[content.index('data-testid="readiness-matrix"') :]
    table = table[: table.index("</table>")]
    links = re.findall(r'<a href="/products/\?([^"]*)"[^>]*>(\d+)</a>', table)
    assert links  # cells with products: below-threshold count and total
    for query, count in links:
        assert _listed_count(client, query.replace("&amp;", "&")) == int(count), query
    below = [q for q, _n in links if "max_readiness=60" in q]
    assert below and all("regency=" in q and "category=" in q for q in below)


def test_readiness_buckets_cover_every_product_once(client, staff_user, catalogue):
    client.force_login(staff_user)
    context = client.get("/").context
    assert sum(row["n"] for row in context["readiness"]) == Product.objects.count()


def test_every_product_list_link_is_canonical_and_lists_the_count_it_shows(
    client, staff_user, catalogue
):
    client.force_login(staff_user)
    content = unescape(client.get("/?below=60").content.decode())
    queries = re.findall(r'href="/products/\?([^"]*)"', content)
    assert len(queries) > 7 + 7 + 7 + 5  # bars, matrix, stat cards, regency headings
    for query in queries:  # built from filter values: each is the list's own canonical form
        assert ListQuery.from_string(ProductFilterSet, query).query_string == query, query
    stats = re.findall(
        r'<a class="stat" href="/products/\?([^"]*)"><div class="n"[^>]*>(\d+)<', content
    )
    assert stats == [("min_readiness=75", "2")]
    for query, count in stats:
        assert _listed_count(client, query) == int(count), query
    context = client.get("/").context
    for row in context["matrix"]:  # a regency heading lists every product of its row
        assert _listed_count(client, row["query"]) == row["n"], row["query"]
