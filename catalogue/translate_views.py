"""The translation view: many products at once, the Indonesian text on the left and the
English or Chinese field on the right for each buyer-read text, saved row by row.

``/products/translate/?lang=zh&<the product list's query string>`` lists the products of
that list the user may change (regency staff: their regencies'), 20 to a page. Each row is
its own form posting to the same URL; the write goes through ``save_product`` with the
optimistic lock (``core.locking``), so two translators never overwrite each other
silently: the one who saves second is told, sees the text now stored, and keeps what they
typed in the form (saving again then replaces the other's text knowingly). No JavaScript.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue import access, completeness
from catalogue.filtersets import ProductFilterSet
from catalogue.models import Product
from catalogue.product_writes import save_product
from core.listing import ListQuery
from core.localization import HTML_LANG, LANGUAGE_LABELS
from core.locking import EditConflict, WriteRefused
from core.roles import allowed_if

PER_PAGE = 20
TARGETS = completeness.LANGUAGES  # English and Chinese are written here; Indonesian is the source
OWN_PARAMS = ("lang", "page")


class TranslationForm(forms.Form):
    """One product's texts in ``language``: a field per buyer-read text of its profile
    (with the model field's label and length), and the version the row was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, product, language, *args, **kwargs):
        kwargs.setdefault("prefix", f"p{product.pk}")
        super().__init__(*args, **kwargs)
        self.product, self.language = product, language
        self.stems = completeness.texts_for(product.category.profile)
        self.fields["version"].initial = product.version
        for stem in self.stems:
            name = f"{stem}_{language}"
            field = Product._meta.get_field(name).formfield(required=False)
            field.widget.attrs.update({"lang": HTML_LANG[language], "rows": 2})
            self.fields[name] = field
            self.initial[name] = getattr(product, name)

    def rows(self, stored=None):
        """(label, Indonesian text, bound field, the text stored now if it differs from
        what was typed) per text: ``stored`` is the product as saved by someone else."""
        return [
            {
                "label": completeness.TEXT_LABELS[stem],
                "source": getattr(self.product, "name_id" if stem == "name" else f"{stem}_id"),
                "field": self[f"{stem}_{self.language}"],
                "theirs": getattr(stored, f"{stem}_{self.language}", None) if stored else None,
            }
            for stem in self.stems
        ]

    def apply(self):
        for stem in self.stems:
            name = f"{stem}_{self.language}"
            setattr(self.product, name, self.cleaned_data[name].strip())


def _language(request):
    wanted = request.GET.get("lang", "zh")
    return wanted if wanted in TARGETS else "zh"


def _filters(request):
    """The list's query string without this page's own parameters."""
    data = request.GET.copy()
    for name in OWN_PARAMS:
        data.pop(name, None)
    return data


def _save(request, product, language):
    """Bind and save one row's form; the form (with errors) when it was not saved."""
    form = TranslationForm(product, language, request.POST)
    if not form.is_valid():
        return form, None
    form.apply()
    try:
        save_product(product, request.user, version=form.cleaned_data["version"])
    except EditConflict as conflict:
        form.add_error(None, _conflict_message(conflict))
        # Saving again replaces the stored text knowingly: the form now holds its version.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = conflict.current.version
        return form, conflict.current
    except WriteRefused as refused:
        form.add_error(None, refused.message)
        return form, None
    return None, None


def _conflict_message(conflict):
    return _(
        "Someone else saved %(code)s while you were translating. Nothing of yours was "
        "saved: your text is still in the form, and the text saved now is shown under each "
        "field. Save again to replace it with yours."
    ) % {"code": conflict.current.code}


def _rows(page, failed, language):
    """A form per product of the page; a row that was not saved keeps its bound form (and
    comes first if the page no longer lists it)."""
    shown = list(page.object_list)
    on_page = {product.pk for product in shown}
    missing = [entry[0] for pk, entry in failed.items() if pk not in on_page]
    rows = []
    for product in missing + shown:
        _product, form, stored = failed.get(product.pk) or (
            product,
            TranslationForm(product, language),
            None,
        )
        rows.append({"product": product, "form": form, "texts": form.rows(stored)})
    return rows


@allowed_if(access.can_change_products)
def product_translate(request):
    language = _language(request)
    listing = ListQuery(
        ProductFilterSet,
        _filters(request),
        access.editable_products(request.user, Product.objects.all()),
        request=request,
    )
    failed = {}  # product pk → (product, bound form, the product as stored by someone else)
    if request.method == "POST":
        product = get_object_or_404(
            Product.objects.select_related("category", "producer"),
            code=request.POST.get("product", ""),
        )
        if not access.can_edit_product(request.user, product):
            raise PermissionDenied(access.outside_regencies_reason(request.user, product))
        form, stored = _save(request, product, language)
        if form is None:
            messages.success(request, _("Texts of %(code)s saved.") % {"code": product.code})
            return redirect(f"{request.get_full_path()}#p-{product.code}")
        failed[product.pk] = (product, form, stored)
    page = Paginator(listing.queryset.select_related("category", "producer"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    # 409 Conflict: someone else saved first (RFC 9110 §15.5.10); 400: the text was refused.
    status = 200
    if failed:
        status = 409 if any(entry[2] for entry in failed.values()) else 400
    return render(
        request,
        "catalogue/product_translate.html",
        {
            "listing": listing,
            "page": page,
            "rows": _rows(page, failed, language),
            "language": language,
            "language_label": LANGUAGE_LABELS[language],
            "other_languages": [(code, LANGUAGE_LABELS[code]) for code in TARGETS],
            "html_lang": HTML_LANG[language],
        },
        status=status,
    )
