"""Area 10 of FIGURES.md: dispute resolution and IRO concerns (DR-01 to DR-10)."""
