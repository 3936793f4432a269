from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: the dashboard, the demo data and the synthetic catalogue generator."""

    name = "home"
    verbose_name = _("Home")
