"""Synthetic data for the case core: staff, areas, children, care episode histories, allocations.

Mixes are drawn from the seed reports (Birmingham IRO annual report 2022/23: ages table 4,
ethnicity table 5, legal status table 6, placement profile 2.13, 55.8% boys, UASC 168 of 2,201;
admissions about a third of the in-care population a year). Every generated history passes
iro.episode_rules.history_problems, the same rules the services enforce; rows are bulk inserted.
Names are drawn from small built-in lists; no postcodes are invented (distance is stored as if
entered).
"""

from iro.synthetic.generator import Generator
from iro.synthetic.mixes import BATCH, SCALES

__all__ = ["BATCH", "SCALES", "Generator"]
