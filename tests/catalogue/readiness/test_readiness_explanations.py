"""Each readiness gap explains itself on the product page: what is missing, why it
matters and what to do, the rule's source and "check with the authority"."""

import html
import re

import pytest
from django.conf import settings
from django.utils.functional import Promise

from catalogue.models import Product
from catalogue.readiness import RULES, RULES_BY_KEY
from catalogue.services import refresh_readiness

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.key)
def test_every_rule_has_a_translatable_explanation(rule):
    assert isinstance(rule.explanation, Promise), "explanations go through gettext_lazy"
    text = str(rule.explanation)
    assert len(text) > 40
    assert text != str(rule.label)
    assert text.endswith((".", ".”", '."'))


def test_explanations_differ_from_rule_to_rule():
    texts = [str(rule.explanation) for rule in RULES]
    assert len(set(texts)) == len(texts)


def _gap_items(content):
    """{rule key: text of its checklist item} from the product page."""
    items = re.findall(r'<li class="miss" data-gap="([^"]+)">(.*?)</li>', content, re.S)
    return {key: html.unescape(re.sub(r"<[^>]+>", " ", body)) for key, body in items}


@pytest.mark.parametrize(
    "category", ["makanan-olahan", "furnitur-kayu", "cerutu", "buah-segar", "batik"]
)
def test_each_gap_on_the_product_page_shows_label_explanation_and_source(
    client, visitor_user, make_product, category
):
    """An empty record of each profile: every rule of the profile is a gap, and each gap
    is listed with its label, its explanation, its source and the authority caveat."""
    product = make_product(category=category, shelf_life_days=5)
    refresh_readiness(product)
    product.refresh_from_db()
    assert product.readiness_gaps
    client.force_login(visitor_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(f"/products/{product.code}/").content.decode()
    items = _gap_items(content)
    assert list(items) == product.readiness_gaps
    for key, text in items.items():
        rule = RULES_BY_KEY[key]
        flat = " ".join(text.split())
        assert str(rule.label) in flat
        assert " ".join(str(rule.explanation).split()) in flat
        assert rule.source in flat
        assert "check with the authority" in flat


def test_a_product_without_gaps_has_no_explanations(client, visitor_user, make_product):
    product = make_product()
    Product.objects.filter(pk=product.pk).update(readiness_gaps=[], readiness_score=100)
    client.force_login(visitor_user)
    content = client.get(f"/products/{product.code}/").content.decode()
    assert _gap_items(content) == {}
