"""Area 6 of FIGURES.md: IRO caseloads and staffing (IRO-01 to IRO-07)."""
