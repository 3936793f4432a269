"""A visit day on a phone (390×844) in a real Chromium.

A visitor opens today's visit, writes a note with a photo; writes the next one with the
network off at the moment of sending and gets it stored once the network is back (exactly
one note); a note whose answer got lost is sent again and still stored once; a note
written while the session expired is sent after logging in again. Staff turn a note into
follow-ups and close one, and the visit report prints on A4. Screenshots of every step
land in ``test-artifacts/visits-*.png`` (and the report as ``visits-report.pdf``).
"""

import io
import re
import shutil
import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD
from visits.models import FollowUp, Visit, VisitNote, VisitNotePhoto, VisitStop

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def photo(name="drum.jpg", colour=(20, 90, 110)):
    """A phone-sized JPEG (4000×3000, so the page shrinks it before sending)."""
    image = Image.new("RGB", (4000, 3000), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse([1000, 600, 3000, 2400], fill=(240, 200, 60))
    draw.rectangle([200, 200, 1400, 900], outline=(255, 255, 255), width=40)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@pytest.fixture
def visit_day(make_producer, make_product, visitor_user):
    """A TEC visit today: a drum workshop in Pakusari, a cigar factory, a batik house."""
    today = timezone.localdate()
    visit = Visit.objects.create(title="Kunjungan TEC hari ini", start_date=today, end_date=today)
    visit.members.add(visitor_user)
    stops = []
    for position, (regency, district, name, hour) in enumerate(
        [
            ("35.09", "35.09.24", "UD Drum Pakusari", 8),
            ("35.09", None, "Cerutu Besuki Jember", 10),
            ("35.10", None, "Batik Gajah Oling", 14),
        ],
        start=1,
    ):
        producer = make_producer(regency, district, name=name)
        planned = timezone.make_aware(datetime.combine(today, time(hour, 30)))
        stops.append(
            VisitStop.objects.create(
                visit=visit, producer=producer, position=position, planned_at=planned
            )
        )
    chair = make_product(stops[0].producer, "furnitur-logam", name_id="Kursi drum bekas")
    make_product(stops[0].producer, "furnitur-logam", name_id="Meja drum")
    make_product(stops[1].producer, name_id="Cerutu robusto")
    return {"visit": visit, "stops": stops, "chair": chair}


def open_today(page, live_server, visit):
    page.goto(f"{live_server.url}/visits/today/")
    page.wait_for_url(f"**/visits/{visit.pk}/notes/new/")
    expect(page.locator("#net-state")).to_be_visible()


def write_note(page, stop, text, product=None, interest=None, requested=(), photos=()):
    page.locator(f"label[for=stop-{stop.pk}]").click()
    if product is not None:
        expect(page.locator(f"#id_product option[value='{product.code}']")).to_have_count(1)
        page.select_option("#id_product", product.code)
    page.fill("#id_text", text)
    if interest:
        page.locator(f".scale label:text-is('{interest}')").click()
    for kind in requested:
        page.locator(f".chip-checks input[value={kind}] + label").click()
    if photos:
        page.set_input_files("#id_photos", files=list(photos))
        expect(page.locator("#photo-previews img")).to_have_count(len(photos))


def no_horizontal_overflow(page):
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_visitor_notes_with_photo_online_then_offline(
    page, live_server, login, shot, visitor_user, visit_day
):
    visit, stops, chair = visit_day["visit"], visit_day["stops"], visit_day["chair"]
    page.set_viewport_size(PHONE)
    login(visitor_user, screenshot="visits-01-login")
    open_today(page, live_server, visit)
    expect(page.locator("[data-testid=stop-choice]")).to_have_count(3)
    assert no_horizontal_overflow(page)
    shot("visits-02-today")

    # Products follow the chosen stop: the drum workshop makes two.
    page.locator(f"label[for=stop-{stops[0].pk}]").click()
    expect(page.locator("#id_product option")).to_have_count(3)
    write_note(
        page,
        stops[0],
        "Kursi drum menarik untuk kafe di Shanghai; minta sampel merah.",
        product=chair,
        interest=5,
        requested=["samples", "price_quote"],
        photos=[photo()],
    )
    expect(page.locator("#draft-state")).to_contain_text("✓")
    shot("visits-03-note-filled")
    expect(page.locator(".my-notes > p.muted")).to_be_visible()  # "No notes yet."
    page.click("#note-send")
    expect(page.locator("[data-testid=sent-item]")).to_have_count(1)
    expect(page.locator("#note-status")).to_have_attribute("data-kind", "ok")
    expect(page.locator("#id_text")).to_have_value("")
    expect(page.locator(".my-notes > p.muted")).to_be_hidden()  # no "No notes yet." any more
    shot("visits-04-note-sent")
    note = VisitNote.objects.get()
    assert note.author == visitor_user
    assert (note.stop, note.product, note.interest) == (stops[0], chair, 5)
    assert note.requested == ["samples", "price_quote"]
    assert note.photos.count() == 1
    stored = note.photos.get()
    with stored.image.open() as file, Image.open(file) as image:
        assert max(image.size) <= 2560  # shrunk on the phone before sending

    # What is typed survives a reload (the draft lives on the phone).
    page.fill("#id_text", "Belum selesai diketik")
    page.reload()
    expect(page.locator("#id_text")).to_have_value("Belum selesai diketik")

    # The network drops just when the visitor presses "send".
    write_note(
        page,
        stops[1],
        "Cerutu robusto sangat baik; hanya lewat importir berlisensi.",
        interest=3,
        photos=[photo("cigar.jpg", (120, 60, 20))],
    )
    page.context.set_offline(True)
    page.click("#note-send")
    expect(page.locator("#note-status")).to_have_attribute("data-kind", "warn")
    expect(page.locator("[data-testid=outbox-item]")).to_have_count(1)
    expect(page.locator("#net-state")).to_have_class(re.compile("offline"))
    shot("visits-05-offline-kept")
    assert VisitNote.objects.count() == 1

    page.context.set_offline(False)  # the "online" event sends what was kept
    expect(page.locator("[data-testid=sent-item]")).to_have_count(1)
    expect(page.locator("#outbox")).to_be_hidden()
    shot("visits-06-back-online-sent")
    assert VisitNote.objects.count() == 2
    offline_note = VisitNote.objects.get(stop=stops[1])
    assert offline_note.text.startswith("Cerutu robusto")
    assert offline_note.photos.count() == 1

    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    expect(page.locator(".note")).to_have_count(2)
    assert no_horizontal_overflow(page)
    shot("visits-07-visit-page")


def test_note_whose_answer_was_lost_is_stored_once(
    page, live_server, login, shot, visitor_user, visit_day
):
    visit, stops = visit_day["visit"], visit_day["stops"]
    page.set_viewport_size(PHONE)
    login(visitor_user)
    open_today(page, live_server, visit)

    # The server stores the note but its answer never reaches the phone.
    lost = []

    def lose_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch().status)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/notes/new/", lose_answer)
    write_note(page, stops[2], "Batik tulis halus; minta tiga lembar sampel.", interest=4)
    page.click("#note-send")
    expect(page.locator("#note-status")).to_have_attribute("data-kind", "warn")
    expect(page.locator("[data-testid=outbox-item]")).to_have_count(1)
    assert lost == [201]
    assert VisitNote.objects.count() == 1
    shot("visits-08-answer-lost")

    page.click("#outbox-send")  # the phone sends it again, with the same token
    expect(page.locator("[data-testid=sent-item]")).to_have_count(1)
    expect(page.locator("#outbox")).to_be_hidden()
    assert VisitNote.objects.count() == 1

    # Pressing "send" again on the emptied form stores nothing.
    page.click("#note-send")
    expect(page.locator("[data-testid=send-error]")).to_be_visible()
    assert VisitNote.objects.count() == 1


