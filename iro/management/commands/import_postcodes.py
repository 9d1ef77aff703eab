"""`manage.py import_postcodes FILE`: load postcode grid references (ONS Postcode Directory or
OS Code-Point Open CSV), then recompute the placement distance of episodes with postcodes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from iro.postcodes import episodes_backfill_distance, postcodes_import


class Command(BaseCommand):
    help = "Load postcode grid references from an ONS Postcode Directory or OS Code-Point Open CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--no-backfill", action="store_true", help="Do not recompute episode distances"
        )

    def handle(self, *args, file: Path, no_backfill: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open(newline="", encoding="utf-8-sig") as lines:
            try:
                result = postcodes_import(
                    lines=lines,
                    progress=lambda n: self.stdout.write(f"  {n:,} postcodes loaded"),
                )
            except UnicodeDecodeError:
                raise CommandError(
                    f"{file} is not UTF-8 text, nothing loaded: the ONS Postcode Directory and "
                    "Code-Point Open are published as UTF-8; save the file as CSV UTF-8"
                ) from None
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{result['layout']}: {result['loaded']:,} postcodes loaded, "
            f"{result['skipped']:,} rows without a grid reference skipped."
        )
        if not no_backfill:
            changed = episodes_backfill_distance()
            self.stdout.write(f"Placement distance recomputed on {changed:,} episodes.")
