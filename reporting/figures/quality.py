"""Area 9 of FIGURES.md: IRO monitoring and quality assurance (QA-01 to QA-08)."""
