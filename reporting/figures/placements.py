"""Area 2 of FIGURES.md: legal status, placements and stability (PLC-01 to PLC-10)."""
