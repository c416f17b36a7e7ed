from django.db import models


class ContentVersion(models.Model):
    """One row whose `version` the database advances whenever a transaction changes what readers
    could see (triggers on every content table: see triggers.py). Every page cache key carries
    it, so a write makes every page stored before it unreachable.

    The version moves to at least the current time in microseconds (SQLite's clock counts
    milliseconds), so it does not repeat after the table is emptied or created again, or after
    an older backup is restored.
    """

    version = models.BigIntegerField()

    class Meta:
        default_permissions = ()  # written by the database alone

    def __str__(self):
        return f"Content version {self.version}"
