"""Staff inbox of buyers' inquiries (to be written)."""

from django.http import Http404


def inquiry_list(request):
    raise Http404


def inquiry_detail(request, pk):
    raise Http404
