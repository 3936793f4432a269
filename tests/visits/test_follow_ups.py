"""Follow-ups: one click per note (idempotent), my follow-ups, overdue, closing, editing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from visits.models import FollowUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(make_note, visit):
    return make_note(requested=["samples", "price_quote"], product=visit.drum_chair)


def test_one_click_turns_requested_kinds_into_follow_ups(client, staff_user, note):
    client.force_login(staff_user)
    response = client.post(f"/notes/{note.pk}/follow-ups/", {"next": "/visits/"})
    assert response.status_code == 302
    assert response["Location"] == "/visits/"
    items = FollowUp.objects.order_by("kind")
    assert [item.kind for item in items] == ["price_quote", "samples"]
    for item in items:
        assert item.note == note
        assert item.producer == note.producer
        assert item.product == note.product
        assert item.owner == staff_user
        assert item.status == "open"
        assert item.due_date == timezone.localdate() + timedelta(days=14)
        assert item.description == ""  # the note's words stay with the note
        assert item.created_by == staff_user


def test_second_click_creates_no_duplicates(client, staff_user, note):
    client.force_login(staff_user)
    client.post(f"/notes/{note.pk}/follow-ups/")
    client.post(f"/notes/{note.pk}/follow-ups/")
    assert FollowUp.objects.count() == 2


def test_newly_requested_kind_adds_only_that_follow_up(client, staff_user, note):
    client.force_login(staff_user)
    client.post(f"/notes/{note.pk}/follow-ups/")
    note.requested = ["samples", "price_quote", "packaging"]
    note.save()
    client.post(f"/notes/{note.pk}/follow-ups/")
    assert sorted(FollowUp.objects.values_list("kind", flat=True)) == [
        "packaging",
        "price_quote",
        "samples",
    ]


def test_owner_and_due_date_can_be_given(client, staff_user, regency_user, note):
    client.force_login(staff_user)
    client.post(
        f"/notes/{note.pk}/follow-ups/", {"owner": regency_user.pk, "due_date": "2026-12-01"}
    )
    assert set(FollowUp.objects.values_list("owner", "due_date")) == {
        (regency_user.pk, timezone.datetime(2026, 12, 1).date())
    }


@pytest.mark.parametrize("visibility", ["shared", "private"])
def test_note_text_is_not_copied_into_follow_ups(client, staff_user, make_note, visibility):
    secret = make_note(requested=["samples"], visibility=visibility, text="rahasia")
    client.force_login(staff_user)
    client.post(f"/notes/{secret.pk}/follow-ups/")
    assert FollowUp.objects.get().description == ""


def test_button_shows_until_follow_ups_exist(client, staff_user, note, visit):
    client.force_login(staff_user)
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert 'data-testid="make-follow-ups"' in page
    client.post(f"/notes/{note.pk}/follow-ups/")
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert 'data-testid="make-follow-ups"' not in page
    assert 'data-testid="follow-ups-made"' in page


@pytest.mark.parametrize("role", ["regency", "visitor"])
def test_only_staff_create_follow_ups(client, role_users, note, role):
    client.force_login(role_users[role])
    assert client.post(f"/notes/{note.pk}/follow-ups/").status_code == 403
    assert not FollowUp.objects.exists()


def test_follow_ups_from_an_invisible_note_are_404(client, staff_user, regency_user, make_note):
    secret = make_note(author=staff_user, visibility="private", requested=["samples"])
    client.force_login(regency_user)
    assert client.post(f"/notes/{secret.pk}/follow-ups/").status_code == 404


def _follow_up(note, owner, due_in_days=7, **fields):
    return FollowUp.objects.create(
        note=note,
        producer=note.producer,
        kind=fields.pop("kind", "samples"),
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
        **fields,
    )


def test_closing_records_who_and_when(client, staff_user, note):
    item = _follow_up(note, staff_user)
    client.force_login(staff_user)
    before = timezone.now()
    response = client.post(f"/follow-ups/{item.pk}/close/", {"next": "/follow-ups/mine/"})
    assert response.status_code == 302
    assert response["Location"] == "/follow-ups/mine/"
    item.refresh_from_db()
    assert item.status == "done"
    assert item.closed_by == staff_user
    assert before <= item.closed_at <= timezone.now()


def test_closing_as_cancelled(client, staff_user, note):
    item = _follow_up(note, staff_user)
    client.force_login(staff_user)
    client.post(f"/follow-ups/{item.pk}/close/", {"status": "cancelled"})
    item.refresh_from_db()
    assert item.status == "cancelled"
    assert item.closed_by == staff_user


def test_owner_closes_own_follow_up(client, regency_user, note):
    item = _follow_up(note, regency_user)
    client.force_login(regency_user)
    assert client.post(f"/follow-ups/{item.pk}/close/").status_code == 302
    item.refresh_from_db()
    assert item.closed_by == regency_user


def test_visitor_cannot_close_someone_elses_follow_up(client, visitor_user, staff_user, note):
    item = _follow_up(note, staff_user)
    client.force_login(visitor_user)
    assert client.post(f"/follow-ups/{item.pk}/close/").status_code == 403
    item.refresh_from_db()
    assert item.status == "open"
    assert item.closed_at is None


def test_my_follow_ups_and_overdue_highlight(client, staff_user, regency_user, note):
    late = _follow_up(note, staff_user, due_in_days=-3, kind="samples")
    _follow_up(note, regency_user, due_in_days=5, kind="price_quote")
    client.force_login(staff_user)
    response = client.get("/follow-ups/mine/")
    assert list(response.context["follow_ups"]) == [late]
    html = response.content.decode()
    assert f'id="followup-{late.pk}" class="overdue"' in html
    assert 'data-testid="overdue"' in html
    everyone = client.get("/follow-ups/")
    assert len(everyone.context["follow_ups"]) == 2
    overdue = client.get("/follow-ups/?status=overdue")
    assert list(overdue.context["follow_ups"]) == [late]


def test_closed_follow_ups_leave_the_open_list(client, staff_user, note):
    item = _follow_up(note, staff_user)
    client.force_login(staff_user)
    client.post(f"/follow-ups/{item.pk}/close/")
    assert list(client.get("/follow-ups/").context["follow_ups"]) == []
    assert list(client.get("/follow-ups/?status=all").context["follow_ups"]) == [item]


def test_staff_change_owner_and_due_date(client, staff_user, regency_user, note):
    item = _follow_up(note, staff_user)
    client.force_login(staff_user)
    url = f"/follow-ups/{item.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "description": "Kirim 2 set sampel",
            "owner": regency_user.pk,
            "due_date": "2026-07-01",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.owner == regency_user
    assert str(item.due_date) == "2026-07-01"
    assert item.status == "in_progress"
    assert item.updated_by == staff_user
    assert item.closed_at is None


def test_edit_to_done_records_closing_and_reopening_clears_it(client, staff_user, note):
    item = _follow_up(note, staff_user)
    client.force_login(staff_user)
    data = {"description": "", "owner": staff_user.pk, "due_date": "", "status": "done"}
    client.post(f"/follow-ups/{item.pk}/edit/", data)
    item.refresh_from_db()
    assert item.closed_by == staff_user and item.closed_at
    client.post(f"/follow-ups/{item.pk}/edit/", {**data, "status": "open"})
    item.refresh_from_db()
    assert item.closed_by is None and item.closed_at is None


@pytest.mark.parametrize("role", ["regency", "visitor"])
def test_only_staff_edit_follow_ups(client, role_users, staff_user, note, role):
    item = _follow_up(note, role_users[role])
    client.force_login(role_users[role])
    assert client.get(f"/follow-ups/{item.pk}/edit/").status_code == 403
