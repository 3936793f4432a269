"""Where to send the user back to after a form: only to this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback):
    """The ``next`` of the request when it points at this host, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback
