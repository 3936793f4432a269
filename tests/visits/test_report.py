"""The printable visit report and the XLSX export of a visit's notes and follow-ups."""

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from openpyxl import load_workbook

from tests.visits.conftest import jpeg_upload
from visits.models import FollowUp, VisitNotePhoto
from visits.services import interest_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(visit, make_note, staff_user):
    chair_a = make_note(product=visit.drum_chair, interest=5, requested=["samples"])
    make_note(product=visit.drum_chair, interest=4, requested=["samples", "price_quote"])
    make_note(product=visit.drum_chair, text="Tanpa nilai")
    make_note(stop=visit.stop_cigar, interest=2, text="Cerutu hanya lewat importir")
    VisitNotePhoto.objects.create(note=chair_a, image=jpeg_upload("chair.jpg"))
    FollowUp.objects.create(
        note=chair_a,
        producer=chair_a.producer,
        product=chair_a.product,
        kind="samples",
        description="Kirim 2 set sampel",
        owner=staff_user,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    FollowUp.objects.create(
        note=chair_a,
        producer=chair_a.producer,
        kind="price_quote",
        description="Sudah dikirim",
        status="done",
        closed_by=staff_user,
        closed_at=timezone.now(),
    )
    return chair_a


def test_interest_summary_per_product(visit, reported):
    notes = list(visit.notes.select_related("producer", "product"))
    rows = interest_summary(notes)
    chair = next(row for row in rows if row["product"] == visit.drum_chair)
    assert chair["notes"] == 3
    assert chair["rated"] == 2
    assert chair["average"] == 4.5
    assert chair["highest"] == 5
    with translation.override("en"):
        assert {str(label): n for label, n in chair["requested"]} == {
            "Samples": 2,
            "Price quote": 1,
        }
    assert rows[0] is chair  # most wanted first
    cigar = next(row for row in rows if row["product"] is None)
    assert cigar["producer"] == visit.stop_cigar.producer


def test_report_page(client, visitor_user, visit, reported, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(visitor_user)
    response = client.get(f"/visits/{visit.pk}/report/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="route-summary"' in html
    assert 'data-testid="interest-summary"' in html
    assert "4.5" in html
    assert "Cerutu hanya lewat importir" in html
    photo = reported.photos.get()
    assert photo.thumbnail.url in html  # thumbnails, not the originals
    assert photo.image.url in html  # linked
    open_table = html.split('data-testid="open-follow-ups"')[1]
    assert "Kirim 2 set sampel" in open_table
    assert "Sudah dikirim" not in open_table
    assert "css/visits.css" in html
    assert "js/visit_report.js" in html
    assert "<script>" not in html
    assert 'data-testid="make-follow-ups"' not in html  # no buttons on paper


def test_print_stylesheet_is_a4():
    css = (Path(settings.BASE_DIR) / "static/css/visits.css").read_text()
    assert "@page { size: A4; margin: 15mm; }" in css
    assert "@media print" in css


def test_xlsx_export_has_notes_and_follow_ups(client, staff_user, visit, reported):
    client.force_login(staff_user)
    response = client.get(f"/visits/{visit.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert f"visit-{visit.pk}-" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    notes, follow_ups = workbook.worksheets
    assert notes.freeze_panes == "A2"
    assert follow_ups.freeze_panes == "A2"
    assert notes.max_row == 1 + 4
    assert follow_ups.max_row == 1 + 2
    rows = list(notes.iter_rows(min_row=2, values_only=True))
    written = [row[0] for row in rows]
    assert all(isinstance(value, datetime) for value in written)
    interests = sorted(row[9] for row in rows if row[9] is not None)
    assert interests == [2, 4, 5]
    assert all(isinstance(value, int) for value in interests)
    assert {row[6] for row in rows} >= {visit.drum_chair.code}
    header = [cell.value for cell in follow_ups[1]]
    assert len(header) == 13 and all(header)
    due = [row[6] for row in follow_ups.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(value, (date, datetime)) for value in due)
    overdue = [row[8] for row in follow_ups.iter_rows(min_row=2, values_only=True)]
    assert True in overdue
    assert notes.cell(row=2, column=1).number_format == "yyyy-mm-dd hh:mm"


def test_export_times_are_local(client, staff_user, visit, make_note):
    note = make_note()
    note.created_at = timezone.make_aware(datetime(2026, 3, 19, 9, 40))  # Asia/Jakarta
    note.save()
    client.force_login(staff_user)
    response = client.get(f"/visits/{visit.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=2, column=1).value == datetime(2026, 3, 19, 9, 40)


def test_report_and_export_are_404_for_unknown_visits(client, visitor_user):
    client.force_login(visitor_user)
    assert client.get("/visits/424242/report/").status_code == 404
    assert client.get("/visits/424242/export.xlsx").status_code == 404


def test_xlsx_export_keeps_formula_like_text_as_text(client, staff_user, visit, make_note):
    """Stored text starting with "=" stays text; a soft line break pasted from Office
    (U+000B, which XML forbids) is dropped instead of failing the export for everyone."""
    note = make_note(product=visit.drum_chair, text='=HYPERLINK("http://x")\x0bline two')
    FollowUp.objects.create(
        note=note, producer=note.producer, kind="other", description="@SUM(A1)\x01"
    )
    client.force_login(staff_user)
    response = client.get(f"/visits/{visit.pk}/export.xlsx")
    assert response.status_code == 200
    notes, follow_ups = load_workbook(io.BytesIO(response.content)).worksheets
    text = notes.cell(row=2, column=14)
    assert text.value == '=HYPERLINK("http://x")line two' and text.data_type == "s"
    description = follow_ups.cell(row=2, column=2)
    assert description.value == "@SUM(A1)" and description.data_type == "s"
