"""Synthetic reviews for generate_data (filled in below)."""


def generate(ctx) -> None:
    pass
