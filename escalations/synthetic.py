def generate(ctx) -> None:
    """Placeholder replaced below."""
