from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowroomConfig(AppConfig):
    name = "showroom"
    verbose_name = _("Showroom")

    def ready(self):
        from catalogue.filtersets import register_product_filters
        from catalogue.printables import share_links
        from showroom.printing import PrintLinks
        from showroom.product_filters import product_filters

        share_links.register(PrintLinks())
        register_product_filters(**product_filters())
