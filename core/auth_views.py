"""Logging out: a page for GET, the logout itself for POST.

Django's LogoutView only accepts POST (a link must not log anyone out) and answers a GET,
such as a typed or bookmarked /accounts/logout/, with an empty 405 page. Here a GET shows
a page with the logout button, and a logout leaves a message on the login page.
"""

from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


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
