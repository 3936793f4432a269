from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShowroomConfig(AppConfig):
    name = "showroom"
    verbose_name = _("Showroom")

    def ready(self):
        from catalogue import list_actions
        from catalogue.printables import share_links
        from showroom.collection_presenters import add_action_context
        from showroom.printing import PrintLinks

        share_links.register(PrintLinks())
        # "Add the selected / all matching products to a collection" on the product list.
        list_actions.register(
            "add_to_collection", "showroom/collection_add_action.html", add_action_context
        )

        # Signals that keep the cached buyers' pages current (showroom.public_cache).
        from showroom import public_cache  # noqa: F401