def test_note_written_when_the_session_expired_is_sent_after_login(
    page, live_server, login, shot, visitor_user, visit_day
):
    visit, stops = visit_day["visit"], visit_day["stops"]
    page.set_viewport_size(PHONE)
    login(visitor_user)
    open_today(page, live_server, visit)
    write_note(page, stops[0], "Ditulis saat sesi habis.", photos=[photo()])
    page.context.clear_cookies()  # the session (and its CSRF cookie) are gone
    page.click("#note-send")
    login_link = page.locator("[data-testid=login-again]")
    expect(login_link).to_be_visible()
    shot("visits-09-session-expired")
    assert not VisitNote.objects.exists()

    login_link.click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/visits/\d+/notes/new/$"))
    page.fill("#id_username", visitor_user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action$='/accounts/login/'] button[type=submit]").click()
    page.wait_for_url(f"**/visits/{visit.pk}/notes/new/")
    expect(page.locator("[data-testid=sent-item]")).to_have_count(1)
    shot("visits-10-sent-after-login")
    note = VisitNote.objects.get()
    assert note.text == "Ditulis saat sesi habis."
    assert note.photos.count() == 1


def test_staff_turn_a_note_into_follow_ups_and_close_one(
    page, live_server, login, shot, staff_user, visitor_user, visit_day
):
    visit, stops, chair = visit_day["visit"], visit_day["stops"], visit_day["chair"]
    note = VisitNote.objects.create(
        visit=visit,
        stop=stops[0],
        producer=stops[0].producer,
        product=chair,
        author=visitor_user,
        text="Minta dua set sampel dan harga FOB Surabaya.",
        interest=5,
        requested=["samples", "price_quote"],
    )
    page.set_viewport_size(PHONE)
    login(staff_user)
    page.goto(f"{live_server.url}/visits/{visit.pk}/")
    button = page.locator(f"#note-{note.pk} [data-testid=make-follow-ups]")
    expect(button).to_be_visible()
    shot("visits-11-staff-visit-page")
    button.click()
    expect(page.locator(f"#note-{note.pk} [data-testid=follow-ups-made]")).to_be_visible()
    assert sorted(FollowUp.objects.values_list("kind", flat=True)) == ["price_quote", "samples"]
    due = timezone.localdate() + timedelta(days=14)
    assert set(FollowUp.objects.values_list("owner", "due_date", "status")) == {
        (staff_user.pk, due, "open")
    }

    page.goto(f"{live_server.url}/follow-ups/mine/")
    rows = page.locator("[data-testid=follow-up]")
    expect(rows).to_have_count(2)
    assert no_horizontal_overflow(page)
    shot("visits-12-my-follow-ups")
    rows.first.locator("[data-testid=close-follow-up]").click()
    expect(page.locator("[data-testid=follow-up]")).to_have_count(1)
    shot("visits-13-follow-up-closed")
    closed = FollowUp.objects.get(status="done")
    assert closed.closed_by == staff_user
    assert closed.closed_at is not None


