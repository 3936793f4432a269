from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: the dashboard, the demo data and the synthetic catalogue generator."""

    name = "home"
    verbose_name = _("Home")

    def ready(self):
        from home.inquiry_follow_ups import quote_inquiry
        from visits.sources import register_quote

        register_quote("showroom.inquiry", quote_inquiry)
