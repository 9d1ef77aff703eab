"""Exports of a report (annual report, dashboard, scorecard, published snapshot): XLSX, CSV and
an editable Word document, all written from the same presented tables as the page."""
