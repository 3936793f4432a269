"""Account pages besides Django's login and password change views.

- Logging out: Django's LogoutView only accepts POST (a link must not log anyone out) and
  answers a GET, such as a typed or bookmarked /accounts/logout/, with an empty 405 page.
  Here a GET shows a page with the logout button, and a logout leaves a message on the
  login page.
- Password reset is not offered online: Etalase sends no e-mail, and accounts are handed
  out by an administrator. Django's reset URLs show a page saying whom to ask.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


class LogoutPage(LogoutView):
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, "registration/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.info(request, _("You are logged out."))
        return response


@login_not_required
@require_safe
def password_reset_unavailable(request, **kwargs):
    """Every password-reset URL (request, "sent", token link, "done"): ask an administrator."""
    return render(request, "registration/password_reset_unavailable.html")
