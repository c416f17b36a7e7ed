"""The desk's workflow, each step in one place: change the article, keep a revision, and tell
feed subscribers (WebSub) whenever what readers see has changed."""

from django.utils import timezone

from articles.models import Article, Revision
from articles.syndication import websub


class NotReady(ValueError):
    """An article that cannot take this step yet, with the reason for the editor."""


def was_public(article):
    """Whether readers could see the article as it is stored now (before a save)."""
    return article.pk is not None and Article.objects.public().filter(pk=article.pk).exists()


def record(article, *, user, was_public):
    """After every save from the desk: a revision, and a ping if readers' view changed."""
    Revision.capture(article, user=user)
    if was_public or article.is_public:
        websub.announce(article)


def publish(article, *, user, when=None):
    if article.hero_image and not article.hero_alt.strip():
        raise NotReady(f"“{article.headline}” was not published: its hero image needs alt text.")
    article.publish(when=when or timezone.now())
    record(article, user=user, was_public=False)


def unpublish(article, *, user):
    public_before = article.is_public
    article.unpublish()
    record(article, user=user, was_public=public_before)


def submit_for_review(article, *, user):
    article.status = Article.Status.IN_REVIEW
    article.save()
    record(article, user=user, was_public=False)
