#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    # Commands (imports, reports, migrations) run under the jobs' statement_timeout; the
    # development server serves pages and keeps the web request's deadline.
    if len(sys.argv) > 1 and sys.argv[1] not in ("runserver", "help"):
        import django

        django.setup()
        from config.db_timeouts import use_job_statement_timeout

        use_job_statement_timeout()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
