"""`manage.py export_903 --year 2024 DIR`: write the SSDA903 return CSVs for a collection year
(2024 = 1 April 2024 to 31 March 2025, the DfE's "2025" collection)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from reporting.returns.ssda903 import NOT_PRODUCED, CollectionYear, export_files


class Command(BaseCommand):
    help = "Write the SSDA903 return (Header, Episodes, Reviews, UASC CSVs) for a collection year."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="2024 for April 2024-March 2025"
        )
        parser.add_argument("dir", type=Path)
        parser.add_argument("--validate", action="store_true", help="Run the DfE validator too")

    def handle(self, *args, year: int, dir: Path, validate: bool, **options):
        collection = CollectionYear(year)
        dir.mkdir(parents=True, exist_ok=True)
        for name, text in export_files(collection).items():
            (dir / name).write_text(text, encoding="utf-8")
            self.stdout.write(f"{dir / name}: {text.count(chr(10)) - 1:,} rows")
        self.stdout.write("Not produced (no data held): " + ", ".join(sorted(NOT_PRODUCED)) + ".")
        if validate:
            from reporting.returns.validate import validate_903_folder

            result = validate_903_folder(dir, collection)
            self.stdout.write(f"Validator ({collection.ruleset}): {len(result['errors'])} errors")
            for error in result["errors"][:50]:
                self.stdout.write(
                    f"  {error['table']} row {error['row']} child {error['child']}: "
                    f"{error['code']} {error['message']}"
                )
