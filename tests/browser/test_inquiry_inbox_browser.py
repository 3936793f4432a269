"""The inquiry inbox in a real Chromium: staff handle what buyers sent.

Regional staff log in, find a buyer's new inquiry in ``/inquiries/``, filter the list by
status, open the inquiry, give it an owner and move it new → answered → quotation with
notes, and turn it into a follow-up; the list on a phone (390×844). Regency staff see only
the inquiries about their regencies' products and get 404 on another regency's. The
export links download the rows the filtered list shows. The inquiries arrive through the
buyers' write path (``showroom.receiving.receive_inquiry``; the public form itself is
driven in ``test_showroom_browser.py``). Screenshots: ``test-artifacts/inbox-*.png``.
"""

import csv
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone, translation
from playwright.sync_api import expect

from catalogue.choices import PromotionStatus
from core import roles
from showroom import collection_writes
from showroom.choices import InquiryStatus
from showroom.inquiries import save_inquiry
from showroom.models import Collection, Inquiry
from showroom.receiving import receive_inquiry
from tests.conftest import PASSWORD
from visits.models import FollowUp

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def label(status):
    """A status as the Indonesian pages show it (the browser asks for id-ID)."""
    with translation.override("id"):
        return str(InquiryStatus(status).label)


def no_horizontal_overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def listed_references(page):
    return page.locator(
        "[data-testid=inquiry-table] tbody tr td:first-child a.code"
    ).all_inner_texts()


@pytest.fixture
def inbox(make_producer, make_product, staff_user):
    """A link of a Jember drum chair and a Banyuwangi batik; three inquiries through it:
    one about the chair (new), one about the batik (already answered), one about both."""
    chair = make_product(
        producer=make_producer("35.09", name="UD Drum Pakusari"),
        category="furnitur-logam",
        name_id="Kursi drum daur ulang",
        name_zh="回收油桶椅",
    )
    batik = make_product(
        producer=make_producer("35.10", name="Batik Gajah Oling"),
        category="batik",
        name_id="Batik gajah oling",
    )
    collection = collection_writes.save_collection(
        Collection(name_id="TEC Shanghai 2026"), staff_user
    )
    collection_writes.add_products(collection, [chair, batik], staff_user)
    link = collection_writes.create_link(
        collection,
        staff_user,
        label="Importir Ningbo",
        expires_at=timezone.now() + timedelta(days=30),
    )
    batik_inquiry = receive_inquiry(
        link,
        [batik],
        "zh-hans",
        name="李女士",
        company="义乌纺织品公司",
        wechat="li_yiwu",
        message="请寄三块样布。",
    )
    batik_inquiry.status = InquiryStatus.ANSWERED
    save_inquiry(batik_inquiry, staff_user, batik_inquiry.version)
    both = receive_inquiry(
        link,
        [chair, batik],
        "en",
        name="Mr Zhou",
        company="Shanghai Mix Trading",
        email="zhou@example.com",
        message="Prices for both, please.",
    )
    chair_inquiry = receive_inquiry(
        link,
        [chair],
        "zh-hans",
        name="王先生",
        company="宁波进出口有限公司",
        city="宁波",
        wechat="wang_ningbo",
        quantity="200 件",
        message="请报价，并告知样品费用。",
    )
    return {
        "chair": chair,
        "batik": batik,
        "link": link,
        "chair_inquiry": chair_inquiry,
        "batik_inquiry": batik_inquiry,
        "both": both,
    }


@pytest.fixture
def dewi(db):
    """A second member of Bakorwil's staff, to own the inquiry."""
    user = User.objects.create_user(
        "dewi", password=PASSWORD, first_name="Dewi", last_name="Lestari"
    )
    user.groups.add(Group.objects.get(name=roles.REGIONAL_STAFF))
    return user


def handle(page, status, notes, owner=None):
    """Fill the detail page's handling form and save; back on the same page."""
    form = page.locator("[data-testid=inquiry-form]")
    form.locator("#id_status").select_option(status)
    if owner is not None:
        form.locator("#id_owner").select_option(str(owner.pk))
    form.locator("#id_notes").fill(notes)
    with page.expect_navigation():
        form.locator("[data-testid=save]").click()
    expect(page.locator(".messages li.success")).to_have_count(1)


