from django.db import models


class ContentVersion(models.Model):
    """The content version is the sum of these rows' `version`, which the database advances
    whenever a transaction changes what readers could see (triggers on every content table: see
    triggers.py). Every page cache key carries it, so a write makes every page stored before it
    unreachable.

    A transaction advances one row that no other transaction holds, so editors'
    saves never wait on one another for it. A row moves to at least the current time in
    microseconds (SQLite's clock counts milliseconds): the sum only grows, even after the rows
    are made again or an older backup is restored.
    """

    ROWS = 16  # more than the transactions that write content at the same moment

    version = models.BigIntegerField()

    class Meta:
        default_permissions = ()  # written by the database alone

    def __str__(self):
        return f"Content version row {self.pk}: {self.version}"
