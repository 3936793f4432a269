"""Products and producers in spreadsheets: the column contract (``columns``), the import
(``importing``, its pages in ``import_views``), the export and the export history
(``exporting``, their pages in ``export_views``)."""
