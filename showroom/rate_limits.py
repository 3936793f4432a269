"""How many inquiries the public pages take, per client address and per share link.

Counted in the Django cache (a fixed window per key, started by the first hit): with Redis
shared by every server process, with the default local-memory cache per process. Limits
from the settings ``SHOWROOM_INQUIRIES_PER_ADDRESS`` (5 per 10 minutes) and
``SHOWROOM_INQUIRIES_PER_LINK`` (20 per hour) as ``(count, seconds)``, set from the
environment in config/settings.py.
"""

from django.conf import settings
from django.core.cache import cache

from core.security import client_ip


def _limits(request, link):
    address = client_ip(request) or "unknown"
    return [
        (
            f"showroom:rate:addr:{address}",
            settings.SHOWROOM_INQUIRIES_PER_ADDRESS,
        ),
        (
            f"showroom:rate:link:{link.pk}",
            settings.SHOWROOM_INQUIRIES_PER_LINK,
        ),
    ]


def is_limited(request, link):
    """Whether this address or this link has used up its inquiries for now."""
    limits = _limits(request, link)
    counts = cache.get_many([key for key, _limit in limits])
    return any(counts.get(key, 0) >= limit[0] for key, limit in limits)


def count(request, link):
    """Count one inquiry (sent, or caught as spam) against the address and the link."""
    for key, (_count, seconds) in _limits(request, link):
        if cache.add(key, 1, timeout=seconds):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds)