def test_visit_report_prints_on_a4(page, live_server, login, shot, staff_user, visit_day):
    visit, stops, chair = visit_day["visit"], visit_day["stops"], visit_day["chair"]
    for stop, text, interest in [
        (stops[0], "Kursi drum: minta sampel merah dan hijau tua.", 5),
        (stops[0], "Meja drum terlalu berat untuk dikirim.", 3),
        (stops[1], "Cerutu robusto sangat baik.", 4),
    ]:
        VisitNote.objects.create(
            visit=visit,
            stop=stop,
            producer=stop.producer,
            product=chair if stop == stops[0] else None,
            author=staff_user,
            text=text,
            interest=interest,
            requested=["samples"],
        )
    first = VisitNote.objects.order_by("pk").first()
    for colour in ((20, 90, 110), (150, 40, 40)):
        image = photo(colour=colour)
        VisitNotePhoto.objects.create(
            note=first, image=SimpleUploadedFile(image["name"], image["buffer"], "image/jpeg")
        )
    FollowUp.objects.create(
        note=first,
        producer=stops[0].producer,
        kind="samples",
        owner=staff_user,
        due_date=timezone.localdate() + timedelta(days=14),
    )
    login(staff_user)
    page.goto(f"{live_server.url}/visits/{visit.pk}/report/")
    expect(page.locator("[data-testid=interest-summary]")).to_be_visible()
    thumbs = page.locator(".report .gallery-thumbs img")
    expect(thumbs).to_have_count(2)
    # The thumbnails are lazy: bring them into view, then wait until every one has decoded
    # (a broken image never gets a natural width, so this times out and fails).
    thumbs.last.scroll_into_view_if_needed()
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].every(i => i.complete && i.naturalWidth > 0)",
        arg=".report .gallery-thumbs img",
    )
    shot("visits-14-report-screen")
    page.emulate_media(media="print")
    expect(page.locator(".sidebar")).to_be_hidden()
    expect(page.locator(".report-toolbar")).to_be_hidden()
    # No screenshot of the print-emulated page: Chromium paints stale screen layers into
    # it (the sidebar's colour); the PDF below, turned into PNGs, is what paper shows.
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "visits-report.pdf"
    pdf = page.pdf(path=str(pdf_path), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    # A4 is 595×842 points.
    assert re.search(
        rb"/MediaBox \[0 0 595\.\d+ 841\.\d+\]|/MediaBox \[0 0 595\.\d+ 842\.\d+\]", pdf
    )
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "70",
                str(pdf_path),
                str(ARTIFACTS / "visits-15-report-pdf"),
            ],
            check=True,
        )
