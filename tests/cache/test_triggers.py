"""The content version: advanced by the database on every write to a content table, by any
code path, and by nothing else."""

import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from articles.cache import triggers
from articles.cache.freshness import content_version
from articles.desk.models import AutosaveDraft, Notification
from articles.models import Article, Byline, RelatedLink, Revision, Section, SlugRedirect, Tag
from tests.factories import link, make_article, make_author, make_section, make_tag

# serialized_rollback: keep what data migrations made (the roles) for the tests after these.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="how PostgreSQL's transactions take the version"
)


def content_models():
    """Every model with a table of its own in `articles` and the rooms nested in it."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("articles") and config.label != "pagecache"
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def test_every_content_table_has_its_trigger_and_the_desks_own_tables_none():
    counts = triggers.installed(connection)
    per_table = 1 if connection.vendor == "postgresql" else 3  # SQLite: insert, update, delete
    for model in content_models():
        wanted = model._meta.label_lower not in triggers.NOT_SHOWN_TO_READERS
        assert counts.get(model._meta.db_table, 0) == (per_table if wanted else 0), model
    assert Article.tags.through._meta.db_table in counts  # a table Django made for tags


def test_the_exceptions_name_real_models():
    labels = {model._meta.label_lower for model in content_models()}
    assert triggers.NOT_SHOWN_TO_READERS <= labels


def test_installing_again_changes_nothing_and_drops_what_is_no_longer_wanted(monkeypatch):
    before = triggers.installed(connection)
    triggers.install()
    triggers.install()
    assert triggers.installed(connection) == before
    monkeypatch.setattr(
        triggers, "NOT_SHOWN_TO_READERS", triggers.NOT_SHOWN_TO_READERS | {"articles.tag"}
    )
    triggers.install()
    assert Tag._meta.db_table not in triggers.installed(connection)
    monkeypatch.undo()
    triggers.install()
    assert triggers.installed(connection) == before


def advances(write):
    """Whether `write` advanced the content version."""
    before = content_version()
    write()
    return content_version() > before


def test_every_way_of_writing_advances_the_version():
    section, author, tag = make_section(), make_author(), make_tag()
    story = make_article(section=section, authors=[author], tags=[tag])
    other = make_article()
    writes = {
        "save": lambda: story.save(),
        "update()": lambda: Article.objects.filter(pk=story.pk).update(headline="Updated"),
        "bulk_create": lambda: Byline.objects.bulk_create(
            [Byline(article=other, author=author, position=0)]
        ),
        "bulk delete": lambda: Byline.objects.filter(article=other).delete(),
        "tags": lambda: story.tags.add(make_tag()),
        "tag rename": lambda: Tag.objects.filter(pk=tag.pk).update(name="Renamed"),
        "section rename": lambda: Section.objects.filter(pk=section.pk).update(name="Renamed"),
        "author rename": lambda: author.__class__.objects.update(name="Renamed"),
        "link": lambda: link(story, other),
        "unlink": lambda: RelatedLink.objects.filter(article=story).delete(),
        "old address": lambda: SlugRedirect.objects.create(old_slug="was-here", article=story),
        "delete": lambda: other.delete(),
    }
    for name, write in writes.items():
        before = content_version()
        write()  # in a transaction of its own (autocommit): PostgreSQL counts at the commit
        assert content_version() > before, name


def test_the_desks_own_tables_leave_the_version_alone(editor):
    story = make_article()
    before = content_version()
    AutosaveDraft.objects.create(article=story, user=editor, data={}, base_version=1)
    Notification.objects.create(
        recipient=editor, article=story, kind=Notification.Kind.RETURNED, message="Sent back"
    )
    Revision.capture(story, user=editor, action="Saved")
    assert content_version() == before


def test_the_version_never_goes_back_even_after_its_rows_are_made_again():
    make_section()
    before = content_version()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pagecache_contentversion WHERE id = 2")
    assert content_version() is None  # a row missing: the page cache stays out of the way
    make_section()
    assert content_version() is None
    triggers.install()  # as after every migrate and flush
    assert content_version() > before


@postgresql_only
def test_on_postgresql_a_transaction_advances_it_once_and_others_see_it_at_the_commit():
    before = content_version()
    with transaction.atomic():
        make_article(published_at=timezone.now() - timedelta(hours=1))
        inside = content_version()
        Article.objects.update(featured=True)
        assert content_version() == inside > before
        assert version_seen_elsewhere() == before
    after = content_version()
    assert after == inside
    with transaction.atomic():
        make_section()
        transaction.set_rollback(True)
    assert content_version() == after


@postgresql_only
def test_on_postgresql_an_advance_undone_with_a_savepoint_is_made_again():
    before = content_version()
    with transaction.atomic():
        with transaction.atomic():
            make_section()
            transaction.set_rollback(True)
        assert content_version() == before
        make_section()
    assert content_version() > before


@postgresql_only
def test_on_postgresql_transactions_at_the_same_time_never_wait_for_each_other():
    """Each takes a version row of its own: editors' saves do not queue behind one another."""
    holding, done = threading.Event(), threading.Event()

    def long_transaction():
        try:
            with transaction.atomic():
                make_section()
                holding.set()
                done.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=long_transaction)
    other.start()
    try:
        assert holding.wait(10)
        before = content_version()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting would fail
            make_section()
        assert content_version() > before
    finally:
        done.set()
        other.join()


def version_seen_elsewhere():
    """The content version as another connection (another app server) reads it."""
    seen = []

    def read():
        try:
            seen.append(content_version())
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen[0]


def test_migrating_the_page_cache_away_takes_its_triggers_along():
    call_command("migrate", "pagecache", "zero", verbosity=0)
    try:
        assert triggers.installed(connection) == {}
        make_article()  # content writes need no version table any more
    finally:
        call_command("migrate", "pagecache", verbosity=0)
    assert triggers.installed(connection)
    assert advances(lambda: make_section())
