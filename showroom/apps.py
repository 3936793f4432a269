from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowroomConfig(AppConfig):
    name = "showroom"
    verbose_name = _("Showroom")

    def ready(self):
        from catalogue.printables import share_links
        from showroom.printing import PrintLinks

        share_links.register(PrintLinks())
