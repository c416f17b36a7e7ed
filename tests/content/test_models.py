from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, RelatedLink, SlugRedirect, Tag
from tests.factories import link, make_article

pytestmark = pytest.mark.django_db

NOW = timezone.now


def visibility_cases():
    hour = timedelta(hours=1)
    return {
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "draft with past time": {"status": Article.Status.DRAFT, "published_at": NOW() - hour},
        "in review": {"status": Article.Status.IN_REVIEW, "published_at": NOW() - hour},
        "scheduled": {"status": Article.Status.PUBLISHED, "published_at": NOW() + hour},
        "live": {"status": Article.Status.PUBLISHED, "published_at": NOW() - hour},
    }


@pytest.mark.parametrize("case", list(visibility_cases()))
def test_public_queryset_agrees_with_instance(case):
    fields = visibility_cases()[case]
    article = make_article(live=False, **fields)
    in_queryset = Article.objects.public().filter(pk=article.pk).exists()
    assert in_queryset == article.is_public == (case == "live")


def test_unpublished_article_is_not_public():
    article = make_article()
    article.unpublish()
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert article.status == Article.Status.DRAFT
    assert article.first_published_at is not None


def test_scheduled_article_goes_live_at_its_time_without_any_job():
    article = make_article(live=False)
    article.publish(when=NOW() + timedelta(hours=1))
    assert article.is_scheduled
    assert not Article.objects.public().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(published_at=NOW() - timedelta(hours=1))
    assert Article.objects.public().filter(pk=article.pk).exists()


def test_publishing_sets_times_once():
    article = make_article(live=False)
    article.publish()
    first = article.first_published_at
    assert first == article.published_at
    article.unpublish()
    article.publish(when=NOW() + timedelta(days=1))
    assert article.first_published_at == first


def test_database_refuses_published_article_without_time():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)


def test_slug_made_from_headline_and_kept_unique():
    first = make_article("EV Sales Rise")
    second = make_article("EV sales rise!")
    assert first.slug == "ev-sales-rise"
    assert second.slug == "ev-sales-rise-2"


def test_changing_a_published_slug_remembers_the_old_one():
    article = make_article("Old headline")
    article.slug = "new-address"
    article.save()
    assert SlugRedirect.objects.get(old_slug="old-headline").article == article
    # Going back to the old slug removes the redirect that would shadow it.
    article.slug = "old-headline"
    article.save()
    assert not SlugRedirect.objects.filter(old_slug="old-headline").exists()
    assert SlugRedirect.objects.filter(old_slug="new-address").exists()


def test_draft_slug_change_leaves_no_redirect():
    article = make_article(live=False)
    article.slug = "another"
    article.save()
    assert not SlugRedirect.objects.exists()


def test_version_increases_on_every_save():
    article = make_article()
    before = article.version
    article.save()
    assert article.version == before + 1


def test_headline_matching_ignores_case_punctuation_and_spacing():
    article = make_article(
        "Xiaomi and Huawei to Invest in NIO Battery Supplier Welion, Sources Say"
    )
    found = Article.objects.by_headline(
        "xiaomi and huawei to invest in nio battery supplier  welion sources say"
    )
    assert list(found) == [article]


def test_tag_names_unique_ignoring_case():
    Tag.objects.create(name="BYD")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="byd", slug="byd-again")


def test_chinese_tag_gets_a_unicode_slug():
    tag = Tag.objects.create(name="比亚迪")
    assert tag.slug == "比亚迪"
    assert tag.get_absolute_url() == "/tags/%E6%AF%94%E4%BA%9A%E8%BF%AA/"


class TestRelatedLinkConstraints:
    def test_exactly_one_target_in_the_database(self):
        article, other = make_article(), make_article()
        for fields in (
            {"target_article": other, "url": "https://example.com", "title": "Both"},
            {"target_article": None, "url": "", "title": "Neither"},
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                RelatedLink.objects.create(article=article, **fields)

    def test_never_to_itself(self):
        article = make_article()
        with pytest.raises(IntegrityError), transaction.atomic():
            RelatedLink.objects.create(article=article, target_article=article)

    def test_outside_url_must_be_http_with_title(self):
        article = make_article()
        for url, title in (
            ("javascript:alert(1)", "x"),
            ("ftp://example.com/", "x"),
            ("https://example.com", ""),
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                RelatedLink.objects.create(article=article, url=url, title=title)

    def test_same_target_only_once(self):
        article, other = make_article(), make_article()
        link(article, other)
        with pytest.raises(IntegrityError), transaction.atomic():
            link(article, other)

    def test_model_validation_explains(self):
        article, other = make_article(), make_article()
        cases = [
            (
                RelatedLink(
                    article=article, target_article=other, url="https://a.example", title="t"
                ),
                "exactly one",
            ),
            (RelatedLink(article=article, title="t"), "exactly one"),
            (RelatedLink(article=article, target_article=article), "itself"),
            (RelatedLink(article=article, url="https://a.example"), "title"),
            (RelatedLink(article=article, url="javascript:alert(1)", title="t"), "URL"),
        ]
        for candidate, message in cases:
            with pytest.raises(ValidationError, match=message):
                candidate.full_clean()


def test_links_to_non_public_articles_are_hidden():
    article = make_article()
    live_target, draft_target = (
        make_article("Live target"),
        make_article("Draft target", live=False),
    )
    link(article, live_target, position=0)
    link(article, draft_target, position=1)
    link(article, url="https://example.com/report", title="A report", position=2)
    loaded = Article.objects.with_everything().get(pk=article.pk)
    assert [item.display_title for item in loaded.visible_links] == ["Live target", "A report"]


def test_internal_link_shows_current_headline_and_address():
    article, target = make_article(), make_article("First headline")
    link(article, target)
    target.headline = "Better headline"
    target.slug = "better-headline"
    target.save()
    shown = Article.objects.with_everything().get(pk=article.pk).visible_links[0]
    assert shown.display_title == "Better headline"
    assert shown.href == "/articles/better-headline/"


def test_links_placed_between_paragraphs_and_at_the_end():
    article = make_article(body="<p>One</p><p>Two</p><p>Three</p>")
    after_one = link(article, make_article("After one"), after=1, position=0)
    at_end = link(article, make_article("At end"), position=1)
    last = link(article, make_article("After the last"), after=9, position=2)
    parts, end = Article.objects.with_everything().get(pk=article.pk).body_with_links()
    assert [(part.html, [item.pk for item in part.links]) for part in parts] == [
        ("<p>One</p>", []),
        ("", [after_one.pk]),
        ("<p>Two</p>", []),
        ("<p>Three</p>", []),
        ("", [last.pk]),  # a place past the end is the end of the text
    ]
    assert [item.pk for item in end] == [at_end.pk]


def test_hero_image_needs_alt_text(tmp_path):
    from tests.factories import image_upload

    article = make_article(hero_image=image_upload())
    article.hero_alt = ""
    with pytest.raises(ValidationError, match="alt text"):
        article.full_clean()
    assert (article.hero_width, article.hero_height) == (64, 36)
