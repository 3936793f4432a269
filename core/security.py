"""HTTP hardening (OWASP Secure Headers Project): response headers, safe media serving,
lockout page.

- ``SecurityHeadersMiddleware`` adds a Content-Security-Policy without ``unsafe-inline``
  scripts (templates load JavaScript only from ``static/js/``; inline ``style``
  attributes stay allowed) and a Permissions-Policy. Django's ``SecurityMiddleware`` sets
  HSTS, nosniff, the referrer and cross-origin-opener policies; ``XFrameOptionsMiddleware``
  denies framing.
- ``serve_media`` serves uploads (``SERVE_MEDIA``) so that a browser never runs them: only
  raster images display inline, everything else downloads, and HTML/SVG/XML/script files
  are sent as opaque bytes. It refuses the folders of protected uploads (note photos,
  certificate documents, imports), which ``core.protected_files`` serves per object.
- Login throttling (django-axes): ``client_ip`` is the address failed logins are counted
  by (X-Forwarded-For only from trusted proxies), ``LoginThrottleHandler`` locks by
  username and address and by username alone, and ``lockout_response`` is the page shown.
"""

import functools
import ipaddress
import mimetypes
import posixpath
from urllib.parse import urlsplit

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views import static

# The camera is used by the note entry page (photos of products taken on the phone).
PERMISSIONS_POLICY = "camera=(self), geolocation=(), microphone=(), payment=(), usb=()"

# Uploaded files are never documents of this site: no scripts, no plugins, no frames, and a
# sandbox in case a browser renders one anyway.
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"

# Shown inline: raster images only (a browser never runs code in these).
INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
# Downloaded with their own type: documents people upload as certificates and imports.
DOWNLOAD_TYPES = {
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.ms-excel",
}


def _origin(url):
    """``scheme://host[:port]`` of an absolute URL, or ``None`` for a relative one."""
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def media_origins():
    """Other origins that uploaded images come from (object storage, a media host)."""
    candidates = [settings.MEDIA_URL, *getattr(settings, "CSP_MEDIA_ORIGINS", [])]
    origins = []
    for url in candidates:
        origin = _origin(url)
        if origin and origin not in origins:
            origins.append(origin)
    return origins


def content_security_policy():
    img_src = " ".join(["'self'", "data:", "blob:", *media_origins()])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {img_src}",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """Adds the CSP and Permissions-Policy unless the view set its own (``serve_media``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def make_inert(response, path, filename=None):
    """Headers that keep an uploaded file inert: type from the allow-lists, else bytes.

    Raster images display inline; documents and anything else download (``filename``, or
    the last part of ``path``). Shared by ``serve_media`` and ``core.protected_files``.
    """
    content_type, _encoding = mimetypes.guess_type(path)
    if content_type not in INLINE_TYPES:
        if content_type not in DOWNLOAD_TYPES:
            content_type = "application/octet-stream"
        response.headers["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename or posixpath.basename(path)
        )
    response.headers["Content-Type"] = content_type
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response


def serve_media(request, path, document_root=None):
    """``django.views.static.serve`` for uploads, with headers that keep them inert.

    Files of protected folders (note photos, certificate documents, imports) are not
    served here at all, whoever asks: they have views that check access per object
    (``core.protected_files``).
    """
    from core.protected_files import is_protected

    if is_protected(path):
        raise Http404
    response = static.serve(request, path, document_root=document_root)
    if response.status_code == 200:
        return make_inert(response, path)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = MEDIA_CSP
    return response


def _address(text):
    """An IP address from a header entry or REMOTE_ADDR (``1.2.3.4``, ``1.2.3.4:5678``,
    ``[2001:db8::1]:443``), IPv4-mapped IPv6 as IPv4; ``None`` for anything else."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


@functools.cache
def _networks(entries):
    return tuple(ipaddress.ip_network(entry) for entry in entries if entry != "*")


def _is_trusted_proxy(address, entries):
    """Whether ``address`` is one of the FORWARDED_ALLOW_IPS proxies.

    As in gunicorn, a connection without an IP address (a Unix socket) counts as trusted
    (https://docs.gunicorn.org/en/stable/settings.html#forwarded-allow-ips).
    """
    if address is None or "*" in entries:
        return True
    return any(address in network for network in _networks(entries))


def client_ip(request):
    """The address django-axes counts failed logins by (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless ``BEHIND_PROXY`` is on and REMOTE_ADDR is one of the trusted
    proxies (FORWARDED_ALLOW_IPS): then the rightmost X-Forwarded-For address that is not a
    trusted proxy. Entries further left were written by the client and prove nothing
    (MDN, "X-Forwarded-For", "Selecting an IP address", the trusted proxy list:
    https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Forwarded-For).
    With ``*`` (only the load balancer can reach the server) the last entry is the client:
    the one the load balancer appended.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    entries = tuple(getattr(settings, "FORWARDED_ALLOW_IPS", ()))
    if not getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        return remote
    if not _is_trusted_proxy(_address(remote or ""), entries):
        return remote
    client = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            break  # garbage in the header: the last trusted hop is all we know
        client = str(address)
        if "*" in entries or not _is_trusted_proxy(address, entries):
            break
    return client


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits (AXES_HANDLER).

    Axes compares one count with one limit (AXES_FAILURE_LIMIT); its maintainers point to
    a handler of one's own for separate limits (jazzband/django-axes#661). Locked: after
    AXES_FAILURE_LIMIT failures for a username from this address, or after
    AXES_USERNAME_FAILURE_LIMIT failures for the username from all addresses together, so
    that an attacker who rotates addresses is stopped too. Unknown usernames are counted
    and locked the same way: the lockout does not tell whether an account exists.
    """

    def failure_counts(self, request, credentials=None):
        """``{"here": …, "everywhere": …}``: recent failures of the username from this
        address and from all addresses, in one query."""
        attempts = AccessAttempt.objects.filter(username=get_client_username(request, credentials))
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        failures = "failures_since_start"
        here = Q(ip_address=getattr(request, "axes_ip_address", None))
        return attempts.aggregate(
            here=Coalesce(Sum(failures, filter=here), 0),
            everywhere=Coalesce(Sum(failures), 0),
        )

    def get_failures(self, request, credentials=None):
        """The count axes compares with AXES_FAILURE_LIMIT: this address's failures, or
        that limit itself once the username limit is reached."""
        counts = self.failure_counts(request, credentials)
        if counts["everywhere"] >= settings.AXES_USERNAME_FAILURE_LIMIT:
            return max(counts["here"], get_failure_limit(request, credentials))
        return counts["here"]


def lockout_response(request, original_response=None, credentials=None):
    """The login page with a lockout message (django-axes' AXES_LOCKOUT_CALLABLE), 429.

    The same page for every username, existing or not; it says whether the lock is for this
    address or, after AXES_USERNAME_FAILURE_LIMIT failures from anywhere, for the username.
    """
    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials) or ""
    counts = LoginThrottleHandler().failure_counts(request, credentials)
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "username": username,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "cooloff_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
        "username_locked": counts["everywhere"] >= settings.AXES_USERNAME_FAILURE_LIMIT,
    }
    return render(
        request,
        "registration/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
