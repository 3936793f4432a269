"""The buyers' inquiry form: fields and limits from ``showroom.Inquiry``, plus two traps.

- ``website`` is a honeypot: hidden from people by the stylesheet (``.hp`` in
  static/css/showroom.css, not an inline style: CSP), left empty by them, filled by bots
  that fill every field.
- ``started`` is the time the form was served, signed (``django.core.signing``) so it
  cannot be forged: a form sent back sooner than ``SHOWROOM_MIN_FILL_SECONDS`` (3 s) was
  not filled in by a person; one older than a day is refused as stale.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from showroom.models import Inquiry
from showroom.receiving import check_contact

STAMP_SALT = "showroom.inquiry.started"
MAX_FORM_AGE = 24 * 3600


def form_stamp(request):
    """The per-request hidden fields (CSRF token, signed start time) of the form."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="started" value="{}">',
        get_token(request),
        signing.dumps(time.time(), salt=STAMP_SALT),
    )


def filled_too_fast(started):
    """None if the signed start time ``started`` is plausible, else why not ("fast",
    "stale", "forged")."""
    try:
        when = float(signing.loads(started or "", salt=STAMP_SALT, max_age=MAX_FORM_AGE))
    except signing.SignatureExpired:
        return "stale"
    except (signing.BadSignature, TypeError, ValueError):
        return "forged"
    minimum = settings.SHOWROOM_MIN_FILL_SECONDS
    return "fast" if time.time() - when < minimum else None


class InquiryForm(forms.ModelForm):
    """What a buyer fills in; ``products`` are the collection's (by product code)."""

    website = forms.CharField(required=False, label=_("Leave this empty"))

    class Meta:
        model = Inquiry
        fields = [
            "name",
            "company",
            "city",
            "wechat",
            "phone",
            "email",
            "quantity",
            "target_price",
            "message",
            "products",
        ]
        labels = {
            "name": _("Your name"),
            "company": _("Company"),
            "city": _("City / country"),
            "wechat": _("WeChat ID"),
            "phone": _("Phone"),
            "email": _("E-mail"),
            "quantity": _("Quantity"),
            "target_price": _("Target price (optional)"),
            "message": _("Message"),
            "products": _("Products"),
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
            "products": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, products, single=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["products"]
        field.queryset = products
        field.to_field_name = "code"
        field.label_from_instance = lambda product: product.code
        field.error_messages["required"] = _("Choose at least one product.")
        if single:
            field.widget = forms.MultipleHiddenInput()
        for name in ("quantity", "message"):
            self.fields[name].required = False
        self.fields["name"].error_messages["required"] = _("Please give your name.")
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["wechat"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["company"].widget.attrs["autocomplete"] = "organization"

    def clean(self):
        cleaned = super().clean()
        try:
            check_contact(cleaned)
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned

    def _post_clean(self):
        # The inquiry is written by showroom.receiving.receive_inquiry, which runs the
        # model's checks itself; the field limits above already came from the model.
        pass

    def is_spam(self):
        return bool(self.data.get("website"))
