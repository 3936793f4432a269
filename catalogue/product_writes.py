"""The one way products are written: the edit page, the Django admin, bulk actions and the
spreadsheet import all call it.

Every write of a product here

- checks the optimistic lock when it starts from a form, and bumps the version
  (``core.locking``: forms opened before the write cannot overwrite it);
- stamps the editor and writes a change-log entry (django-simple-history: on save for
  one product, ``history_records`` for many);
- stores the text completeness in English and Chinese (``catalogue.completeness``: on
  ``Product.save`` for one product, here for many);
- recomputes readiness once: ``services.readiness_once`` around a product and the photos
  and certifications saved with it, ``services.readiness_of`` for many products at once;
- applies the readiness gate (``gaps_to_confirm``, the only place that knows it): moving
  on to shortlisted or promoted with readiness gaps open needs a person's confirmation,
  and the gaps confirmed are recorded with the step;
- logs each status step (``status_step``): who, when, from, to, reason, gaps overridden.

One product: ``save_product`` (forms) and ``change_status`` (code). Many products, in a
fixed number of queries: ``write_many`` (bulk status changes, imports) and ``touch_many``
(bulk tag changes).
"""

import functools

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from catalogue import completeness
from catalogue.bulk_sql import BATCH_SIZE, chunks, insert_rows, update_rows
from catalogue.choices import PromotionStatus
from catalogue.models import Producer, Product, StatusChange
from catalogue.readiness import RULES_BY_KEY
from catalogue.services import readiness_of, readiness_once
from core.locking import WriteRefused, lock_version

# --- the readiness gate ----------------------------------------------------------------

# Moving a product on to these statuses with readiness gaps still open needs a person to
# confirm it; the confirmation is recorded with the step.
GATED_STATUSES = frozenset({PromotionStatus.SHORTLISTED, PromotionStatus.PROMOTED})


def passes_gate(from_status, to_status):
    """Whether a move from ``from_status`` to ``to_status`` goes through the gate."""
    return to_status != from_status and to_status in GATED_STATUSES


def gaps_to_confirm(from_status, to_status, gaps):
    """The open ``gaps`` that a move from ``from_status`` to ``to_status`` would override:
    all of them through the gate, none otherwise."""
    return list(gaps) if passes_gate(from_status, to_status) else []


def gap_labels(gaps):
    return ", ".join(str(RULES_BY_KEY[k].label) if k in RULES_BY_KEY else k for k in gaps)


class NeedsConfirmation(WriteRefused):
    """Products would move through the readiness gate with gaps open, unconfirmed: nothing
    was written. ``open_gaps`` lists (product, gap keys) for each of them."""

    field = "confirm_gaps"

    def __init__(self, open_gaps, message):
        self.open_gaps = open_gaps
        super().__init__(message)


def check_status_change(to_status, reason=""):
    """Refuse a status that does not exist, or *not suitable* without a reason."""
    if to_status not in PromotionStatus.values:
        raise ValidationError(
            _("%(status)s is not a promotion status."),
            code="invalid_status",
            params={"status": to_status},
        )
    if to_status == PromotionStatus.NOT_SUITABLE and not (reason or "").strip():
        raise ValidationError(
            {"not_suitable_reason": _("Say why the product is not suitable.")},
            code="reason_required",
        )


# --- the status log and the change log --------------------------------------------------


def _person(user):
    return user if user is not None and user.is_authenticated else None


def status_step(product, from_status, user=None, reason="", overrode_gaps=(), when=None):
    """The status-log row (unsaved) of ``product`` moving from ``from_status`` to its
    current status. Without a reason of its own, a move to *not suitable* gives the
    product's reason."""
    if not reason and product.status == PromotionStatus.NOT_SUITABLE:
        reason = product.not_suitable_reason
    return StatusChange(
        product=product,
        from_status=from_status,
        to_status=product.status,
        reason=reason,
        overrode_gaps=list(overrode_gaps),
        changed_by=_person(user),
        changed_at=when or timezone.now(),
    )


