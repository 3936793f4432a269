from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InquiryStatus(models.TextChoices):
    """Where a buyer's inquiry stands, from arrival to an order or its end."""

    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")
    SAMPLE_SENT = "sample_sent", _("Sample sent")
    QUOTATION = "quotation", _("Quotation")
    ORDER = "order", pgettext_lazy("inquiry status", "Order")
    CLOSED = "closed", pgettext_lazy("inquiry status", "Closed")
    LOST = "lost", _("Lost")


OPEN_INQUIRY_STATUSES = (
    InquiryStatus.NEW,
    InquiryStatus.ANSWERED,
    InquiryStatus.SAMPLE_SENT,
    InquiryStatus.QUOTATION,
)


class InquiryLanguage(models.TextChoices):
    """The language a buyer wrote in: the public pages' three languages."""

    ZH = "zh-hans", "中文"
    EN = "en", "English"
    ID = "id", "Bahasa Indonesia"


class SampleRecipient(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    TEC = "tec", _("TEC")
    OTHER = "other", _("Other")
