"""What staff change on an inquiry: its status, owner and notes (the buyer's words stay
as the buyer sent them)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.locking import OptimisticLockForm
from showroom.models import Inquiry


def inquiry_owners():
    """Who may own an inquiry: active users who may work inquiries."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__codename="change_inquiry") | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class InquiryForm(OptimisticLockForm, forms.ModelForm):
    owner = OwnerChoiceField(
        label=_("Owner"), queryset=inquiry_owners(), required=False, empty_label=_("Nobody")
    )

    class Meta:
        model = Inquiry
        fields = ["status", "owner", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}
