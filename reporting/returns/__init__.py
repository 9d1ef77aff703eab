"""Statutory returns: SSDA903 export and import, CIN census CP module, Ofsted Annex A lists."""
