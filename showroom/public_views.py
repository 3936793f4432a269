"""Buyers' pages, reached through a share link without an account (to be written)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404


@login_not_required
def share_collection(request, token):
    raise Http404


@login_not_required
def share_product(request, token, code):
    raise Http404
