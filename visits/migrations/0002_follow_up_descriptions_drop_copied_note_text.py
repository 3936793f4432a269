"""Follow-ups used to copy the first 200 characters of a shared note into ``description``,
which everyone who reads follow-ups sees. Pages now quote the note itself, to its readers
only (``visits.access.note_quote``), so a description that is such a copy is emptied;
whatever staff typed themselves stays."""

from django.db import migrations
from django.utils.text import Truncator

COPIED_CHARS = 200  # what visits.services.follow_ups_from_note copied


def is_copy(description, note_text):
    """The copy as it was made, or its unchanged opening if the note grew afterwards."""
    description = description.strip()
    if not description:
        return False
    if description == Truncator(note_text).chars(COPIED_CHARS).strip():
        return True
    return description.endswith("…") and note_text.startswith(description[:-1])


def drop_copied_note_text(apps, schema_editor):
    FollowUp = apps.get_model("visits", "FollowUp")
    copies = [
        pk
        for pk, description, text in FollowUp.objects.exclude(description="")
        .filter(note__isnull=False)
        .values_list("pk", "description", "note__text")
        .iterator()
        if is_copy(description, text)
    ]
    FollowUp.objects.filter(pk__in=copies).update(description="")


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [
        # Not reversible in content: the emptied copies are still in their notes.
        migrations.RunPython(drop_copied_note_text, migrations.RunPython.noop),
    ]
