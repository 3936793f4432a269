"""The sample form: product by its code (lists reach 100,000 products: no select of them
all), within the editor's regencies; received not before sent."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Product
from core.locking import OptimisticLockForm
from showroom import access
from showroom.models import Inquiry, Sample

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InquiryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} · {obj.company or obj.name}"


class SampleForm(OptimisticLockForm, forms.ModelForm):
    product_code = forms.CharField(
        label=_("Product code"), max_length=30, help_text=_("e.g. JBR-0001")
    )
    inquiry = InquiryChoiceField(
        label=_("Inquiry"), queryset=Inquiry.objects.none(), required=False
    )

    class Meta:
        model = Sample
        fields = [
            "quantity",
            "recipient_kind",
            "recipient",
            "inquiry",
            "occasion",
            "sent_on",
            "courier",
            "tracking_number",
            "received_on",
            "feedback",
            "cost_idr",
        ]
        widgets = {
            "sent_on": DATE_INPUT,
            "received_on": DATE_INPUT,
            "feedback": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["inquiry"].queryset = access.visible_inquiries(
            user, Inquiry.objects.all()
        ).order_by("-created_at", "-pk")
        if self.instance.product_id:
            self.fields["product_code"].initial = self.instance.product.code
        self.order_fields(["product_code", *self.Meta.fields])

    def clean_product_code(self):
        code = self.cleaned_data["product_code"].strip()
        product = Product.objects.select_related("producer").filter(code=code).first()
        if product is None:
            raise forms.ValidationError(_("No product has the code “%(code)s”.") % {"code": code})
        if not access.can_send_sample_of(self.user, product):
            raise forms.ValidationError(_("This product is outside your regencies."))
        self.instance.product = product
        return code

    def clean_feedback(self):
        return self.cleaned_data["feedback"].strip()

    def clean(self):
        cleaned = super().clean()
        sent, received = cleaned.get("sent_on"), cleaned.get("received_on")
        if received and not sent:
            self.add_error("sent_on", _("A sample that was received was sent first."))
        elif received and sent and received < sent:
            self.add_error("received_on", _("Received on cannot be before sent on."))
        return cleaned
