"""Printable promotion material for TEC and Chinese buyers: the one-page promotion sheet
of a product and the lookbook of a listed selection (``sheets``), with their QR codes
(``qr``)."""