def fit_change_reason(reason):
    """A change-log reason cut to its column (simple_history's ``history_change_reason``,
    ``max_length=100``): longer text fails on PostgreSQL ("value too long") and would be
    kept whole by SQLite. The cut ends in an ellipsis so a reader sees it was cut."""
    if not reason:
        return reason
    limit = _reason_limit()
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


@functools.cache
def _reason_limit():
    # Once: each read of ``Product.history`` builds a new manager class (simple_history's
    # HistoryDescriptor), 1 ms a time — 100 s for an import of 100,000 rows.
    return Product.history.model._meta.get_field("history_change_reason").max_length


def history_records(products, user, when, reason=""):
    """Change-log entries of updated ``products``, built as simple_history's
    ``bulk_history_create(update=True)`` builds them (django-simple-history docs, "Bulk
    Creating and Updating a Model with History"), to be written with ``insert_rows``."""
    History = Product.history.model
    return [
        History(
            history_date=when,
            history_user=getattr(product, "_history_user", None)
            or user
            or History.get_default_history_user(product),
            history_change_reason=fit_change_reason(
                getattr(product, "_change_reason", None) or reason or None
            ),
            history_type="~",
            **{field.attname: getattr(product, field.attname) for field in History.tracked_fields},
        )
        for product in products
    ]


# --- one product ------------------------------------------------------------------------


def save_product(
    product, user, *, version=None, status_reason="", confirm_gaps=False, save_related=None
):
    """Write one product (new or changed) and what is saved with it; returns its status
    step (a ``StatusChange``) or None.

    ``version``: the version the edit form was opened at (None for writes made by code).
    ``save_related(product)`` saves what belongs to the product (tags, certifications,
    photos) once the product is saved, and returns the rows it created, whose files are
    removed if the write is refused. Readiness is recomputed once, after all of it; the
    gate then looks at the gaps that remain. Raises ``core.locking.EditConflict`` or
    ``NeedsConfirmation`` (unless ``confirm_gaps``): nothing is written and the instance
    is as it was (no primary key or code if it was new).
    """
    before = (product.pk, product.code, product.version, product._state.adding)
    created = []
    try:
        with transaction.atomic():
            stored = lock_version(product, version)
            from_status = stored.status if stored is not None else ""
            if product.status != from_status:
                check_status_change(product.status, product.not_suitable_reason)
            product.stamp(user)
            if _person(user) is not None:
                product._history_user = user
            with readiness_once():  # not once per photo and certification saved
                product.save()
                if save_related is not None:
                    created = list(save_related(product) or ())
            overridden = gaps_to_confirm(from_status, product.status, product.readiness_gaps)
            if overridden and not confirm_gaps:
                raise NeedsConfirmation(
                    [(product, overridden)],
                    gettext(
                        "This product still lacks: %(gaps)s. Tick the box to move it on anyway."
                    )
                    % {"gaps": gap_labels(overridden)},
                )
            if product.status == from_status:
                return None
            step = status_step(product, from_status, user, status_reason, overridden)
            step.save()
            return step
    except Exception:
        product.pk, product.code, product.version, product._state.adding = before
        _remove_files(created)
        raise


def _remove_files(rows):
    """The stored files of rows whose insert was rolled back (photos, documents)."""
    for row in rows:
        for field in row._meta.concrete_fields:
            if isinstance(field, models.FileField):
                getattr(row, field.attname).delete(save=False)


def change_status(product, to_status, user=None, reason="", confirm_gaps=True):
    """Move one product along the promotion pipeline and record the step (or None if it
    is already there).

    For code (demo data, tests): unless told otherwise it confirms the readiness gate, and
    the step records the gaps it overrode.
    """
    check_status_change(to_status, reason)
    if product.status == to_status:
        return None
    before = (product.status, product.not_suitable_reason)
    product.status = to_status
    if to_status == PromotionStatus.NOT_SUITABLE:
        product.not_suitable_reason = reason
    try:
        return save_product(product, user, status_reason=reason, confirm_gaps=confirm_gaps)
    except Exception:
        product.status, product.not_suitable_reason = before
        raise


# --- many products ----------------------------------------------------------------------


