"""Stored files leave the media storage with the rows that point to them.

Django never deletes a file when its row is deleted or when a file field gets another
file; without this, deleted photos, replaced certificate documents and discarded imports
would stay in the media folder (or the S3 bucket) for ever. ``delete_files_of(Model)``
connects two receivers for a model with file fields:

- ``post_delete``: the row's files are removed — also for rows deleted by a cascade
  (a product's photos and certifications, a producer's products, a note's photos);
- ``pre_save``/``post_save``: a file replaced or cleared on an existing row is removed
  (noted before the save, removed once the row is saved: a failed save keeps it).

Files are removed only after the transaction commits (``transaction.on_commit``): a
rolled-back delete keeps its files. New rows (and rows loaded from fixtures, which Django
treats as new) remove nothing.
"""

import logging

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save

logger = logging.getLogger(__name__)


def remove_files_after_commit(names):
    """Delete these stored files once the current transaction has committed."""
    names = [name for name in names if name]

    def remove():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:  # the rows are gone already; an orphan file is only clutter
                logger.warning("Could not remove %s from the media storage", name, exc_info=True)

    if names:
        transaction.on_commit(remove)


def _file_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _stored_names(instance, fields):
    return {f.attname: getattr(instance, f.attname).name or "" for f in fields}


def _removed_with_row(sender, instance, **kwargs):
    remove_files_after_commit(_stored_names(instance, _file_fields(sender)).values())


def _note_replaced_files(sender, instance, raw=False, **kwargs):
    instance._etalase_replaced_files = []
    if raw or instance._state.adding or instance.pk is None:
        return
    fields = _file_fields(sender)
    before = (
        sender._base_manager.filter(pk=instance.pk)
        .values_list(*(f.attname for f in fields))
        .first()
    )
    if before is None:
        return
    now = _stored_names(instance, fields)
    instance._etalase_replaced_files = [
        old for field, old in zip(fields, before, strict=True) if old and old != now[field.attname]
    ]


def _remove_replaced_files(sender, instance, **kwargs):
    remove_files_after_commit(getattr(instance, "_etalase_replaced_files", ()))
    instance._etalase_replaced_files = []


def delete_files_of(*model_classes):
    """Remove the files of these models' rows when rows are deleted or files replaced."""
    for model in model_classes:
        post_delete.connect(
            _removed_with_row, sender=model, dispatch_uid=f"files_deleted_{model._meta.label}"
        )
        pre_save.connect(
            _note_replaced_files, sender=model, dispatch_uid=f"files_noted_{model._meta.label}"
        )
        post_save.connect(
            _remove_replaced_files,
            sender=model,
            dispatch_uid=f"files_replaced_{model._meta.label}",
        )
