from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Producer, Product
from core import roles
from core.uploads import MultipleImageField
from core.widgets import speed_up_selects
from regions.models import short_regency_name
from visits.choices import FollowUpKind, FollowUpStatus, NoteVisibility, StopStatus
from visits.models import FollowUp, Visit, VisitNote, VisitStop
from visits.services import CLOSED_STATUSES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def person_label(user):
    return user.get_full_name() or user.username


def people(role_names, keep=()):
    """Active users holding one of ``role_names`` (plus ``keep``, already chosen ones)."""
    keep_ids = [u.pk for u in keep if u is not None]
    return (
        get_user_model()
        .objects.filter(Q(is_active=True, groups__name__in=role_names) | Q(pk__in=keep_ids))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


def producer_choices(producers):
    """``<optgroup>`` per regency, options valued by producer code (never database ids)."""
    # Plain values, not model instances: 5,000 producers cost 220 ms as instances (with
    # regency and district) and ~15 ms as tuples, on every note form shown or sent.
    rows = producers.order_by("regency__code", "name").values_list(
        "code", "name", "district__name", "regency__name"
    )
    groups = {}
    for code, name, district, regency in rows:
        groups.setdefault(short_regency_name(regency), []).append((code, f"{name} · {district}"))
    return [("", "---------"), *groups.items()]


def choose_by_code(form, *names):
    """An edited instance's related objects as the initial values of fields chosen by code.

    ``ModelForm`` takes initial values from the instance as database ids; options valued by
    code (``producer_choices``) would then show nothing selected, and an unchanged form
    would be sent back without the value.
    """
    if form.instance.pk is None:
        return
    for name in names:
        related = getattr(form.instance, name) if getattr(form.instance, f"{name}_id") else None
        form.initial[name] = related.code if related is not None else ""


def product_choices(products):
    """``<optgroup>`` per producer, options valued by product code."""
    groups = {}
    for product in products.select_related("producer").order_by("producer__name", "code"):
        groups.setdefault(product.producer.name, []).append(
            (product.code, f"{product.code} · {product.localized_name()}")
        )
    return [("", _("No particular product")), *groups.items()]


class VisitForm(forms.ModelForm):
    members = PeopleChoiceField(
        label=_("Delegation members (users)"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with an Etalase account. Add others by name below."),
    )

    class Meta:
        model = Visit
        fields = [
            "title",
            "organisation",
            "start_date",
            "end_date",
            "status",
            "purpose",
            "members",
            "member_names",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "member_names": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = list(self.instance.members.all()) if self.instance.pk else []
        self.fields["members"].queryset = people(list(roles.ROLE_LABELS), keep=chosen)

    def clean_member_names(self):
        lines = (line.strip() for line in self.cleaned_data["member_names"].splitlines())
        return "\n".join(dict.fromkeys(line for line in lines if line))


class StopForm(forms.ModelForm):
    producer = forms.ModelChoiceField(
        label=_("Producer"), queryset=Producer.objects.all(), to_field_name="code"
    )
    position = forms.IntegerField(
        label=_("Order"),
        min_value=1,
        required=False,
        help_text=_("Place in the itinerary (1 = first)."),
    )

    class Meta:
        model = VisitStop
        fields = ["producer", "planned_at", "status", "remarks"]
        widgets = {"planned_at": DATETIME_INPUT}

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.instance.visit = visit
        self.fields["producer"].choices = producer_choices(Producer.objects.all())
        choose_by_code(self, "producer")
        if self.instance.pk:
            self.fields["position"].initial = self.instance.position
        else:
            del self.fields["position"]
            del self.fields["status"]
        speed_up_selects(self)  # one <option> per producer: 5,000 at full scale

    def clean_planned_at(self):
        planned = self.cleaned_data["planned_at"]
        if planned:
            day = timezone.localtime(planned).date()
            if not self.visit.start_date <= day <= self.visit.end_date:
                raise forms.ValidationError(
                    _("The visit runs from %(start)s to %(end)s."),
                    params={"start": self.visit.start_date, "end": self.visit.end_date},
                )
        return planned


class StopStatusForm(forms.Form):
    status = forms.ChoiceField(choices=StopStatus.choices)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

    @property
    def offset(self):
        return -1 if self.cleaned_data["direction"] == "up" else 1


class NotePhotosField(MultipleImageField):
    """Phone photos: the camera opens straight away; checked exactly like product photos."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/*", "capture": "environment"})


class NoteForm(forms.ModelForm):
    """A note about a stop (or any producer) and optionally one of that producer's products.

    Producers and products are chosen by code. Picking a stop picks its producer.
    """

    stop = forms.ModelChoiceField(
        label=_("Stop"),
        queryset=VisitStop.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    producer = forms.ModelChoiceField(
        label=_("Producer"), queryset=Producer.objects.all(), to_field_name="code", required=False
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.all(), to_field_name="code", required=False
    )
    interest = forms.TypedChoiceField(
        label=_("Interest"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1 = not interested, 5 = very interested."),
    )
    requested = forms.MultipleChoiceField(
        label=_("Requested follow-ups"),
        choices=FollowUpKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visibility = forms.ChoiceField(
        label=_("Who sees this note"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.SHARED,
        widget=forms.RadioSelect,
    )
    photos = NotePhotosField(label=_("Photos"))
    client_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = VisitNote
        fields = ["stop", "producer", "product", "text", "interest", "requested", "visibility"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit
        if visit is None:
            del self.fields["stop"]
        else:
            self.fields["stop"].queryset = visit.stops.select_related("producer")
        producer_field = self.fields["producer"]
        producer_field.choices = producer_choices(Producer.objects.all())
        choose_by_code(self, "producer", "product")
        self.fields["product"].choices = product_choices(self._product_options())
        speed_up_selects(self)  # one <option> per producer: 5,000 at full scale

    def _product_options(self):
        """Products of the producers this note may be about (the JS narrows them further)."""
        codes = set()
        if self.visit is not None:
            codes |= {stop.producer.code for stop in self.fields["stop"].queryset}
        chosen = self.data.get("producer") if self.is_bound else self.initial.get("producer")
        if chosen:
            codes.add(chosen)
        return Product.objects.filter(producer__code__in=codes)

    def clean(self):
        cleaned = super().clean()
        stop = cleaned.get("stop")
        if stop is not None:
            cleaned["producer"] = stop.producer
        producer = cleaned.get("producer")
        if producer is None and "producer" not in self.errors:
            self.add_error("producer", _("Pick a stop or a producer."))
        product = cleaned.get("product")
        if product is not None and producer is not None and product.producer_id != producer.pk:
            self.add_error("product", _("This product is not made by this producer."))
        return cleaned


class NoteEditForm(NoteForm):
    delete_photos = forms.ModelMultipleChoiceField(
        label=_("Remove photos"),
        queryset=VisitNote.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, visit=kwargs["instance"].visit, **kwargs)
        del self.fields["client_token"]
        if "stop" in self.fields:
            # Editing may also take a note off its stop: a plain list with an empty choice.
            stop = self.fields["stop"]
            stop.empty_label = "---------"
            stop.widget = forms.Select()
            stop.queryset = stop.queryset  # links the new widget to the choices
        self.fields["delete_photos"].queryset = self.instance.photos.all()
        self.fields["photos"].label = _("Add photos")


class FollowUpForm(forms.ModelForm):
    owner = PersonChoiceField(label=_("Owner"), queryset=get_user_model().objects.none())

    class Meta:
        model = FollowUp
        fields = ["description", "owner", "due_date", "status"]
        widgets = {"due_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "description": _(
                "Everyone who reads follow-ups sees this. The note is quoted on its own, "
                "to those who may read it."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners(keep=[self.instance.owner])
        self.fields["owner"].required = False


def owners(keep=()):
    """Who can own a follow-up: staff of Bakorwil and of the regencies."""
    return people([roles.ADMINISTRATOR, roles.REGIONAL_STAFF, roles.REGENCY_STAFF], keep=keep)


class FollowUpsFromNoteForm(forms.Form):
    """The one-click button sends nothing: owner and due date then take their defaults."""

    owner = PersonChoiceField(label=_("Owner"), queryset=owners(), required=False)
    due_date = forms.DateField(label=_("Due"), required=False, widget=DATE_INPUT)


class CloseFollowUpForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in FollowUpStatus if s in CLOSED_STATUSES],
        required=False,
    )

    def clean_status(self):
        return self.cleaned_data["status"] or FollowUpStatus.DONE
