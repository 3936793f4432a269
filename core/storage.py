"""Checks of the upload storage (local folder or S3-compatible bucket) for ``/healthz``."""

import contextlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

PROBE_FOLDER = "healthz"


def storage_is_healthy(storage=None):
    """Write, read back and delete a tiny file through the storage API.

    Proves what uploads need — the folder or bucket exists, and this server may write and
    read it — at the cost of three small requests. Each probe has its own name, so that
    app servers checked at the same moment do not race for one file.
    """
    storage = storage or default_storage
    payload = uuid.uuid4().hex.encode()
    name = None
    try:
        name = storage.save(f"{PROBE_FOLDER}/{payload.decode()}.txt", ContentFile(payload))
        with storage.open(name, "rb") as probe:
            healthy = probe.read() == payload
        storage.delete(name)
        return healthy
    except Exception:  # noqa: BLE001 - any storage failure means "not healthy"
        logger.exception("Storage health check failed")
        if name is not None:
            with contextlib.suppress(Exception):  # the check has already failed
                storage.delete(name)
        return False