def test_staff_handle_a_new_inquiry_from_list_to_follow_up(
    page, live_server, login, shot, staff_user, dewi, inbox
):
    inquiry = inbox["chair_inquiry"]
    inbox["chair"].refresh_from_db()
    assert inbox["chair"].status == PromotionStatus.BUYER_INTEREST  # the buyer's write path
    page.set_viewport_size(LAPTOP)
    login(staff_user, screenshot="inbox-01-login")

    page.goto(f"{live_server.url}/inquiries/")
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*3\b"))
    rows = page.locator("[data-testid=inquiry-table] tbody tr")
    new_row = rows.filter(has_text="宁波进出口有限公司")
    expect(new_row).to_have_count(1)
    expect(new_row.locator(".badge")).to_have_text(label("new"))
    expect(new_row).to_contain_text(inbox["chair"].code)
    expect(new_row).to_contain_text("200 件")
    expect(rows.first).to_contain_text(inquiry.reference)  # newest first
    assert no_horizontal_overflow(page), "the inbox is wider than a 1280 px screen"
    shot("inbox-02-list")

    # Filter: only the new ones (the batik inquiry was answered already).
    filters = page.locator("aside.filters")
    filters.locator("select[name=status]").select_option(["new"])
    filters.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]status=new\b"))
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*2\b"))
    assert listed_references(page) == [inquiry.reference, inbox["both"].reference]
    expect(page.locator(".chips a.chip")).to_have_count(1)
    expect(page.locator(".chips a.chip")).to_contain_text(label("new"))
    expect(page.locator("[data-testid=export-links] a").first).to_have_attribute(
        "href", re.compile(r"status=new")
    )
    shot("inbox-03-list-new-only")

    # Open the inquiry: the buyer's words as sent.
    new_row = page.locator("[data-testid=inquiry-table] tbody tr").filter(has_text="宁波")
    new_row.locator("td:first-child a.code").click()
    page.wait_for_url(f"**/inquiries/{inquiry.pk}/")
    expect(page.locator("[data-testid=inquiry-contact]")).to_contain_text("wang_ningbo")
    expect(page.locator("[data-testid=inquiry-message]")).to_have_text("请报价，并告知样品费用。")
    expect(page.locator("[data-testid=inquiry-products]")).to_contain_text(inbox["chair"].code)
    expect(page.locator("[data-testid=inquiry-status]")).to_have_text(label("new"))
    shot("inbox-04-detail-new")

    # new → answered, owned by Dewi.
    handle(page, "answered", "Harga FOB dikirim lewat WeChat.", owner=dewi)
    expect(page.locator("[data-testid=inquiry-status]")).to_have_text(label("answered"))
    expect(page.locator("#id_owner")).to_have_value(str(dewi.pk))
    # answered → quotation, with a longer note.
    handle(page, "quotation", "Penawaran resmi: Rp 850.000/unit, MOQ 20, kirim 30 hari.")
    status = page.locator("[data-testid=inquiry-status]")
    expect(status).to_have_text(label("quotation"))
    expect(status).to_have_class(re.compile(r"\binquiry-quotation\b"))
    history = page.locator("[data-testid=inquiry-history] > li")
    expect(history).to_have_count(3)  # received, answered (with owner), quotation
    expect(history.nth(0)).to_contain_text(f"{label('answered')} → {label('quotation')}")
    expect(history.nth(1)).to_contain_text(f"{label('new')} → {label('answered')}")
    expect(history.nth(1)).to_contain_text("Dewi Lestari")
    expect(history.nth(1)).to_contain_text(staff_user.username)  # who made the change
    shot("inbox-05-detail-quotation")

    # Turn it into a follow-up: a price quote for the chair's producer, owned by Dewi.
    fu_form = page.locator("[data-testid=inquiry-follow-ups-form]")
    expect(fu_form.locator("#fu-owner")).to_have_value(str(dewi.pk))  # the inquiry's owner
    expect(fu_form.locator("#fu-kind")).to_have_value("price_quote")
    fu_form.locator("#fu-due").fill("2026-12-20")
    with page.expect_navigation():
        fu_form.locator("[data-testid=create-follow-ups]").click()
    expect(page.locator(".messages li.success")).to_have_count(1)
    follow_up = FollowUp.objects.get()
    expect(page.locator(f"#followup-{follow_up.pk}")).to_contain_text(inbox["chair"].code)
    expect(page.locator(f"#followup-{follow_up.pk}")).to_contain_text("UD Drum Pakusari")
    # The handling form still shows the state after the follow-up's round trip.
    expect(page.locator("[data-testid=inquiry-status]")).to_have_text(label("quotation"))
    assert no_horizontal_overflow(page)
    shot("inbox-06-detail-follow-up")

    # The database: the inquiry, its history, the follow-up.
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.owner, inquiry.notes) == (
        InquiryStatus.QUOTATION,
        dewi,
        "Penawaran resmi: Rp 850.000/unit, MOQ 20, kirim 30 hari.",
    )
    records = list(inquiry.history.order_by("history_date", "history_id"))
    assert [r.status for r in records] == ["new", "answered", "quotation"]
    assert [r.history_user for r in records] == [None, staff_user, staff_user]
    assert records[1].owner_id == dewi.pk and records[1].notes.startswith("Harga FOB")
    assert (follow_up.source, follow_up.product, follow_up.producer) == (
        inquiry,
        inbox["chair"],
        inbox["chair"].producer,
    )
    assert (follow_up.kind, follow_up.owner, follow_up.due_date) == (
        "price_quote",
        dewi,
        date(2026, 12, 20),
    )
    assert inquiry.reference in follow_up.description
    # The other inquiries were left alone.
    assert Inquiry.objects.get(pk=inbox["both"].pk).status == InquiryStatus.NEW
    assert Inquiry.objects.get(pk=inbox["both"].pk).owner is None

    # The list shows the new state; on a phone too.
    page.goto(f"{live_server.url}/inquiries/?owner=dewi")
    assert listed_references(page) == [inquiry.reference]
    row = page.locator("[data-testid=inquiry-table] tbody tr").first
    expect(row.locator(".badge")).to_have_text(label("quotation"))
    expect(row).to_contain_text("Dewi Lestari")
    shot("inbox-07-list-owner")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/inquiries/")
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*3\b"))
    assert no_horizontal_overflow(page), "the inbox is wider than the phone"
    first = page.locator("[data-testid=inquiry-table] tbody tr").first
    expect(first.locator("td:first-child a.code")).to_be_in_viewport()
    expect(first.locator(".badge")).to_have_text(label("quotation"))
    expect(first.locator("td.hide-sm").first).to_be_hidden()  # quantity, owner, link: laptop only
    filters, toggle = page.locator("#filters"), page.locator("button.filters-toggle")
    expect(filters).to_be_hidden()
    shot("inbox-08-phone-list", full_page=False)
    toggle.click()
    expect(filters).to_be_visible()
    filters.locator("select[name=status]").select_option(["quotation"])
    filters.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]status=quotation\b"))
    assert listed_references(page) == [inquiry.reference]
    assert no_horizontal_overflow(page)
    shot("inbox-09-phone-filtered", full_page=False)


