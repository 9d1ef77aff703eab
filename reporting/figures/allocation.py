"""Area 7 of FIGURES.md: allocation (ALC-01 to ALC-05)."""
