"""WebSub: feeds name the hub, and publishing pings it after the commit, off the request.

The hub is a small HTTP server on loopback that records every ping.
"""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import feedparser
import pytest
from django.db import transaction

from articles.syndication import websub
from articles.syndication.feeds import FORMATS, feed_path
from tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db

SITE = "https://news.example.com"  # SITE_URL in the test settings
KINDS = [feed.kind for feed in FORMATS]


class HubHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        server = self.server
        with server.lock:
            server.pings.append({"content_type": self.headers["Content-Type"], **parse_qs(body)})
            status = server.statuses.pop(0) if server.statuses else server.status
        server.open.wait(timeout=10)  # held while a test keeps the hub busy
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def hub(settings):
    """A hub on 127.0.0.1 that answers `statuses` in turn, then `status`; while `open` is
    cleared it holds every request unanswered."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), HubHandler)
    server.pings, server.statuses, server.status = [], [], 204
    server.open = threading.Event()
    server.open.set()
    server.lock = threading.Lock()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{server.server_port}/hub"
    yield server
    server.open.set()
    websub.wait_for_pings(timeout=10)
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(websub, "BACKOFF", 0.01)
    monkeypatch.setattr(websub, "TIMEOUT", 2)


def pinged_urls(hub):
    return sorted(url for ping in hub.pings for url in ping["hub.url"])


def feeds_of(*scopes):
    return sorted(SITE + feed_path(scope, kind) for scope in (None, *scopes) for kind in KINDS)


def publish(article, capture):
    """Publish and announce the way the admin does: in the request, before the commit."""
    with capture(execute=True):
        article.publish()
        websub.announce(article)


# Pings ---------------------------------------------------------------------------------------


def test_publishing_pings_the_hub_once_for_every_feed_the_article_is_in(
    hub, django_capture_on_commit_callbacks
):
    section, tags = make_section(), [make_tag("比亚迪"), make_tag("Batteries")]
    authors = [make_author(), make_author()]
    article = make_article(live=False, section=section, tags=tags, authors=authors)
    publish(article, django_capture_on_commit_callbacks)

    assert websub.wait_for_pings(timeout=10)
    assert pinged_urls(hub) == feeds_of(section, *tags, *authors)  # 3 feeds x 6 scopes
    for ping in hub.pings:
        assert ping["hub.mode"] == ["publish"]
        assert ping["content_type"] == "application/x-www-form-urlencoded"


def test_the_pinged_url_is_the_feeds_own_self_link(hub, client, django_capture_on_commit_callbacks):
    tag = make_tag("电池")
    article = make_article(live=False, tags=[tag])
    publish(article, django_capture_on_commit_callbacks)
    assert websub.wait_for_pings(timeout=10)

    for url in pinged_urls(hub):
        response = client.get(url.removeprefix(SITE))
        if response["Content-Type"].startswith("application/feed+json"):
            assert json.loads(response.content)["feed_url"] == url
            continue
        links = feedparser.parse(response.content).feed.links
        assert {link.rel: link.href for link in links}["self"] == url


def test_nothing_is_sent_before_the_commit_nor_after_a_rollback(
    hub, django_capture_on_commit_callbacks
):
    article = make_article(live=False)
    with django_capture_on_commit_callbacks() as callbacks:
        article.publish()
        websub.announce(article)
    assert websub.wait_for_pings(timeout=10) and hub.pings == []
    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            make_article(live=False).publish()
            websub.announce(article)
            raise RuntimeError("the save failed")
    assert callbacks == []


def test_without_a_hub_nothing_is_sent(hub, settings, django_capture_on_commit_callbacks):
    settings.WEBSUB_HUB_URL = ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        websub.announce(make_article())
    assert callbacks == []
    assert websub.wait_for_pings(timeout=10) and hub.pings == []


# A hub in trouble ---------------------------------------------------------------------------


def test_a_failing_slow_hub_is_retried_then_logged_and_the_save_stays_quick(
    hub, caplog, django_capture_on_commit_callbacks
):
    hub.status = 500
    hub.open.clear()  # the hub takes the pings but does not answer yet
    article = make_article(live=False)
    publish(article, django_capture_on_commit_callbacks)
    # The save has returned while every ping still waits on the hub: it never waited for it.
    assert article.is_public
    assert not websub.wait_for_pings(timeout=0)
    hub.open.set()

    with caplog.at_level(logging.WARNING, logger="articles.syndication.websub"):
        assert websub.wait_for_pings(timeout=20)
    assert len(hub.pings) == websub.ATTEMPTS * 3
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 3
    for url, warning in zip(feeds_of(), sorted(warnings), strict=True):
        assert f"for {url} after {websub.ATTEMPTS} attempt(s): HTTP 500" in warning


def test_a_hub_that_cannot_be_reached_is_retried_then_logged(
    settings, caplog, django_capture_on_commit_callbacks, monkeypatch
):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{closed.getsockname()[1]}/"
    pauses = []
    monkeypatch.setattr(websub.time, "sleep", pauses.append)
    publish(make_article(live=False), django_capture_on_commit_callbacks)

    with caplog.at_level(logging.WARNING, logger="articles.syndication.websub"):
        assert websub.wait_for_pings(timeout=20)
    assert len(caplog.records) == 3
    assert all("after 3 attempt(s)" in record.getMessage() for record in caplog.records)
    assert sorted(pauses) == [0.01, 0.01, 0.01, 0.02, 0.02, 0.02]  # backing off


def test_a_hub_that_refuses_a_ping_is_not_asked_again(
    hub, caplog, django_capture_on_commit_callbacks
):
    hub.status = 400
    publish(make_article(live=False), django_capture_on_commit_callbacks)
    with caplog.at_level(logging.WARNING, logger="articles.syndication.websub"):
        assert websub.wait_for_pings(timeout=10)
    assert len(hub.pings) == 3
    assert all("after 1 attempt(s): HTTP 400" in record.getMessage() for record in caplog.records)


def test_a_hub_that_fails_once_gets_the_ping_on_the_next_attempt(
    hub, caplog, django_capture_on_commit_callbacks
):
    hub.statuses = [503]
    publish(make_article(live=False), django_capture_on_commit_callbacks)
    with caplog.at_level(logging.WARNING, logger="articles.syndication.websub"):
        assert websub.wait_for_pings(timeout=10)
    assert len(hub.pings) == 4
    assert sorted(set(pinged_urls(hub))) == feeds_of()
    assert caplog.records == []


def test_announce_never_raises_into_the_save(
    hub, settings, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(article):
        raise RuntimeError("no feeds today")

    monkeypatch.setattr(websub, "feed_urls", broken)
    publish(make_article(live=False), django_capture_on_commit_callbacks)
    assert "could not be started" in caplog.text

    settings.WEBSUB_HUB_URL = "file:///etc/passwd"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        websub.announce(make_article())
    assert callbacks == []
    assert "not an http(s) address" in caplog.text
    assert websub.wait_for_pings(timeout=10) and hub.pings == []


# Feeds name the hub ---------------------------------------------------------------------------


def test_every_feed_names_the_hub_and_itself(client, settings):
    settings.WEBSUB_HUB_URL = "https://hub.example.com/"
    tag, author, section = make_tag(), make_author(), make_section()
    make_article(tags=[tag], authors=[author], section=section)
    for scope in (None, tag, author, section):
        for kind in KINDS:
            url = feed_path(scope, kind)
            response = client.get(url)
            if kind == "json":
                feed = json.loads(response.content)
                assert feed["hubs"] == [{"type": "WebSub", "url": "https://hub.example.com/"}]
                assert feed["feed_url"] == SITE + url
                continue
            feed = feedparser.parse(response.content)
            assert not feed.bozo
            links = {link.rel: link.href for link in feed.feed.links}
            assert links["hub"] == "https://hub.example.com/"
            assert links["self"] == SITE + url


# Where publishing happens ---------------------------------------------------------------------


@pytest.fixture
def editor_client(client, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("hub-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    return client


def test_the_admin_publish_action_pings(hub, editor_client, django_capture_on_commit_callbacks):
    section = make_section()
    article = make_article(live=False, section=section)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/articles/article/",
            {"action": "publish_now", "_selected_action": [article.pk]},
        )
    assert response.status_code == 302
    assert websub.wait_for_pings(timeout=10)
    assert pinged_urls(hub) == feeds_of(section)


def test_the_admin_unpublish_action_pings(hub, editor_client, django_capture_on_commit_callbacks):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/articles/article/",
            {"action": "unpublish", "_selected_action": [article.pk]},
        )
    assert websub.wait_for_pings(timeout=10)
    assert pinged_urls(hub) == feeds_of()


def test_saving_a_draft_in_the_admin_does_not_ping(
    hub, editor_client, django_capture_on_commit_callbacks
):
    article = make_article(live=False)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/articles/article/",
            {"action": "submit_for_review", "_selected_action": [article.pk]},
        )
    websub.wait_for_pings(timeout=10)
    assert hub.pings == []


def test_import_with_publish_pings(hub, tmp_path, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    (tmp_path / "story.txt").write_text("A published import\n\nIts only paragraph.\n")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_stories", str(tmp_path), "--publish", stdout=None)
    assert websub.wait_for_pings(timeout=10)
    assert pinged_urls(hub) == feeds_of()


def test_scheduled_articles_are_announced_once_their_time_comes(
    hub, django_capture_on_commit_callbacks
):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from articles.models import Article

    section = make_section()
    gone_live = make_article(section=section, published_at=timezone.now() - timedelta(minutes=3))
    make_article("Still to come", status=Article.Status.PUBLISHED,
                 published_at=timezone.now() + timedelta(hours=1))  # fmt: skip
    make_article("Long ago", published_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_scheduled", "--minutes", "10", stdout=out)
    assert "Announced 1 article(s)" in out.getvalue()
    assert websub.wait_for_pings(timeout=10)
    assert pinged_urls(hub) == feeds_of(*([gone_live.section] if gone_live.section else []))


def test_announce_scheduled_without_a_hub_says_so(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.WEBSUB_HUB_URL = ""
    out = StringIO()
    call_command("announce_scheduled", stdout=out)
    assert "no hub" in out.getvalue()
