"""Staff pages of samples (to be written)."""

from django.http import Http404


def sample_list(request):
    raise Http404


def sample_detail(request, pk):
    raise Http404


def sample_edit(request, pk=None):
    raise Http404
