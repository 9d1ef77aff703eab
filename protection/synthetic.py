def generate(ctx) -> None:
    pass
