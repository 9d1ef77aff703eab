"""The load test's report: requests per second, p50/p95/p99 and errors over a window of the run,
and plain-text tables.
"""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(rows: list, label: str, start: float, end: float) -> tuple:
    window = [r for r in rows if start <= r[0] < end]
    times = [r[3] for r in window]
    errors = sum(1 for r in window if not r[2])
    seconds = max(end - start, 1e-9)
    return (
        label,
        len(window),
        f"{len(window) / seconds:.1f}",
        f"{percentile(times, 50):.0f}",
        f"{percentile(times, 95):.0f}",
        f"{percentile(times, 99):.0f}",
        errors,
    )


def table(headers: tuple, rows: list) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)
