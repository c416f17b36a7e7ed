from django.contrib.postgres.search import SearchVectorField
from django.db import models

from articles.models import Article


class SearchDocument(models.Model):
    """A row of PostgreSQL's full-text index: one weighted tsvector per article.

    The database writes these rows itself (triggers from articles' migrations 0003 and 0007);
    Django only reads them. SQLite's index is an FTS5 table by the same name, searched with
    hand-written SQL instead.
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        db_column="article_id",
        related_name="+",
    )
    document = SearchVectorField()

    class Meta:
        managed = False
        db_table = "articles_search"
        default_permissions = ()  # written by the database alone

    def __str__(self):
        return f"Index entry of article {self.article_id}"
