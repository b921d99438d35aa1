from django.db import migrations, models


class Migration(migrations.Migration):
    """days_from_deadline as an integer: a deadline of year 1 is 739,000 days past, more than a small
    integer holds, and that one row aborted the whole sweep."""

    dependencies = [
        ("escalation", "0002_default_ladder"),
    ]

    operations = [
        migrations.AlterField(
            model_name="escalation",
            name="days_from_deadline",
            field=models.IntegerField(verbose_name="days past the deadline"),
        ),
    ]
