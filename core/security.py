"""HTTP hardening (issue 7, "Security"): response headers, safe media serving, lockout page.

- ``SecurityHeadersMiddleware`` adds a Content-Security-Policy without ``unsafe-inline``
  scripts (templates load JavaScript only from ``static/js/``; inline ``style``
  attributes stay allowed) and a Permissions-Policy. Django's ``SecurityMiddleware`` sets
  HSTS, nosniff, the referrer and cross-origin-opener policies; ``XFrameOptionsMiddleware``
  denies framing.
- ``serve_media`` serves uploads (``SERVE_MEDIA``) so that a browser never runs them: only
  raster images display inline, everything else downloads, and HTML/SVG/XML/script files
  are sent as opaque bytes. It refuses the folders of protected uploads (note photos,
  certificate documents, imports), which ``core.protected_files`` serves per object.
- ``lockout_response`` is the page django-axes shows after too many failed logins, and
  ``client_ip`` the address it counts them by.
"""

import mimetypes
import posixpath
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
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


def client_ip(request):
    """The address django-axes counts failed logins by.

    Behind a reverse proxy (``BEHIND_PROXY``) every request comes from the proxy, so the
    client is the last address in X-Forwarded-For: the one the proxy itself appended.
    Earlier entries are whatever the client sent and are not trusted.
    """
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The login page with a lockout message (django-axes' AXES_LOCKOUT_CALLABLE), 429."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials) or ""
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "username": username,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "cooloff_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(
        request,
        "registration/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
