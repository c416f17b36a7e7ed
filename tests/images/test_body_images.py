"""Images in article bodies: the stored body holds only a marker; every page, preview, share
link and feed shows the image as its row says now; forged, unknown and hostile markers show
nothing; no query per image."""

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from articles.desk.models import ShareLink
from articles.desk.share import share_url
from articles.images.renditions import rendition_name, widths_for
from articles.images.tasks import render_and_record
from articles.models import Article, BodyImage, BodyImageUse
from articles.syndication.feeds import feed_path
from tests.factories import image_upload, link, make_article
from tests.syndication.reading import SITE, parse

from .test_tasks import ImageAddresses, assert_every_address_exists, media_addresses

pytestmark = pytest.mark.django_db


def body_image(alt="Two cranes", size=(700, 400), rendered=True, **fields):
    image = BodyImage.objects.create(file=image_upload("crane.png", size=size), alt=alt, **fields)
    if rendered:
        render_and_record(image, "file")
    return image


def story(*images, body=None, **fields):
    markers = "".join(image.marker for image in images)
    body = body if body is not None else f"<p>First.</p>{markers}<p>Last.</p>"
    return make_article("Harbour story", body=body, **fields)


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_body_stores_a_marker_and_the_page_shows_the_picture(client):
    image = body_image(caption="The port at dawn.", credit="Photo: Li Wei")
    article = story(image)

    assert article.body == f'<p>First.</p><figure data-image="{image.pk}"></figure><p>Last.</p>'
    assert list(article.body_images.all()) == [image]
    page = page_of(client, article)
    assert page.index("First.") < page.index('<figure class="story__figure">') < page.index("Last.")
    assert '<source type="image/webp"' in page
    assert 'alt="Two cranes"' in page
    caption = '<figcaption>The port at dawn. <span class="credit">Photo: Li Wei</span></figcaption>'
    assert caption in page
    assert_every_address_exists(page)


def test_the_page_follows_the_row_not_what_was_stored(client):
    image = body_image()
    article = story(image)
    BodyImage.objects.filter(pk=image.pk).update(alt="Cranes at night", caption="Updated.")

    page = page_of(client, article)
    assert 'alt="Cranes at night"' in page and "Updated." in page
    assert "Two cranes" not in page


def test_before_its_renditions_exist_a_body_image_links_only_its_original(client):
    image = body_image(rendered=False)
    page = page_of(client, story(image))
    assert media_addresses(page) == [image.file.url]
    assert_every_address_exists(page)


def test_unknown_forged_and_hostile_markers_render_nothing(client):
    real = body_image()
    hostile = (
        "<p>First.</p>"
        '<figure data-image="999999"></figure>'  # no such image
        '<figure data-image="1 OR 1=1"><img src="https://tracker.example/p.gif"></figure>'
        f'<figure data-image="{real.pk}" onload="alert(1)"><img src="https://tracker.example/a.gif">'
        "<figcaption>forged caption</figcaption></figure>"
        '<p><img src="https://tracker.example/b.gif" alt="pixel"></p>'
        '<figure data-image="99999999999999999999999"></figure>'
        "<p>Last.</p>"
    )
    article = story(body=hostile)

    assert "tracker.example" not in article.body
    assert "onload" not in article.body
    page = page_of(client, article)
    for gone in ("tracker.example", "alert(", "forged caption", "999999"):
        assert gone not in page
    assert page.count("<figure") == 1  # the real image, with its own caption (none)
    assert 'alt="Two cranes"' in page


def test_an_unknown_image_keeps_see_also_links_in_their_place(client):
    article = story(
        body='<p>One.</p><figure data-image="424242"></figure><p>Three.</p><p>Four.</p>'
    )
    target = make_article("Linked story")
    link(article, target, after=3)
    page = page_of(client, article)
    assert page.index("Three.") < page.index("Linked story") < page.index("Four.")


def test_no_query_per_image_on_the_article_page(client, query_count):
    one = story(body_image())
    many = make_article(
        "Many images", body="".join(body_image(alt=f"Image {n}").marker for n in range(6))
    )
    assert query_count(one.get_absolute_url()) == query_count(many.get_absolute_url())


