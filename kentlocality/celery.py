"""The Celery app. Redis is the broker; messages are JSON and carry primary keys only.

``task_acks_late`` with a prefetch of one means a task whose worker dies mid-run is
delivered again; every task is written so that running twice does no harm (see the
compare-and-set claims in the services they call).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kentlocality.settings.base")

app = Celery("kentlocality")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    # A publish while Redis is down must fail fast, not hang the web request: the
    # hand-off row is already committed and the sweep will queue it later.
    broker_transport_options={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
    broker_connection_timeout=2,
    task_publish_retry_policy={
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    },
    beat_schedule={
        "handoff-sweep": {
            "task": "requests.tasks.handoff_sweep",
            "schedule": 600.0,
        },
        "handoff-deadlines": {
            "task": "requests.tasks.handoff_deadline_check",
            "schedule": crontab(minute=15),
        },
        "monthly-budget-statements": {
            "task": "budgets.tasks.monthly_statements_if_due",
            "schedule": crontab(hour=6, minute=30),
        },
        "quarterly-reports": {
            "task": "reporting.tasks.quarterly_reports_if_due",
            "schedule": crontab(hour=6, minute=45),
        },
        "retention": {
            "task": "requests.retention.retention_run",
            "schedule": crontab(hour=2, minute=30),
        },
        # Notifications: emails the broker missed, the daily summaries and the officers'
        # payments due at 8:00 (the tasks skip days that are not working days), and the
        # 12 months they are kept.
        "notifications-sweep": {
            "task": "requests.notifications.tasks.notifications_sweep",
            "schedule": 600.0,
        },
        "notifications-daily-summaries": {
            "task": "requests.notifications.tasks.daily_summaries",
            "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
        },
        "notifications-payments-due": {
            "task": "requests.notifications.tasks.payments_due",
            "schedule": crontab(hour=8, minute=0, day_of_week="mon-fri"),
        },
        "notifications-purge": {
            "task": "requests.notifications.tasks.notifications_purge",
            "schedule": crontab(hour=2, minute=45),
        },
    },
)
app.autodiscover_tasks()
# Tasks that live outside a tasks.py module.
app.conf.imports = ("requests.retention", "requests.notifications.tasks")
