"""Create the first administrator of a real deployment, from the command line.

An administrator manages users and settings in /admin/ (the Administrator role), and is not a
superuser: roles that see children are granted to others from there. The password is asked for
twice (or read from ADMINISTRATOR_PASSWORD with --no-input) and checked by the password validators.
"""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from iro.management.passwords import read_new_password
from iro.models import User
from iro.roles import Role, group_name


class Command(BaseCommand):
    help = "Create a user with the Administrator role (not a superuser)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Read the password from the ADMINISTRATOR_PASSWORD environment variable.",
        )

    def _password(self, user: User, no_input: bool) -> str:
        password = read_new_password(no_input=no_input, env_var="ADMINISTRATOR_PASSWORD")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        return password

    @transaction.atomic
    def handle(self, *args, username, email, first_name, last_name, no_input, **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_staff=True,
            is_superuser=False,
        )
        user.set_password(self._password(user, no_input))
        user.save()
        user.groups.add(Group.objects.get(name=group_name(Role.ADMINISTRATOR)))
        self.stdout.write(f"Administrator {username} created. Sign in at /admin/.")
