"""What the product and producer pages show, gathered in a fixed number of queries."""

import re
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from catalogue import access, completeness
from catalogue.readiness import RULES_BY_KEY
from core.localization import LANGUAGE_LABELS

EXPIRY_WARNING_DAYS = 60


def certification_rows(certifications, today=None):
    """Each certification with its state: valid, expiring (within 60 days) or expired."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    rows = []
    for cert in certifications:
        if cert.expires_on is None or cert.expires_on > soon:
            state = "valid"
        elif cert.expires_on < today:
            state = "expired"
        else:
            state = "expiring"
        rows.append({"cert": cert, "state": state})
    return rows


def readiness_gaps(product):
    return [RULES_BY_KEY[key] for key in product.readiness_gaps if key in RULES_BY_KEY]


def _described_change(product, change):
    """A field change for people: the field's label, and choice labels instead of keys."""
    field = product._meta.get_field(change.field)
    labels = dict(field.flatchoices) if field.choices else {}
    return {
        "field": capfirst(field.verbose_name),
        "old": labels.get(change.old, change.old),
        "new": labels.get(change.new, change.new),
    }


# catalogue.spreadsheets.importing.batches.change_reason writes these (in English, in the
# change log).
IMPORT_REASON = re.compile(r"^Import #(?P<batch>\d+)(?P<overwrote>, overwriting newer changes)?:")


def described_reason(reason):
    """A change-log reason in the reader's language: imports by number (and whether they
    overwrote newer changes, as the importer chose in the preview); other reasons as typed."""
    if not reason:
        return None
    match = IMPORT_REASON.match(reason)
    if not match:
        return {"text": reason}
    batch = match["batch"]
    if match["overwrote"]:
        text = _("Import #%(batch)s, which overwrote newer changes") % {"batch": batch}
    else:
        text = _("Import #%(batch)s") % {"batch": batch}
    return {"text": text, "batch": batch}


def change_history(product, limit=20):
    """Field-level changes (who, when, old → new), newest first (django-simple-history)."""
    records = list(
        product.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if older is None:
            if len(records) <= limit:
                entries.append(
                    {
                        "record": newer,
                        "created": True,
                        "changes": [],
                        "reason": described_reason(newer.history_change_reason),
                    }
                )
            continue
        delta = newer.diff_against(older)
        changes = [_described_change(product, change) for change in delta.changes]
        if changes:
            entries.append(
                {
                    "record": newer,
                    "created": False,
                    "changes": changes,
                    "reason": described_reason(newer.history_change_reason),
                }
            )
    return entries


def text_completeness(product):
    """Per language (en, zh): the share of buyer-read texts written, which are missing,
    and the translation view opened at this product."""
    result = completeness.of_product(product)
    return [
        {
            "language": language,
            "label": LANGUAGE_LABELS[language],
            "percent": result.percent[language],
            "missing": [completeness.TEXT_LABELS[stem] for stem in result.missing[language]],
            "translate_url": reverse("product_translate")
            + "?"
            + urlencode({"lang": language, "q": product.code}),
        }
        for language in completeness.LANGUAGES
    ]


def product_detail_context(request, product):
    photos = list(product.photos.all())
    primary = next((p for p in photos if p.is_primary), photos[0] if photos else None)
    return {
        "product": product,
        "photos": photos,
        "primary": primary,
        "certifications": certification_rows(
            access.visible_certifications(request.user, product.certifications.all())
        ),
        "gaps": readiness_gaps(product),
        "texts": text_completeness(product),
        "restricted_channel": product.category.profile == "tobacco",
        "status_changes": product.status_changes.select_related("changed_by"),
        "history": change_history(product),
        "tags": product.tags.all(),
        "can_edit": access.can_edit_product(request.user, product),
        "can_delete": access.can_delete_product(request.user, product),
        "can_see_nib": access.can_see_nib(request.user),
    }
