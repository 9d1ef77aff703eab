"""Writes of the case core: care episodes, allocations, children."""
