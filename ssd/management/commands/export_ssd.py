from django.core.management.base import BaseCommand

from ssd.exporter import export_extract


class Command(BaseCommand):
    help = "Write the service's records as a Standard Safeguarding Dataset extract (CSV per table)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        counts = export_extract(folder)
        for table, n in sorted(counts.items()):
            self.stdout.write(f"{table}: {n:,} rows")
