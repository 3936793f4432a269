"""A note's words reach only those who may read the note, wherever they are quoted.

The table below crosses every place that shows notes or what comes of them (follow-ups
on pages, the report, the XLSX export, the dashboard) with authors, visibilities and
readers; the readers follow README "Notes:" and ``visits.access``.
"""

import io

import pytest
from django.conf import settings
from openpyxl import load_workbook

from visits import services
from visits.models import FollowUp

pytestmark = pytest.mark.django_db

MARKER = "QZX7781 harga khusus untuk TEC"


@pytest.fixture
def role_users(role_users):
    """One user per role, and a second visitor (visitors read their own notes only)."""
    from tests.conftest import _user

    return {**role_users, "other visitor": _user("visitor-two", "Visitor")}


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _xlsx(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    workbook = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


PLACES = {
    "follow-up list": lambda c, v: _html(c, "/follow-ups/?status=all"),
    "my follow-ups": lambda c, v: _html(c, "/follow-ups/mine/?status=all"),
    "visit page": lambda c, v: _html(c, f"/visits/{v.pk}/"),
    "visit report": lambda c, v: _html(c, f"/visits/{v.pk}/report/"),
    "visit xlsx": lambda c, v: _xlsx(c, f"/visits/{v.pk}/export.xlsx"),
    "producer page": lambda c, v: _html(c, f"/producers/{v.stop_drum.producer.code}/"),
    "product page": lambda c, v: _html(c, f"/products/{v.drum_chair.code}/"),
    "dashboard": lambda c, v: _html(c, "/"),
}

# (author, visibility, reader, may the reader read the note)
READERS = [
    ("staff", "shared", "visitor", False),
    ("staff", "shared", "regency", True),
    ("staff", "shared", "staff", True),
    ("staff", "shared", "admin", True),
    ("staff", "private", "visitor", False),
    ("staff", "private", "regency", False),
    ("staff", "private", "admin", True),
    ("regency", "private", "regency", True),
    ("regency", "private", "staff", True),
    ("regency", "shared", "visitor", False),
    ("regency", "shared", "staff", True),
    ("visitor", "shared", "visitor", True),
    ("visitor", "shared", "other visitor", False),
    ("visitor", "shared", "regency", True),
    ("visitor", "private", "regency", False),
]


def _quoted_note(make_note, visit, role_users, author, visibility, owner):
    """A note with the marker, turned into follow-ups by staff and owned by ``owner``."""
    note = make_note(
        author=role_users[author],
        text=f"{MARKER}: kursi drum 50 set, warna merah.",
        visibility=visibility,
        product=visit.drum_chair,
        requested=["samples", "price_quote"],
    )
    services.follow_ups_from_note(note, role_users["staff"], owner=owner)
    return note


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize(("author", "visibility", "reader", "may_read"), READERS)
def test_note_text_reaches_only_its_readers(
    client, role_users, visit, make_note, place, author, visibility, reader, may_read
):
    _quoted_note(make_note, visit, role_users, author, visibility, owner=role_users[reader])
    client.force_login(role_users[reader])
    shown = PLACES[place](client, visit)
    assert (MARKER in shown) is may_read


FOLLOW_UP_PAGES = ["follow-up list", "my follow-ups", "visit page", "visit report"]
FOLLOW_UP_PAGES += ["producer page", "product page"]


@pytest.mark.parametrize("place", FOLLOW_UP_PAGES)
def test_follow_ups_quote_the_note_to_its_readers(client, role_users, visit, make_note, place):
    _quoted_note(make_note, visit, role_users, "visitor", "private", owner=role_users["staff"])
    client.force_login(role_users["staff"])
    page = PLACES[place](client, visit)
    assert page.count('data-testid="note-quote"') == 2  # one per follow-up
    assert 'data-testid="note-quote-hidden"' not in page


@pytest.mark.parametrize("place", FOLLOW_UP_PAGES)
def test_follow_up_of_an_unreadable_note_keeps_its_action_visible(
    client, role_users, visit, make_note, place
):
    visitor = role_users["visitor"]
    _quoted_note(make_note, visit, role_users, "staff", "shared", owner=visitor)
    client.force_login(visitor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = PLACES[place](client, visit)
    assert MARKER not in page
    assert page.count('data-testid="note-quote-hidden"') == 2
    assert "(from a note you cannot read)" in page
    assert "Samples" in page and "Price quote" in page
    assert "visitor-test" in page  # the owner


def test_xlsx_quotes_the_note_or_says_it_cannot_be_read(client, role_users, visit, make_note):
    _quoted_note(make_note, visit, role_users, "staff", "shared", owner=role_users["staff"])
    FollowUp.objects.filter(kind="samples").update(description="Kirim 2 set ke TEC")

    def follow_up_rows(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(f"/visits/{visit.pk}/export.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[1]
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        what, typed, quote = (header.index(h) for h in ("What", "Description", "From the note"))
        return sorted((row[what], row[typed] or "", row[quote]) for row in rows[1:])

    assert follow_up_rows(role_users["visitor"]) == [
        ("Price quote", "", "(from a note you cannot read)"),
        ("Samples", "Kirim 2 set ke TEC", "(from a note you cannot read)"),
    ]
    quote = f"{MARKER}: kursi drum 50 set, warna merah."
    assert follow_up_rows(role_users["regency"]) == [
        ("Price quote", "", quote),
        ("Samples", "Kirim 2 set ke TEC", quote),
    ]


def test_long_notes_are_quoted_by_their_opening(role_users, visit, make_note):
    from visits.access import QUOTE_CHARS, note_quote

    note = make_note(author=role_users["staff"], text="kata " * 100)
    quote = note_quote(role_users["regency"], note)
    assert quote.readable and len(str(quote)) == QUOTE_CHARS
    assert str(quote).endswith("…") and note.text.startswith(str(quote)[:-1])
    assert note_quote(role_users["regency"], None) is None


def test_follow_up_list_asks_no_query_per_follow_up(
    client, role_users, visit, make_note, django_assert_max_num_queries
):
    for _ in range(3):
        _quoted_note(make_note, visit, role_users, "staff", "shared", owner=role_users["staff"])
    client.force_login(role_users["visitor"])
    client.get("/follow-ups/")  # warm up session and per-request caches
    with django_assert_max_num_queries(8) as queries:
        client.get("/follow-ups/")
    few = len(queries)
    _quoted_note(make_note, visit, role_users, "staff", "shared", owner=role_users["staff"])
    with django_assert_max_num_queries(few):
        client.get("/follow-ups/")
