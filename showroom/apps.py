from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowroomConfig(AppConfig):
    name = "showroom"
    verbose_name = _("Showroom")

    def ready(self):
        from catalogue import list_actions
        from catalogue.filtersets import register_product_filters
        from catalogue.printables import share_links
        from showroom.collection_presenters import add_action_context
        from showroom.printing import PrintLinks
        from showroom.product_filters import product_filters

        share_links.register(PrintLinks())
        # "Add the selected / all matching products to a collection" on the product list.
        list_actions.register(
            "add_to_collection", "showroom/collection_add_action.html", add_action_context
        )
        # The funnel's filters of the product list: viewed, in_inquiry, has_sample, ordered.
        register_product_filters(**product_filters())
