"""Where the QR code of a promotion sheet or lookbook page leads: a buyer's public page.

Paper goes to buyers, who have no account, so the code should open the product's public
page through a share link. Share links belong to the showroom, a higher floor that
catalogue does not import: the showroom registers a ``ShareLinks`` provider here when it
starts (``showroom.apps``). Without a provider, or without a chosen link, the code opens
the product's staff page, and the sheet says so.
"""

from typing import Protocol


class ShareLinks(Protocol):
    def choices(self, user, products) -> list[tuple[str, str]]:
        """``(token, label)`` of the live links ``user`` may hand out whose collection
        holds at least one of ``products``."""
        ...

    def product_urls(self, token, products) -> dict[str, str]:
        """``{product code: public path}`` for those of ``products`` that the live link
        ``token`` shows; empty for an unknown, expired or revoked link."""
        ...

    def create_url(self, user) -> str:
        """Where to POST product codes to get a new collection and link for them, or ""
        when ``user`` may not create one."""
        ...


_provider: ShareLinks | None = None


def register(provider: ShareLinks):
    global _provider
    _provider = provider


def provider() -> ShareLinks | None:
    return _provider
