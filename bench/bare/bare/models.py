from django.db import models


class Item(models.Model):
    """A case's poor cousin: the columns a list row shows, and the index the filtered list walks."""

    department_id = models.IntegerField()
    state = models.CharField(max_length=16)
    due_date = models.DateField()
    number = models.CharField(max_length=16)
    title = models.CharField(max_length=200)
    received_at = models.DateTimeField()

    class Meta:
        app_label = "bare"
        indexes = [models.Index(fields=["department_id", "state", "due_date"], name="item_dept_state_due")]

    def __str__(self) -> str:
        return self.number
