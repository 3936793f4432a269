"""What a follow-up that came out of a record of another app (``FollowUp.source``, e.g. a
buyer's inquiry) shows of that record, and to whom.

Visits may not import those apps, and only they know who may read their records: an app
above both (home) registers, per source model, a function ``quote(user, follow_up,
source)`` that gives ``{"text": …, "url": …}`` for a reader who may see the source, None
for anyone else. As with notes (``access.note_quote``), the source's words stay with the
source, and the follow-up's own ``description`` holds only what staff type.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

_QUOTES: dict[str, Callable] = {}


def register_quote(label, quote):
    """``register_quote("showroom.inquiry", quote_inquiry)``, from an ``AppConfig.ready()``."""
    _QUOTES[label.lower()] = quote


def source_quote(user, follow_up):
    """What ``user`` may read of ``follow_up``'s source, or None. Lists prefetch
    ``source`` (``prefetch_related("source")``: one query per kind of source)."""
    if follow_up.source_type_id is None:
        return None
    content_type = ContentType.objects.get_for_id(follow_up.source_type_id)  # cached
    quote = _QUOTES.get(f"{content_type.app_label}.{content_type.model}")
    source = follow_up.source if quote else None
    return quote(user, follow_up, source) if source is not None else None
