"""The Celery application. Every Celery setting lives in config/settings/base.py (CELERY_*)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("petition_desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender: Celery, **kwargs) -> None:
    # kombu's filesystem transport expects its folders to exist.
    if str(sender.conf.broker_url).startswith("filesystem:"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = sender.conf.broker_transport_options.get(key)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