def write_many(
    *,
    created=(),
    updated=(),
    attributes=(),
    from_statuses=None,
    user=None,
    when=None,
    history_reason="",
    status_reason="",
    confirm_gaps=False,
    gate_on_stored_gaps=False,
):
    """Write many products at once with the rules of ``save_product``; returns the created
    products (with their keys).

    ``created``: new products; ``updated``: stored products changed in memory (their
    ``attributes``; locked by the caller), ``from_statuses`` giving each one's status
    before (by primary key). Readiness is recomputed for all in bulk. The gate looks at
    the gaps a person saw when confirming: the stored ones with ``gate_on_stored_gaps``
    (a list page), else those recomputed here (the import's preview recomputes them the
    same way). Raises ``NeedsConfirmation`` before writing anything, unless
    ``confirm_gaps``. ``history_reason`` (or a product's ``_change_reason``) goes into
    the change log, ``status_reason`` into the status log.
    """
    user, when = _person(user), when or timezone.now()
    history_reason = fit_change_reason(history_reason)
    created, updated = list(created), list(updated)
    from_statuses = from_statuses or {}
    for product in created:
        product.created_by = product.updated_by = user
    for product in updated:
        product.updated_by, product.updated_at = user, when
        product.version += 1
    moved = bool({"producer", "producer_id"} & set(attributes))  # to another producer
    with_regency(created + (updated if moved else []))
    moves = [(p, "", list(p.readiness_gaps)) for p in created]
    moves += [(p, from_statuses[p.pk], list(p.readiness_gaps)) for p in updated]
    for product, assessment in zip(created + updated, readiness_of(created + updated), strict=True):
        product.readiness_score, product.readiness_gaps = assessment.score, assessment.gaps
        completeness.apply(product)
    overrides = [
        gaps_to_confirm(
            from_status, product.status, shown if gate_on_stored_gaps else product.readiness_gaps
        )
        for product, from_status, shown in moves
    ]
    open_gaps = [(move[0], gaps) for move, gaps in zip(moves, overrides, strict=True) if gaps]
    if open_gaps and not confirm_gaps:
        raise NeedsConfirmation(
            open_gaps,
            ngettext(
                "%(n)s of these products still has open readiness gaps. Tick "
                "“move on despite open gaps” to shortlist or promote it anyway.",
                "%(n)s of these products still have open readiness gaps. Tick "
                "“move on despite open gaps” to shortlist or promote them anyway.",
                len(open_gaps),
            )
            % {"n": len(open_gaps)},
        )
    if created:
        created = bulk_create_with_history(
            created,
            Product,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=history_reason,
            default_date=when,
        )
    written = {
        *attributes,
        "updated_at",
        "updated_by",
        "version",
        "readiness_score",
        "readiness_gaps",
        "completeness_en",
        "completeness_zh",
        *(["regency"] if moved else []),
    }
    update_rows(updated, sorted(written))
    insert_rows(history_records(updated, user, when, history_reason))
    insert_rows(
        [
            status_step(product, move[1], user, status_reason, gaps, when)
            for product, move, gaps in zip(created + updated, moves, overrides, strict=True)
            if product.status != move[1]
        ]
    )
    return created


def with_regency(products):
    """Give each product its producer's regency (``Product.regency``), with one query for
    the producers not loaded with them (none when every producer is)."""
    unloaded = {p.producer_id for p in products if not Product.producer.is_cached(p)}
    regencies = {}
    for chunk in chunks(unloaded):
        regencies.update(Producer.objects.filter(pk__in=chunk).values_list("pk", "regency_id"))
    for product in products:
        cached = Product.producer.is_cached(product)
        product.regency_id = (
            product.producer.regency_id if cached else regencies[product.producer_id]
        )


def touch_many(product_ids, user=None, when=None):
    """Stamp the editor and bump the version of products whose tags were changed in bulk
    (the change log holds a product's own fields, not its tags)."""
    when = when or timezone.now()
    for chunk in chunks(product_ids):
        Product.objects.filter(pk__in=chunk).update(
            version=F("version") + 1, updated_by=_person(user), updated_at=when
        )
