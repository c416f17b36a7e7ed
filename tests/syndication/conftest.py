from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from articles.models import Article, BodyImage
from tests.factories import image_upload, link, make_article, make_author, make_section, make_tag


@pytest.fixture
def newsroom():
    """Two live stories in one section, tag and author, each hidden state as a twin in the same
    scopes, and SEE ALSO links from the newer story to the older one, two twins and outside."""
    now = timezone.now()
    section = make_section("Electric Vehicles", slug="ev")
    ann, bo = make_author("Ann Lee", slug="ann-lee"), make_author("Bo Chen", slug="bo-chen")
    tag, batteries = make_tag("比亚迪 BYD"), make_tag("Batteries")
    chart = BodyImage.objects.create(file=image_upload("chart.png"), alt="Chart")
    scoped = {"section": section, "authors": [ann], "tags": [tag]}
    older = make_article("Older story", published_at=now - timedelta(days=2), **scoped)
    newer = make_article(
        "Newer story",
        section=section,
        authors=[ann, bo],
        tags=[tag, batteries],
        published_at=now - timedelta(hours=1),
        dek="Sodium-ion cells & <prices> fall.",
        body=(
            '<p>First, <a href="/articles/older-story/">the older story</a>.</p>'
            f"{chart.marker}"
            '<p>Third <a href="notes/">paragraph</a>.</p>'
        ),
        hero_image=image_upload("battery.png"),
        hero_alt="A battery pack",
        hero_credit="Photo: Newsroom",
    )
    hidden = {
        "draft": make_article("Draft twin", live=False, **scoped),
        "review": make_article(
            "Review twin", live=False, status=Article.Status.IN_REVIEW, **scoped
        ),
        "scheduled": make_article(
            "Scheduled twin",
            status=Article.Status.PUBLISHED,
            published_at=now + timedelta(hours=2),
            **scoped,
        ),
        "unpublished": make_article("Unpublished twin", **scoped),
    }
    hidden["unpublished"].unpublish()
    link(newer, older, after=1, position=0)
    link(newer, hidden["draft"], after=2, position=1)
    link(newer, hidden["scheduled"], position=2)
    link(newer, url="https://example.org/report", title="The report", position=3)
    return SimpleNamespace(
        chart=chart,
        section=section,
        ann=ann,
        bo=bo,
        tag=tag,
        older=older,
        newer=newer,
        hidden=hidden,
        scopes=[None, section, tag, ann],
    )
