"""Prints the annual report's figures for a reporting year (see the README, "Reporting")."""

import json

from django.core.management.base import BaseCommand, CommandError

from reporting.annual_data import report_json
from reporting.figures import Period, computing


class Command(BaseCommand):
    help = "Computes every figure of the annual report for a reporting year (2024 = 2024/25)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Year the report starts in")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON")

    def handle(self, *args, year: int, json: bool = False, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be a year such as 2024")
        period = Period.year(year)
        with computing():
            data = report_json(period)
        if json:
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"IRO annual report {period.title} ({data['start']} to {data['end']})")
        for fid, item in data["figures"].items():
            self.stdout.write(
                f"{fid:8} {item['title'][:60]:60} {_text(item['value']):>10} "
                f"(last year {_text(item['previous'])})"
            )


def _text(value) -> str:
    return "-" if value is None else str(value)


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
