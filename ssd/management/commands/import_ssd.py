import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ssd.sync import run_sync


class Command(BaseCommand):
    help = (
        "Read a Standard Safeguarding Dataset extract (a folder or zip of CSV files, or a "
        "PostgreSQL schema with --schema) into the service: all or nothing; --dry-run first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", nargs="?", default="")
        parser.add_argument("--schema", help="read the SSD tables of this schema on the database")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would change; write nothing"
        )
        parser.add_argument(
            "--role",
            action="append",
            default=None,
            metavar="CODE=cla|cp",
            help="an involvement role that is an IRO (cla) or CP chair (cp) allocation; repeatable",
        )
        parser.add_argument(
            "--report", help="folder for rejected.csv, unmapped.csv and conflicts.csv"
        )

    def handle(self, *args, source, schema, dry_run, role, report, **options):
        if not source and not schema:
            raise CommandError("name a folder or zip file, or --schema NAME")
        roles = None
        if role is not None:
            roles = {}
            for pair in role:
                code, _, kind = pair.partition("=")
                if kind not in ("cla", "cp"):
                    raise CommandError(f"--role {pair}: say CODE=cla or CODE=cp")
                roles[code] = kind
        run = run_sync(source, schema=schema, dry_run=dry_run, roles=roles)
        self.stdout.write(f"{'Dry run' if dry_run else 'Sync'}: {run.get_status_display()}")
        for table, counts in sorted(run.counts.items()):
            words = ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
            self.stdout.write(f"  {table}: {words}")
        for line in run.message.splitlines():
            self.stdout.write(f"  {line}")
        for gap in run.coverage.get("figures_not_from_extract", []):
            self.stdout.write(f"  {gap['input']} ({gap['state']}): {gap['figures']}: {gap['why']}")
        for refusal in run.rejected[:20]:
            self.stdout.write(
                f"  refused: {refusal['file']} row {refusal['line']}: {refusal['reason']}"
            )
        if report:
            write_reports(run, Path(report))
            self.stdout.write(f"  reports written to {report}")
        if run.status != "done":
            raise CommandError(
                "nothing was written" if not dry_run else "the extract has refused rows"
            )


def write_reports(run, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows, columns in (
        ("rejected.csv", run.rejected, ["file", "line", "id", "column", "reason"]),
        (
            "unmapped.csv",
            run.unmapped,
            ["table", "column", "code", "rows", "first_file", "first_line"],
        ),
        (
            "conflicts.csv",
            list(run.conflicts.values()),
            ["table", "ssd_id", "field", "service_value", "source_value", "rule"],
        ),
    ):
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
