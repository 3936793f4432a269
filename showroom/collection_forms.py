"""Forms of the collection pages: the collection itself, a new share link, an exchange
rate and "add these products to a collection" (posted from the product list)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.locking import OptimisticLockForm
from showroom.collection_writes import DEFAULT_LINK_DAYS
from showroom.models import Collection, ExchangeRate

NAME_FIELDS = ("name_id", "name_en", "name_zh")
# The browser's date picker reads ISO dates only, whatever the UI language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INTRO_FIELDS = ("intro_id", "intro_en", "intro_zh")


class CollectionForm(OptimisticLockForm, forms.ModelForm):
    """Names and introductions in three languages, and whose collection it is.

    ``regencies``: the regencies the user may give it; ``region_wide``: whether "the whole
    region" (no regency) is allowed (region-wide roles only).
    """

    class Meta:
        model = Collection
        fields = [*NAME_FIELDS, *INTRO_FIELDS, "regency"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in INTRO_FIELDS}

    def __init__(self, *args, regencies, region_wide, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["regency"]
        field.queryset = regencies
        field.required = not region_wide
        field.empty_label = _("The whole region") if region_wide else None
        if not region_wide and self.instance.pk is None and len(regencies) == 1:
            field.initial = regencies[0].pk

    def clean(self):
        cleaned = super().clean()
        for name in (*NAME_FIELDS, *INTRO_FIELDS):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = cleaned[name].strip()
        return cleaned


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Sent to"),
        max_length=200,
        help_text=_("Who this link is given to, e.g. “Ningbo importers' association”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DATE_INPUT,
        help_text=_("The link stops working at the end of this day."),
    )
    show_prices = forms.BooleanField(label=_("Show prices"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=DEFAULT_LINK_DAYS)

    def expires_at(self):
        """The end of the chosen day in the site's time zone."""
        day = self.cleaned_data["expires_on"]
        end = datetime.datetime.combine(day, datetime.time(23, 59, 59))
        return timezone.make_aware(end)


class ExchangeRateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["idr_per_cny", "valid_on"]
        widgets = {"valid_on": DATE_INPUT}


class AddToCollectionForm(forms.Form):
    """What the product list's bulk bar posts to "add to a collection": the ticked codes or
    "all matching" with the list's query string (as ``catalogue.forms.BulkActionForm``),
    and an existing collection or the name of a new one."""

    collection = forms.IntegerField(required=False, min_value=1)
    collection_name = forms.CharField(required=False, max_length=200)
    select_all = forms.BooleanField(required=False)
    selected = forms.MultipleChoiceField(required=False, choices=())
    query = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Codes are checked against the filtered queryset by the view, not against choices.
        self.fields["selected"].choices = [(c, c) for c in self.data.getlist("selected")]

    def clean(self):
        cleaned = super().clean()
        cleaned["collection_name"] = (cleaned.get("collection_name") or "").strip()
        if not cleaned.get("collection") and not cleaned["collection_name"]:
            raise forms.ValidationError(_("Choose a collection or name a new one."))
        if not cleaned.get("select_all") and not cleaned.get("selected"):
            raise forms.ValidationError(_("Select at least one product."))
        return cleaned
