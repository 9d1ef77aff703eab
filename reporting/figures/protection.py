"""Area 8 of FIGURES.md: child protection (CP-01 to CP-22)."""
