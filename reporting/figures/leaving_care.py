"""Area 3 of FIGURES.md: leaving care (LVC-01 to LVC-07)."""
