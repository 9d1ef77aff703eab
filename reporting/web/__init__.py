"""Reporting pages: the annual report, drill-down, dashboards, scorecard and snapshots."""
