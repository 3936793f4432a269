"""Staff plan the itinerary: add, reorder, mark visited/skipped, edit, remove stops."""

import pytest

from tests.catalogue.test_product_edit import form_data
from tests.visits.conftest import at
from visits.models import VisitStop

pytestmark = pytest.mark.django_db


def order(visit):
    return list(visit.stops.order_by("position").values_list("producer__name", "position"))


def test_staff_add_a_stop_at_the_end(client, staff_user, visit, make_producer):
    producer = make_producer("35.11", name="Kopi Ijen")
    client.force_login(staff_user)
    response = client.post(
        f"/visits/{visit.pk}/stops/add/",
        {"producer": producer.code, "planned_at": f"{visit.start_date}T15:00", "remarks": ""},
    )
    stop = VisitStop.objects.get(producer=producer)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/visits/{visit.pk}/#stop-{stop.pk}")
    assert stop.position == 4
    assert stop.planned_at == at(visit.start_date, 15)


def test_a_stop_outside_the_visit_dates_is_refused(client, staff_user, visit, make_producer):
    producer = make_producer()
    client.force_login(staff_user)
    response = client.post(
        f"/visits/{visit.pk}/stops/add/",
        {"producer": producer.code, "planned_at": "2020-01-01T10:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["planned_at"]
    assert not VisitStop.objects.filter(producer=producer).exists()


def test_move_up_and_down(client, staff_user, visit):
    client.force_login(staff_user)
    url = f"/visits/{visit.pk}/stops/{visit.stop_batik.pk}/move/"
    assert client.post(url, {"direction": "up"}).status_code == 302
    assert order(visit) == [
        ("UD Drum Pakusari", 1),
        ("Batik Gajah Oling", 2),
        ("Cerutu Jember", 3),
    ]
    client.post(f"/visits/{visit.pk}/stops/{visit.stop_drum.pk}/move/", {"direction": "down"})
    assert [name for name, _ in order(visit)] == [
        "Batik Gajah Oling",
        "UD Drum Pakusari",
        "Cerutu Jember",
    ]
    # The first stop cannot move further up.
    client.post(f"/visits/{visit.pk}/stops/{visit.stop_batik.pk}/move/", {"direction": "up"})
    assert order(visit)[0] == ("Batik Gajah Oling", 1)


def test_edit_a_stop_and_place_it_by_position(client, staff_user, visit):
    client.force_login(staff_user)
    url = f"/visits/{visit.pk}/stops/{visit.stop_drum.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "producer": visit.stop_drum.producer.code,
            "planned_at": f"{visit.start_date}T16:00",
            "status": "planned",
            "remarks": "Demonstrasi pengecatan",
            "position": "3",
        },
    )
    assert response.status_code == 302
    assert [name for name, _ in order(visit)] == [
        "Cerutu Jember",
        "Batik Gajah Oling",
        "UD Drum Pakusari",
    ]
    visit.stop_drum.refresh_from_db()
    assert visit.stop_drum.remarks == "Demonstrasi pengecatan"


@pytest.mark.parametrize("status", ["visited", "skipped", "planned"])
def test_mark_a_stop(client, staff_user, visit, status):
    client.force_login(staff_user)
    response = client.post(
        f"/visits/{visit.pk}/stops/{visit.stop_cigar.pk}/status/", {"status": status}
    )
    assert response.status_code == 302
    visit.stop_cigar.refresh_from_db()
    assert visit.stop_cigar.status == status


def test_remove_a_stop_keeps_its_notes_with_the_visit(client, staff_user, visit, make_note):
    note = make_note(stop=visit.stop_cigar)
    client.force_login(staff_user)
    client.post(f"/visits/{visit.pk}/stops/{visit.stop_cigar.pk}/delete/")
    assert order(visit) == [("UD Drum Pakusari", 1), ("Batik Gajah Oling", 2)]
    note.refresh_from_db()
    assert note.stop is None
    assert note.visit == visit


@pytest.mark.parametrize("role", ["regency", "visitor"])
def test_only_staff_change_the_itinerary(client, role_users, visit, role):
    client.force_login(role_users[role])
    base = f"/visits/{visit.pk}/stops/{visit.stop_drum.pk}"
    assert client.post(f"{base}/move/", {"direction": "down"}).status_code == 403
    assert client.post(f"{base}/status/", {"status": "skipped"}).status_code == 403
    assert client.post(f"{base}/delete/").status_code == 403
    assert client.get(f"{base}/edit/").status_code == 403
    assert client.post(f"/visits/{visit.pk}/stops/add/", {}).status_code == 403
    assert order(visit)[0] == ("UD Drum Pakusari", 1)


def test_stop_of_another_visit_is_404(client, staff_user, visit):
    from visits.models import Visit

    other = Visit.objects.create(title="x", start_date=visit.start_date, end_date=visit.end_date)
    client.force_login(staff_user)
    url = f"/visits/{other.pk}/stops/{visit.stop_drum.pk}/move/"
    assert client.post(url, {"direction": "up"}).status_code == 404


def test_edit_page_shows_the_stops_producer_selected(client, staff_user, visit):
    client.force_login(staff_user)
    stop = visit.stop_cigar
    page = client.get(f"/visits/{visit.pk}/stops/{stop.pk}/edit/")
    assert form_data(page, must_have="producer")["producer"] == [stop.producer.code]
    assert f'<option value="{stop.producer.code}" selected>' in page.content.decode()


def test_edit_form_sent_back_unchanged_saves(client, staff_user, visit):
    client.force_login(staff_user)
    stop = visit.stop_cigar
    url = f"/visits/{visit.pk}/stops/{stop.pk}/edit/"
    data = form_data(client.get(url), must_have="producer")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    saved = VisitStop.objects.get(pk=stop.pk)
    assert (saved.producer, saved.position, saved.planned_at, saved.status) == (
        stop.producer,
        stop.position,
        stop.planned_at,
        stop.status,
    )
