"""Spreadsheets in general, for any app: cells that are safe to write (``cells``), XLSX,
CSV and ODS files read safely into rows of raw cells (``reading``), and streamed writers
(``writing``). What the columns mean is the business of the app that uses them."""
