"""The scheduler's daily work that other apps own (escalation: the overdue sweep and the auto-close),
for whatever replays past days — the demo data lives through its days with them. The schedule itself
is CELERY_BEAT_SCHEDULE; this is only the list, so that petitions need not import those apps.
"""

from collections.abc import Callable

_jobs: list[Callable[[], object]] = []


def register(job: Callable[[], object]) -> None:
    """Called in AppConfig.ready() by the app that owns `job`; a job takes nothing and is safe to repeat."""
    if job not in _jobs:
        _jobs.append(job)


def run_all() -> None:
    """Do one day's scheduled work now (at whatever moment the clock says it is)."""
    for job in _jobs:
        job()
