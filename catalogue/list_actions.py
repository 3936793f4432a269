"""Actions that higher apps add to the product list's bulk bar.

The catalogue imports no higher app (DESIGN.md, "Layout"); an app that acts on a selection
of products (``showroom``: "add to a collection") registers a template and a function
from its ``AppConfig.ready()``. The product list renders each registered template inside
its bulk form, so the action posts exactly what the bulk bar posts — the ticked codes
(``selected``) or ``select_all`` with the list's canonical query string (``query``) — to
the app's own URL (the template's button carries ``formaction``). The receiving view
re-runs ``catalogue.filtersets.ProductFilterSet`` on that query string, as
``catalogue.views.product_bulk`` does.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ListAction:
    name: str
    template_name: str
    # (request) -> the template's context, or None when the user is not offered the action.
    context: Callable[[Any], dict | None]


_actions: dict[str, ListAction] = {}


def register(name, template_name, context):
    """Offer an action on the product list (again under the same ``name``: replaced)."""
    _actions[name] = ListAction(name, template_name, context)


def offered(request):
    """(template name, context) of each action ``request.user`` is offered, in the order
    registered."""
    result = []
    for action in _actions.values():
        context = action.context(request)
        if context is not None:
            result.append((action.template_name, context))
    return result
