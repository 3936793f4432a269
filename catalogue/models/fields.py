"""Model fields of the catalogue."""

from django.db import models


class ProducerRegencyField(models.ForeignKey):
    """A product's copy of its producer's regency (``Product.regency``).

    ``pre_save`` runs for every field on ``save()`` and for every row of ``bulk_create``
    (Django's "Field.pre_save"), so each insert and save stores the producer's regency of
    the moment: from the producer loaded with the product, else one query. Writes that
    bypass it (``QuerySet.update``, ``bulk_sql.update_rows``) set it themselves
    (``product_writes.with_regency``, ``producer_writes.save_producer``).
    """

    def pre_save(self, model_instance, add):
        regency_id = model_instance.producer.regency_id
        setattr(model_instance, self.attname, regency_id)
        return regency_id
