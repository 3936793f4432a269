"""Migration 0002 empties follow-up descriptions that are copies of their note's text and
keeps what staff typed themselves."""

import importlib

import pytest
from django.apps import apps

from visits.models import FollowUp

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "visits.migrations.0002_follow_up_descriptions_drop_copied_note_text"
)

LONG = "Kursi drum warna merah, " * 20  # longer than the 200 characters once copied


@pytest.mark.parametrize(
    ("description", "note_text", "copied"),
    [
        ("Bagus sekali", "Bagus sekali", True),
        (LONG[:199] + "…", LONG, True),
        (LONG[:199] + "…", LONG + " Ditambah kemudian.", True),  # the note grew since
        ("Kirim 2 set sampel ke TEC", "Bagus sekali", False),
        ("Bagus", "Bagus sekali", False),  # typed, though the note starts alike
        ("", "Bagus sekali", False),
    ],
)
def test_what_counts_as_a_copy(description, note_text, copied):
    assert migration.is_copy(description, note_text) is copied


def test_copies_are_emptied_and_typed_text_kept(make_note, visit):
    shared = make_note(text=LONG, requested=["samples"])
    other = make_note(text="Minta harga FOB", requested=["price_quote"])

    def follow_up(note, kind, description):
        return FollowUp.objects.create(
            note=note, producer=note.producer, kind=kind, description=description
        )

    copy = follow_up(shared, "samples", LONG[:199] + "…")
    short_copy = follow_up(other, "price_quote", "Minta harga FOB")
    typed = follow_up(other, "samples", "Susun harga FOB Surabaya untuk 50 set")
    no_note = FollowUp.objects.create(
        producer=shared.producer, kind="other", description="Telepon pemilik"
    )
    migration.drop_copied_note_text(apps, None)
    descriptions = dict(FollowUp.objects.values_list("pk", "description"))
    assert descriptions == {
        copy.pk: "",
        short_copy.pk: "",
        typed.pk: "Susun harga FOB Surabaya untuk 50 set",
        no_note.pk: "Telepon pemilik",
    }