def test_regency_staff_see_only_their_regencies_inquiries(
    page, live_server, login, shot, regency_user, inbox
):
    """``regency_user`` covers Jember: the chair's and the mixed inquiry, not the batik's."""
    page.set_viewport_size(LAPTOP)
    login(regency_user)
    page.goto(f"{live_server.url}/inquiries/")
    expect(page.locator("[data-testid=result-count]")).to_have_text(re.compile(r"^\s*2\b"))
    assert listed_references(page) == [
        inbox["chair_inquiry"].reference,
        inbox["both"].reference,
    ]
    expect(page.locator("[data-testid=inquiry-table]")).not_to_contain_text("义乌纺织品公司")
    shot("inbox-10-regency-list")

    # Not even a filter by the other regency brings it in.
    page.goto(f"{live_server.url}/inquiries/?regency=35.10")
    assert listed_references(page) == [inbox["both"].reference]

    own = page.goto(f"{live_server.url}{inbox['chair_inquiry'].get_absolute_url()}")
    assert own.status == 200
    token = page.locator("[data-testid=inquiry-form] input[name=csrfmiddlewaretoken]")
    csrf = token.get_attribute("value")

    other = inbox["batik_inquiry"]
    response = page.goto(f"{live_server.url}{other.get_absolute_url()}")
    assert response.status == 404
    assert "义乌纺织品公司" not in page.content()
    shot("inbox-11-regency-other-404")

    # Nor can they write to it, with a valid session and CSRF token.
    url = f"{live_server.url}{other.get_absolute_url()}"
    headers = {"X-CSRFToken": csrf, "Referer": url}
    posted = page.request.post(
        url,
        form={"version": str(other.version), "status": "lost", "owner": "", "notes": "x"},
        headers=headers,
        max_redirects=0,
    )
    assert posted.status == 404
    follow_ups = page.request.post(
        f"{url}follow-ups/", form={"kind": "samples"}, headers=headers, max_redirects=0
    )
    assert follow_ups.status == 404
    other.refresh_from_db()
    assert (other.status, other.notes) == (InquiryStatus.ANSWERED, "")
    assert not FollowUp.objects.exists()
    # The same request on their own regency's inquiry goes through: the 404 was the scope.
    own_inquiry = inbox["chair_inquiry"]
    own_url = f"{live_server.url}{own_inquiry.get_absolute_url()}"
    saved = page.request.post(
        own_url,
        form={"version": str(own_inquiry.version), "status": "answered", "owner": "", "notes": "x"},
        headers={"X-CSRFToken": csrf, "Referer": own_url},
        max_redirects=0,
    )
    assert saved.status == 302
    own_inquiry.refresh_from_db()
    assert (own_inquiry.status, own_inquiry.notes) == (InquiryStatus.ANSWERED, "x")

    # Their export holds their rows only.
    page.goto(f"{live_server.url}/inquiries/")
    with page.expect_download() as download_info:
        page.locator("[data-testid=export-links] a", has_text="CSV").click()
    assert [row["reference"] for row in csv_rows(download_info.value)] == [
        inbox["chair_inquiry"].reference,
        inbox["both"].reference,
    ]