def test_no_query_per_image_or_article_in_feeds(client, query_count):
    story(body_image())
    few = query_count(feed_path(None, "rss"))
    for number in range(4):
        make_article(f"Story {number}", body=body_image().marker + body_image().marker)
    assert query_count(feed_path(None, "rss")) == few


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_feeds_carry_body_images_with_absolute_addresses(client, kind):
    image = body_image(caption="The port.", credit="Photo: Li Wei")
    story(image)

    feed = parse(client.get(feed_path(None, kind)))
    entry = feed["items"][0] if kind == "json" else feed.entries[0]
    content = entry["content_html"] if kind == "json" else entry.content[0].value
    assert 'alt="Two cranes"' in content
    addresses = ImageAddresses(content).found
    assert addresses and all(url.startswith(f"{SITE}/media/") for url in addresses)
    assert "<picture" not in content and "srcset" not in content
    assert "The port." in content and "Photo: Li Wei" in content


def test_a_preview_of_unsaved_changes_shows_a_newly_placed_image(editor_client):
    from tests.desk.test_unsaved_preview import change_form, preview_url

    draft = make_article("Draft", live=False, authors=[])
    image = body_image(alt="Placed, not saved")
    body = f"<p>Text.</p>{image.marker}"

    response = editor_client.post(preview_url(draft), change_form(draft, body=body))

    assert response.status_code == 200
    assert 'alt="Placed, not saved"' in response.content.decode()
    assert not draft.body_images.exists()


def test_a_share_link_shows_body_images(client, editor):
    image = body_image(alt="Shared picture")
    draft = story(image, live=False)
    shared = ShareLink.objects.create(article=draft, created_by=editor, note="legal")

    response = client.get(share_url(shared).removeprefix(SITE))
    assert 'alt="Shared picture"' in response.content.decode()


def test_the_uses_follow_the_body_and_protect_the_image():
    kept, dropped = body_image(), body_image()
    article = story(kept, dropped)
    assert set(article.body_images.all()) == {kept, dropped}

    article.body = f"<p>Now only one.</p>{kept.marker}"
    article.save()
    assert list(article.body_images.all()) == [kept]
    with pytest.raises(ProtectedError), transaction.atomic():
        kept.delete()
    dropped.delete()  # no longer used: it may go
    assert BodyImageUse.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_deleting_a_body_image_deletes_its_files():
    image = body_image()
    files = [image.file.name] + [
        rendition_name(image.file.name, size, fmt)
        for size in widths_for(image.width)
        for fmt in ("webp", "jpg")
    ]
    assert all(default_storage.exists(name) for name in files)
    image.delete()
    assert not any(default_storage.exists(name) for name in files)


def test_the_chooser_lists_recent_images_and_answers_for_ids(writer_client):
    older = body_image(alt="Older")
    body_image(alt="Newer chart")
    url = reverse("images:body_images")

    assert [i["alt"] for i in writer_client.get(url).json()["images"]] == ["Newer chart", "Older"]
    assert [i["id"] for i in writer_client.get(url, {"id": older.pk}).json()["images"]] == [
        older.pk
    ]
    assert [i["alt"] for i in writer_client.get(url, {"q": "chart"}).json()["images"]] == [
        "Newer chart"
    ]
    assert writer_client.get(url, {"id": "x"}).status_code == 200


def test_the_editor_is_told_about_the_extension():
    field = Article._meta.get_field("body")
    widget = field.formfield().widget
    config = widget.get_config()
    assert config["extensions"]["BodyImage"] == {
        "uploadUrl": reverse("images:upload_body_image"),
        "chooserUrl": reverse("images:body_images"),
    }
    assert any(module.endswith("desk/body_image.js") for module in config["js_modules"])


def test_an_image_in_use_cannot_be_deleted_from_the_admin(editor_client):
    image = body_image()
    story(image)
    url = reverse("admin:articles_bodyimage_delete", args=[image.pk])
    response = editor_client.post(url, {"post": "yes"})
    assert BodyImage.objects.filter(pk=image.pk).exists()
    assert "Harbour story" in response.content.decode()


def test_the_admin_lists_body_images_and_where_each_is_used(editor_client):
    image = body_image(alt="Picture one")
    article = story(image)

    listing = editor_client.get(reverse("admin:articles_bodyimage_changelist"))
    assert "Picture one" in listing.content.decode()
    change = editor_client.get(reverse("admin:articles_bodyimage_change", args=[image.pk]))
    article_url = reverse("admin:articles_article_change", args=[article.pk])
    assert f'<a href="{article_url}">Harbour story</a>' in change.content.decode()
