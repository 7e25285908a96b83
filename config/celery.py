import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hindsight")
# Every CELERY_* Django setting configures Celery; apps declare tasks with @shared_task.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
