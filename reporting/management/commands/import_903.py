"""`manage.py import_903 DIR [DIR ...]`: import one or several years' SSDA903 CSV folders
(applied oldest first; all or nothing), printing progress and every refused row."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.returns.importer import UploadRefused, import_years, read_folder


class Command(BaseCommand):
    help = "Import SSDA903 returns (a folder of CSVs per year) into children, episodes and reviews."

    def add_arguments(self, parser):
        parser.add_argument("dirs", nargs="+", type=Path)

    def handle(self, *args, dirs: list[Path], **options):
        for folder in dirs:
            if not folder.is_dir():
                raise CommandError(f"No such folder: {folder}")
        try:
            years = [read_folder(folder) for folder in dirs]
        except UploadRefused as exc:
            where = f"{exc.refusal.file}: " if exc.refusal.file else ""
            raise CommandError(f"{where}{exc} Nothing was changed.") from None

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"  {done:,} of {total:,} children ({100 * done // max(total, 1)}%)")
            self.stdout.flush()

        result = import_years(years, progress=progress)
        if result.refusals:
            self.stdout.write(f"Nothing imported: {len(result.refusals)} rows refused.")
            for r in result.refusals:
                column = f" {r.field}" if r.field else ""
                self.stdout.write(
                    f"  {r.file} line {r.line}{column} child {r.child or '-'}: {r.reason}"
                )
            raise CommandError("The import was refused; nothing was changed.")
        self.stdout.write("Imported " + ", ".join(result.years) + ".")
        for name, count in sorted(result.counts.items()):
            self.stdout.write(f"  {name}: {count:,}")
        if not result.counts:
            self.stdout.write("  nothing changed")
