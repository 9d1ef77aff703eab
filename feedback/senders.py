"""Sending a feedback link by email or text message, through a provider chosen in the settings.

`FEEDBACK_SENDER` names a class with `send(channel, to, message)`. The default,
`ConsoleSender`, sends email through Django's email backend (console under `make run`, the
service's mail server in production) and writes text messages to the log: a text message gateway
(GOV.UK Notify, for instance) plugs in as another class without touching the views.
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SUBJECT = "Tell us what you think about your meeting"
_PHONE = re.compile(r"^\+?[0-9 ]{10,16}$")


def check_address(channel: str, to: str) -> str:
    """The address cleaned, or a ValidationError naming what is wrong."""
    to = to.strip()
    if channel == "email":
        try:
            validate_email(to)
        except ValidationError:
            raise ValidationError(
                {"to": "Enter an email address in the right format, like name@example.com"}
            ) from None
        return to
    if not _PHONE.match(to) or len(re.sub(r"\D", "", to)) < 10:
        raise ValidationError({"to": "Enter a mobile phone number, like 07700 900 982"})
    return re.sub(r"\s", "", to)


class ConsoleSender:
    def send(self, channel: str, to: str, message: str) -> None:
        if channel == "email":
            send_mail(SUBJECT, message, settings.DEFAULT_FROM_EMAIL, [to])
        else:
            logger.info("Text message to %s: %s", to, message)
            print(f"Text message to {to}:\n{message}")  # noqa: T201 (the console provider)


def sender():
    return import_string(getattr(settings, "FEEDBACK_SENDER", "feedback.senders.ConsoleSender"))()


def message_for(url: str, days_left: int) -> str:
    return (
        "Your IRO would like to know what you thought about your meeting.\n"
        f"It takes about 2 minutes. You do not need to give your name.\n\n{url}\n\n"
        f"The link works once and stops working in {days_left} days."
    )
