"""Area 5 of FIGURES.md: review record timeliness (REC-01)."""
