"""Staff pages of collections and their share links (to be written)."""

from django.http import Http404


def collection_list(request):
    raise Http404


def collection_detail(request, pk):
    raise Http404


def collection_edit(request, pk=None):
    raise Http404
