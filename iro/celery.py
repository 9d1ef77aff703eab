"""Celery application: Redis in production, kombu's filesystem transport when run locally."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iro.settings.local")

app = Celery("iro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
