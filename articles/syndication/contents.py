"""A feed entry's content (the body with its SEE ALSO boxes and body images, addresses made
absolute) rendered once and kept in Django's cache, so that the feeds an article appears in (three
formats each of the site, its section, its tags and its authors) and the misses after writes to
other stories reuse it instead of rendering it again.

The key is a digest of everything the content shows, not the article's version: SEE ALSO boxes
show their targets' current headlines and addresses, and body images their current alt text,
caption and renditions, none of which saves the article; and a key made of the shown values
cannot be stale whatever code path wrote them. The release (code, templates, the settings pages
show) is part of it, so a deploy renders anew.
"""

import hashlib
import logging
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string

from articles.cache.freshness import release
from articles.sanitize import strip_control_characters as xml_safe
from articles.sanitize import with_absolute_urls

logger = logging.getLogger(__name__)


@cache
def _release():
    return release()


def key(article, link):
    """The cache key of `article`'s content at its address `link` (loaded `with_everything()`)."""
    shown = [
        link,
        article.body,
        [
            (item.pk, item.position, item.url, item.title)
            + (
                (item.target_article.headline, item.target_article.slug)
                if item.target_article_id
                else ()
            )
            for item in article.visible_links
        ],
        [
            (image.pk, image.file.name, image.rendered, image.width, image.height)
            + (image.alt, image.caption, image.credit)
            for image in article.body_images.all()
        ],
    ]
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"feed-entry:{_release()}:{digest}"


def render(article, link):
    content = render_to_string("syndication/article_content.html", {"article": article})
    return xml_safe(with_absolute_urls(content.strip(), link))


def contents(articles, link_of):
    """{article id: content} for `articles`: those kept, in one cache read; the others rendered
    and kept, in one write. A failing cache means rendering them all."""
    if not settings.FRAGMENT_CACHE_SECONDS:
        return {article.pk: render(article, link_of(article)) for article in articles}
    store = caches["default"]
    keys = {article.pk: key(article, link_of(article)) for article in articles}
    try:
        kept = store.get_many(keys.values())
    except Exception:  # any failure of the cache means no cache
        logger.warning("Feed entries could not be read from the cache", exc_info=True)
        kept = {}
    found = {pk: kept[keys[pk]] for pk in keys if keys[pk] in kept}
    made = {
        article.pk: render(article, link_of(article))
        for article in articles
        if article.pk not in found
    }
    if made:
        try:
            store.set_many(
                {keys[pk]: content for pk, content in made.items()},
                settings.FRAGMENT_CACHE_SECONDS,
            )
        except Exception:  # any failure of the cache means no cache
            logger.warning("Feed entries could not be kept in the cache", exc_info=True)
    return found | made
