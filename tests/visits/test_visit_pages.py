"""Visit list, detail (itinerary, route, notes), create/edit, and "today's visit"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from visits.models import Visit, VisitStop
from visits.services import current_visit, route_summary

pytestmark = pytest.mark.django_db


def test_visit_list_shows_visits_and_staff_get_a_new_button(client, staff_user, visit):
    client.force_login(staff_user)
    response = client.get("/visits/")
    assert response.status_code == 200
    assert b"TEC visit" in response.content
    assert b'data-testid="new-visit"' in response.content
    assert b'data-testid="today"' in response.content


def test_visitors_get_no_new_visit_button(client, visitor_user, visit):
    client.force_login(visitor_user)
    response = client.get("/visits/")
    assert b'data-testid="new-visit"' not in response.content


def test_visit_detail_shows_itinerary_route_and_notes(client, visitor_user, visit, make_note):
    make_note(text="Kursi drum sangat menarik")
    client.force_login(visitor_user)
    response = client.get(f"/visits/{visit.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("UD Drum Pakusari", "Cerutu Jember", "Batik Gajah Oling"):
        assert name in html
    assert 'data-testid="route-summary"' in html
    assert "Kursi drum sangat menarik" in html
    assert "Pakusari" in html
    # Visitors write notes but do not plan the itinerary.
    assert 'data-testid="write-note"' in html
    assert 'data-testid="stop-up"' not in html
    assert 'data-testid="edit-visit"' not in html


def test_staff_see_itinerary_controls(client, staff_user, visit):
    client.force_login(staff_user)
    html = client.get(f"/visits/{visit.pk}/").content.decode()
    assert html.count('data-testid="stop-up"') == 3
    assert 'data-testid="add-stop"' in html
    assert 'data-testid="edit-visit"' in html


def test_route_summary_lists_regencies_in_itinerary_order_with_districts(visit):
    VisitStop.objects.filter(pk=visit.stop_cigar.pk).update(status="skipped")
    stops = list(visit.stops.select_related("producer__regency", "producer__district"))
    route = route_summary(stops)
    assert [leg["regency"].code for leg in route] == ["35.09", "35.10"]
    assert route[0]["stops"] == 1  # the skipped stop is not covered
    assert route[0]["districts"] == ["Pakusari"]


def test_visit_detail_queries_do_not_grow_with_notes(
    client, staff_user, visit, make_note, django_assert_max_num_queries
):
    from tests.visits.conftest import jpeg_upload
    from visits.models import VisitNotePhoto

    client.force_login(staff_user)
    note = make_note(requested=["samples"])
    VisitNotePhoto.objects.create(note=note, image=jpeg_upload())
    client.get(f"/visits/{visit.pk}/")
    for stop in (visit.stop_drum, visit.stop_cigar, visit.stop_batik):
        for _ in range(3):
            make_note(stop=stop, requested=["samples"], interest=3)
    with django_assert_max_num_queries(22):
        response = client.get(f"/visits/{visit.pk}/")
    assert response.status_code == 200


def test_staff_create_a_visit_with_tec_by_default(client, staff_user, visitor_user):
    client.force_login(staff_user)
    page = client.get("/visits/new/")
    assert page.context["form"]["organisation"].value() == "TEC"
    response = client.post(
        "/visits/new/",
        {
            "title": "Kunjungan TEC Mei",
            "organisation": "TEC",
            "start_date": "2026-05-12",
            "end_date": "2026-05-13",
            "status": "planned",
            "purpose": "Sampel",
            "members": [visitor_user.pk],
            "member_names": "Liu Yang\n\n  Chen Jing \nLiu Yang",
        },
    )
    visit = Visit.objects.get(title="Kunjungan TEC Mei")
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/"
    assert list(visit.members.all()) == [visitor_user]
    assert visit.member_names == "Liu Yang\nChen Jing"
    assert visit.created_by == staff_user


def test_visit_cannot_end_before_it_starts(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        "/visits/new/",
        {
            "title": "Salah",
            "organisation": "TEC",
            "start_date": "2026-05-12",
            "end_date": "2026-05-10",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assert not Visit.objects.filter(title="Salah").exists()


def test_staff_edit_a_visit(client, staff_user, visit):
    client.force_login(staff_user)
    form = client.get(f"/visits/{visit.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["status"] = "under_way"
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(f"/visits/{visit.pk}/edit/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == "under_way"


@pytest.mark.parametrize("role", ["regency", "visitor"])
def test_only_staff_plan_visits(client, role_users, visit, role):
    client.force_login(role_users[role])
    assert client.get("/visits/new/").status_code == 403
    assert client.post(f"/visits/{visit.pk}/edit/", {"title": "x"}).status_code == 403
    visit.refresh_from_db()
    assert visit.title == "TEC visit"


def test_unknown_visit_is_404(client, visitor_user):
    client.force_login(visitor_user)
    assert client.get("/visits/99999/").status_code == 404
    assert client.get("/visits/99999/notes/new/").status_code == 404


# --- Today's visit --------------------------------------------------------------------


def _visit(title, start, days=1, **fields):
    return Visit.objects.create(
        title=title, start_date=start, end_date=start + timedelta(days=days - 1), **fields
    )


def test_today_is_the_visit_under_way(visitor_user):
    today = timezone.localdate()
    _visit("past", today - timedelta(days=30))
    running = _visit("running", today - timedelta(days=1), days=3)
    _visit("next", today + timedelta(days=3))
    assert current_visit(visitor_user, today) == running


def test_today_prefers_the_users_own_visit(visitor_user):
    today = timezone.localdate()
    _visit("other", today)
    mine = _visit("mine", today)
    mine.members.add(visitor_user)
    assert current_visit(visitor_user, today) == mine


def test_without_a_visit_today_the_next_one_then_the_latest(visitor_user):
    today = timezone.localdate()
    past = _visit("past", today - timedelta(days=30))
    _visit("cancelled", today + timedelta(days=1), status="cancelled")
    upcoming = _visit("next", today + timedelta(days=10))
    assert current_visit(visitor_user, today) == upcoming
    upcoming.delete()
    assert current_visit(visitor_user, today) == past


def test_today_redirects_to_the_note_page(client, visitor_user, visit):
    client.force_login(visitor_user)
    response = client.get("/visits/today/")
    assert response.status_code == 302
    assert response["Location"] == f"/visits/{visit.pk}/notes/new/"


def test_today_without_any_visit_opens_a_free_note(client, visitor_user):
    client.force_login(visitor_user)
    response = client.get("/visits/today/")
    assert response["Location"] == "/notes/new/"
