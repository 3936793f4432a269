"""Turning a buyer's inquiry into follow-ups, as a visit note's requests are (DESIGN.md,
"FollowUp: an action that comes out of a note or an inquiry").

Here because it joins two apps of floor 3 that may not import each other: the inquiry
(showroom) and the follow-up (visits). One follow-up per product of the inquiry, of the
chosen kind, for that product's producer, whose description names the inquiry; the
follow-ups point back at it through ``FollowUp.source``, the inquiry page lists them with
visits' ``follow_ups_of`` tag, and follow-up lists quote the inquiry to those who may read
it (``quote_inquiry``, registered in ``HomeConfig.ready``).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from catalogue.access import in_scope
from core.roles import allowed_if
from showroom import access as showroom_access
from showroom.models import Inquiry
from visits import access as visits_access
from visits import services
from visits.choices import FollowUpKind
from visits.forms import DATE_INPUT, PersonChoiceField, owners

MESSAGE_CHARS = 300


class InquiryFollowUpsForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FollowUpKind.choices)
    owner = PersonChoiceField(label=gettext_lazy("Owner"), queryset=owners(), required=False)
    due_date = forms.DateField(label=gettext_lazy("Due"), required=False, widget=DATE_INPUT)
    products = forms.MultipleChoiceField(label=gettext_lazy("Products"), required=False)

    def __init__(self, *args, inquiry, **kwargs):
        super().__init__(*args, **kwargs)
        self.inquiry_products = list(inquiry.products.select_related("producer"))
        self.fields["products"].choices = [(p.code, p.code) for p in self.inquiry_products]

    def chosen_products(self):
        """The products ticked; none ticked means all of the inquiry's."""
        codes = set(self.cleaned_data["products"])
        return [p for p in self.inquiry_products if not codes or p.code in codes]


def description_of(inquiry):
    """What the follow-up stores: which inquiry it came from. The buyer's words stay with
    the inquiry (``quote_inquiry``): visitors read follow-ups, not inquiries."""
    return _("From the buyer's inquiry %(ref)s.") % {"ref": inquiry.reference}


def inquiry_quote_text(inquiry):
    """The inquiry in a line: buyer, city, quantity and the start of the message."""
    text = inquiry.company or inquiry.name
    if inquiry.city:
        text += f" ({inquiry.city})"
    if inquiry.quantity:
        text += " · " + _("quantity %(q)s") % {"q": inquiry.quantity}
    if inquiry.message:
        text += ": " + Truncator(inquiry.message).chars(MESSAGE_CHARS)
    return text


def quote_inquiry(user, follow_up, inquiry):
    """What a follow-up shows of its inquiry (``visits.sources``): to those who read the
    inquiry only. A follow-up is about one of the inquiry's products, so regency staff of
    that product's regency read the inquiry (``showroom.access.visible_inquiries``): no
    query per follow-up."""
    if not showroom_access.can_view_inquiries(user):
        return None
    if not in_scope(user, follow_up.producer.regency_id):
        return None
    return {
        "reference": inquiry.reference,
        "text": inquiry_quote_text(inquiry),
        "url": inquiry.get_absolute_url(),
    }


@require_POST
@allowed_if(showroom_access.can_view_inquiries)
def follow_ups_from_inquiry(request, pk):
    inquiry = get_object_or_404(
        showroom_access.visible_inquiries(request.user, Inquiry.objects.all()), pk=pk
    )
    if not visits_access.can_add_follow_ups(request.user):
        raise PermissionDenied
    form = InquiryFollowUpsForm(request.POST, inquiry=inquiry)
    if not form.is_valid():
        messages.error(request, _("Follow-ups were not created: check kind, owner and due date."))
        return redirect(inquiry)
    description = description_of(inquiry)
    created = services.follow_ups_from_source(
        inquiry,
        [
            {
                "producer": product.producer,
                "product": product,
                "kind": form.cleaned_data["kind"],
                "description": description,
            }
            for product in form.chosen_products()
        ],
        request.user,
        owner=form.cleaned_data["owner"],
        due_date=form.cleaned_data["due_date"],
    )
    if created:
        messages.success(
            request,
            ngettext("%(n)d follow-up created.", "%(n)d follow-ups created.", len(created))
            % {"n": len(created)},
        )
    else:
        messages.info(request, _("These follow-ups already exist."))
    return redirect(inquiry)
