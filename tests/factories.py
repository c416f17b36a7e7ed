"""Small helpers to make content for tests."""

import io
from datetime import timedelta
from io import StringIO
from itertools import count

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from articles.body import insert_markers
from articles.models import Article, Author, Byline, RelatedLink, Section, Tag

_numbers = count(1)


def make_section(name=None, **fields):
    number = next(_numbers)
    name = name or f"Section {number}"
    return Section.objects.create(name=name, slug=fields.pop("slug", f"section-{number}"), **fields)


def make_author(name=None, **fields):
    number = next(_numbers)
    return Author.objects.create(
        name=name or f"Reporter {number}", slug=fields.pop("slug", f"reporter-{number}"), **fields
    )


def make_staff(username, role=None, **fields):
    """A staff account; in the Editor or Writer group when `role` names one."""
    user = User.objects.create_user(username, is_staff=True, **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_tag(name=None):
    return Tag.objects.create(name=name or f"Tag {next(_numbers)}")


def make_article(headline=None, *, live=True, authors=(), tags=(), **fields):
    """A live article by default; `live=False` gives a draft."""
    number = next(_numbers)
    fields.setdefault("body", "<p>First paragraph.</p><p>Second paragraph.</p><p>Third.</p>")
    if live:
        fields.setdefault("status", Article.Status.PUBLISHED)
        # A second apart, newest last: distinct and ordered, and all within the hour.
        fields.setdefault("published_at", timezone.now() - timedelta(minutes=1, seconds=number))
    article = Article.objects.create(headline=headline or f"Story number {number}", **fields)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    article.tags.add(*tags)
    return article


def link(article, target=None, *, url="", title="", after=None, position=0):
    """A SEE ALSO link; with `after`, its box placed in the text after that many blocks."""
    made = RelatedLink.objects.create(
        article=article, target_article=target, url=url, title=title, position=position
    )
    if after is not None:
        article.refresh_from_db()
        article.body = insert_markers(article.body, [(after, made.key)])
        article.save()
    return made


def image_upload(name="hero.png", size=(64, 36), colour="#336699"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def run_import(*args):
    """`import_stories` with `args`: what it printed, and its errors (a CommandError too)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_stories", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}")
    return out.getvalue(), err.getvalue()
