"""Area 12 of FIGURES.md: the board scorecard measures that come from IRO data (SC-xx)."""
