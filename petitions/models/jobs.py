"""Leases that keep a periodic job to one run at a time where the database has no advisory locks."""

from django.db import models


class JobLease(models.Model):
    """Held by the run that wrote `holder`, until it deletes the row or `expires_at` passes (it died)."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=32)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
