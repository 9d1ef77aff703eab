"""Break-glass: set someone's password from the server's command line, audited.

For when the emailed reset link cannot be used (no working email, the last administrator locked
out). Nobody sets another person's password from the web. The operator and the reason are
required and written to the audit log with the change (the password never is). The password is
asked for twice, or read from NEW_PASSWORD with --no-input, and checked by the password rules.

    python manage.py set_password --username jo.bloggs --operator "A. Smith, IT service desk" \\
        --reason "Ticket 4711: email not yet set up"
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from iro.management.passwords import read_new_password
from iro.models import User
from iro.services.accounts import password_set_break_glass


class Command(BaseCommand):
    help = "Set a user's password (break-glass); the operator and reason go to the audit log."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--operator", required=True, help="Who is running this (name and role)."
        )
        parser.add_argument("--reason", required=True, help="Why the password is set this way.")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Read the password from the NEW_PASSWORD environment variable.",
        )

    def handle(self, *args, username, operator, reason, no_input, **options):
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        password = read_new_password(
            no_input=no_input, env_var="NEW_PASSWORD", prompt="New password"
        )
        try:
            password_set_break_glass(user=user, password=password, operator=operator, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Password of {user.username} set; the audit log names {operator.strip()}."
        )
