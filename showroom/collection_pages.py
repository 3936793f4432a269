"""The collection page, shared by its own view and by the share-link views that show it
again with a form's errors (view modules do not import each other)."""

from django.shortcuts import render

from showroom import access
from showroom.collection_forms import ShareLinkForm
from showroom.collection_presenters import item_rows, link_rows


def detail_page(request, collection, link_form=None, status=200):
    user = request.user
    can_share = access.can_share(user, collection)
    items = item_rows(collection)
    return render(
        request,
        "showroom/collection_detail.html",
        {
            "collection": collection,
            "items": items,
            "links": link_rows(user, collection),
            "can_edit": access.can_edit_collection(user, collection),
            "can_delete": access.can_delete_collection(user, collection),
            "can_share": can_share,
            "link_form": (link_form or ShareLinkForm()) if can_share else None,
            "zh_incomplete_count": sum(1 for row in items if row.zh_incomplete),
        },
        status=status,
    )
