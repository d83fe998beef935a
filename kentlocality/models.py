from django.db import models


class ClosureDay(models.Model):
    """A day that is not a working day although it is neither a weekend nor a bank holiday
    (for example a council closure day). Administrators add these in the admin."""

    date = models.DateField(unique=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.description}"