def csv_rows(download):
    with open(download.path(), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_export_downloads_the_rows_of_the_filtered_list(
    page, live_server, login, shot, staff_user, inbox
):
    page.set_viewport_size(LAPTOP)
    login(staff_user)
    page.goto(f"{live_server.url}/inquiries/?status=new")
    shown = listed_references(page)
    assert shown == [inbox["chair_inquiry"].reference, inbox["both"].reference]
    shot("inbox-12-export-filtered")

    with page.expect_download() as download_info:
        page.locator("[data-testid=export-links] a", has_text="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = csv_rows(download)
    assert [row["reference"] for row in rows] == shown
    assert {row["status"] for row in rows} == {"new"}
    chair_row = rows[0]
    assert (chair_row["company"], chair_row["wechat"], chair_row["quantity"]) == (
        "宁波进出口有限公司",
        "wang_ningbo",
        "200 件",
    )
    assert chair_row["products"] == inbox["chair"].code
    assert rows[1]["products"] == ", ".join(sorted([inbox["chair"].code, inbox["batik"].code]))

    with page.expect_download() as download_info:
        page.locator("[data-testid=export-links] a", has_text="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
    sheet, about = book.worksheets
    table = list(sheet.iter_rows(values_only=True))
    header = list(table[0])
    references = [row[header.index("reference")] for row in table[1:]]
    assert references == shown
    assert {row[header.index("status")] for row in table[1:]} == {"new"}
    about_values = [row[1] for row in about.iter_rows(values_only=True)]
    assert "status=new" in about_values  # the query the file was made from

    # Without the filter, the export holds every row again.
    page.locator(".chips a.chip").click()
    page.wait_for_url(lambda url: "status=" not in url)
    with page.expect_download() as download_info:
        page.locator("[data-testid=export-links] a", has_text="CSV").click()
    every = [row["reference"] for row in csv_rows(download_info.value)]
    assert every == listed_references(page)
    assert set(every) == {i.reference for i in Inquiry.objects.all()} and len(every) == 3
