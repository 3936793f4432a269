"""The one way a producer is written: the edit page and the Django admin both call it.

A write checks the optimistic lock (``core.locking``: the version the form was opened at
against the locked row) and bumps the version, stamps the editor and records a change-log
entry (django-simple-history, on save) — in one transaction. A producer that moves to
another regency takes its products with it (``Product.regency``).
"""

from django.db import transaction

from catalogue.models import Product
from core.locking import lock_version


def save_producer(producer, user, *, version=None):
    """Write ``producer`` (new or changed) as ``user``; returns it.

    ``version``: the version the edit form was opened at (None for writes made by code).
    Raises ``core.locking.EditConflict`` when someone saved the producer since: nothing is
    written.
    """
    with transaction.atomic():
        stored = lock_version(producer, version)
        producer.stamp(user)
        if user is not None and user.is_authenticated:
            producer._history_user = user
        producer.save()
        if stored is not None and stored.regency_id != producer.regency_id:
            # Its products keep its regency (``Product.regency``): one UPDATE for all.
            Product.objects.filter(producer=producer).update(regency=producer.regency_id)
    return producer
