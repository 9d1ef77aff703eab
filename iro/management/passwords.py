"""Reading a new password on the server's command line, for the commands that set one."""

import getpass
import os

from django.core.management.base import CommandError


def read_new_password(*, no_input: bool, env_var: str, prompt: str = "Password") -> str:
    """The password typed twice at the prompt, or with `no_input` read from `env_var`."""
    if no_input:
        password = os.environ.get(env_var, "")
        if not password:
            raise CommandError(f"Set {env_var} when using --no-input.")
        return password
    password = getpass.getpass(f"{prompt}: ")
    if password != getpass.getpass(f"{prompt} (again): "):
        raise CommandError("The two passwords do not match.")
    return password
