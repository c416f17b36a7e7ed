"""Every uploaded image, through the desk's real forms: stored without a trace of where, by whom
or with what it was taken, upright, in its own format, under a name nobody can guess; and
refused in plain words when it is too big, too many pixels, damaged, animated or no image."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import ExifTags, Image

from articles.images.uploads import clean_image
from articles.models import Article, Author, BodyImage
from tests.desk.test_admin import article_data, form_errors
from tests.factories import make_author, make_staff

from .samples import (
    FORMATS,
    SECRETS,
    SRGB,
    animated,
    photo_bytes,
    plain_bytes,
    png_header_only,
    truncated_jpeg,
    upload,
)

pytestmark = pytest.mark.django_db

GENERATED_NAME = re.compile(r"^(heroes/\d{4}/\d{2}|authors/\d{4}|body/\d{4}/\d{2})/[0-9a-f]{32}\.")


@pytest.fixture
def author():
    return make_author("Li Wei")


def post_hero(client, author, data, name="secret-source-location.jpg"):
    fields = article_data(headline="Harbour", slug="harbour", authors=[author], hero_alt="Cranes")
    fields["hero_image"] = upload(data, name)
    return client.post(reverse("admin:articles_article_add"), fields)


def post_photo(client, data):
    fields = {"name": "Jane Doe", "slug": "jane-doe", "bio": "", "user": ""}
    return client.post(reverse("admin:articles_author_add"), {**fields, "photo": upload(data)})


def post_body_image(client, data, alt="Cranes over a ship"):
    return client.post(
        reverse("images:upload_body_image"), {"file": upload(data), "alt": alt, "caption": ""}
    )


def stored(name):
    with default_storage.open(name) as file:
        data = file.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def assert_clean(name, fmt):
    data, image = stored(name)
    assert image.format == fmt
    assert name.endswith("." + FORMATS[fmt])
    assert GENERATED_NAME.match(name), name
    assert "secret" not in name
    for secret in SECRETS:
        assert secret not in data, secret
    assert not image.getexif(), "no EXIF at all: no GPS, artist, camera or serial"
    assert ExifTags.IFD.GPSInfo not in image.getexif()
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Author"):
        assert key not in image.info, key
    assert image.info.get("icc_profile") == SRGB, "the colour profile stays"
    # Upright: the phone's sideways landscape is stored as the portrait it shows, red on top.
    assert image.size == (400, 700)
    assert image.convert("RGB").getpixel((200, 30))[0] > 200
    assert image.convert("RGB").getpixel((200, 670))[2] > 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hero_image_is_stored_without_metadata_upright_in_its_format(editor_client, author, fmt):
    response = post_hero(editor_client, author, photo_bytes(fmt))

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get(slug="harbour")
    assert_clean(article.hero_image.name, fmt)
    assert (article.hero_width, article.hero_height) == (400, 700)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_author_photo_is_stored_without_metadata(editor_client, fmt):
    response = post_photo(editor_client, photo_bytes(fmt))

    assert response.status_code == 302
    assert_clean(Author.objects.get(slug="jane-doe").photo.name, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_body_image_is_stored_without_metadata(writer_client, fmt):
    response = post_body_image(writer_client, photo_bytes(fmt))

    assert response.status_code == 201, response.content
    image = BodyImage.objects.get(pk=response.json()["id"])
    assert_clean(image.file.name, fmt)
    assert (image.width, image.height) == (response.json()["width"], response.json()["height"])


def test_an_image_assigned_outside_a_form_is_cleaned_too(author):
    article = Article.objects.create(headline="Shell", slug="shell", hero_alt="Cranes")
    article.hero_image = upload(photo_bytes("JPEG"))
    article.save()
    assert_clean(article.hero_image.name, "JPEG")


def test_stored_names_are_generated_never_the_uploaders(editor_client, author):
    names = set()
    for number in range(2):
        post_hero(editor_client, author, plain_bytes("JPEG"), name="interview-with-source.jpg")
        article = Article.objects.get(slug="harbour")
        names.add(article.hero_image.name)
        Article.objects.filter(pk=article.pk).update(slug=f"harbour-{number}")
    assert len(names) == 2
    for name in names:
        assert GENERATED_NAME.match(name) and "interview" not in name


def test_a_png_claiming_the_wrong_extension_is_stored_as_what_it_is(editor_client, author):
    post_hero(editor_client, author, plain_bytes("PNG"), name="photo.jpg")
    assert Article.objects.get(slug="harbour").hero_image.name.endswith(".png")


def test_transparency_and_lossless_webp_survive(editor_client):
    palette = Image.new("P", (40, 30), 0)
    palette.putpalette([255, 0, 0, 0, 0, 255])
    palette.paste(1, (20, 0, 40, 30))
    buffer = io.BytesIO()
    palette.save(buffer, "PNG", transparency=0)
    cleaned = Image.open(clean_image(upload(buffer.getvalue(), "map.png")))
    assert cleaned.mode == "P" and cleaned.info["transparency"] == 0

    lossless = plain_bytes("WEBP", lossless=True)
    cleaned = clean_image(upload(lossless, "chart.webp"))
    assert b"VP8L" in cleaned.read()[:64]


# Refusals: a form error in plain words, nothing stored ----------------------------------------

REFUSALS = {
    "not-an-image": (b"Meeting notes, not a picture.", "not a JPEG, PNG or WebP image"),
    "gif": (plain_bytes("GIF"), "not a JPEG, PNG or WebP image"),
    "truncated": (truncated_jpeg(), "damaged or incomplete"),
    "animated-webp": (animated("WEBP"), "animated image"),
    "animated-png": (animated("PNG"), "animated image"),
    "13000x13000": (png_header_only(13_000, 13_000), "at most 40 megapixels"),
    "7000x6000": (png_header_only(7_000, 6_000), "at most 40 megapixels"),
}


@pytest.mark.parametrize("content, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_upload_is_a_form_error_and_nothing_is_stored(
    editor_client, author, content, message
):
    response = post_hero(editor_client, author, content)

    assert response.status_code == 200
    assert message in " ".join(form_errors(response)["hero_image"])
    assert not Article.objects.exists()
    assert not default_storage.exists("heroes")


@pytest.mark.parametrize("content, message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_bad_body_image_upload_is_a_json_error(writer_client, content, message):
    response = post_body_image(writer_client, content)

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["file"])
    assert not BodyImage.objects.exists()


def test_the_pixel_count_is_read_before_anything_is_decoded(editor_client, author):
    import tracemalloc

    tracemalloc.start()
    response = post_hero(editor_client, author, png_header_only(13_000, 13_000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "at most 40 megapixels" in " ".join(form_errors(response)["hero_image"])
    assert peak < 50 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MiB"


def test_the_limits_are_settings(editor_client, author, settings):
    settings.IMAGE_MAX_MEGABYTES = 1
    big = plain_bytes("PNG", size=(1200, 1000))
    noisy = io.BytesIO()
    Image.effect_noise((1100, 1000), 90).convert("RGB").save(noisy, "PNG")
    assert len(noisy.getvalue()) > 1024 * 1024

    response = post_hero(editor_client, author, noisy.getvalue())
    errors = " ".join(form_errors(response)["hero_image"])
    assert "an image can be at most 1 MB" in errors

    settings.IMAGE_MAX_MEGABYTES = 20
    settings.IMAGE_MAX_MEGAPIXELS = 1
    response = post_hero(editor_client, author, big)
    errors = " ".join(form_errors(response)["hero_image"])
    assert "too many pixels (1,200 × 1,000); an image can have at most 1 megapixels" in errors


def test_body_image_uploads_need_alt_text(writer_client):
    response = post_body_image(writer_client, plain_bytes("PNG"), alt="   ")
    assert response.status_code == 400
    assert response.json()["errors"] == {"alt": ["This field is required."]}
    assert not BodyImage.objects.exists()


def test_only_staff_with_the_permission_upload_and_list(client, writer_client):
    url = reverse("images:upload_body_image")
    chooser = reverse("images:body_images")
    data = {"file": upload(plain_bytes("PNG")), "alt": "A chart"}

    assert client.post(url, data).status_code == 404
    assert client.get(chooser).status_code == 404
    outsider = make_staff("sam")  # staff, no role
    client.force_login(outsider)
    assert client.post(url, data).status_code == 403
    assert client.get(chooser).status_code == 403
    assert writer_client.get(url).status_code == 405
    assert not BodyImage.objects.exists()


def test_the_upload_is_csrf_protected(writer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    response = client.post(
        reverse("images:upload_body_image"), {"file": upload(plain_bytes()), "alt": "A chart"}
    )
    assert response.status_code == 403
    assert not BodyImage.objects.exists()


# Images stored before uploads were re-encoded ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_reencode_images_cleans_what_was_stored_as_uploaded():
    from io import StringIO

    from django.core.management import CommandError, call_command

    article = Article.objects.create(headline="Old", slug="old", hero_alt="Cranes")
    old_name = default_storage.save(
        "heroes/2025/01/source-at-the-dock.jpg", upload(photo_bytes("JPEG"))
    )
    Article.objects.filter(pk=article.pk).update(
        hero_image=old_name, hero_width=700, hero_height=400
    )
    current = Author.objects.create(name="New", slug="new", photo=upload(plain_bytes("PNG")))
    kept_name = current.photo.name
    damaged = Author.objects.create(name="Broken", slug="broken")
    broken_name = default_storage.save("authors/2025/broken.jpg", upload(truncated_jpeg()))
    Author.objects.filter(pk=damaged.pk).update(
        photo=broken_name, photo_width=700, photo_height=400
    )

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 image"):
        call_command("reencode_images", stdout=out, stderr=err)

    assert "1 image(s) re-encoded, 1 image(s) with errors." in out.getvalue()
    assert f"Author {damaged.pk}: This image could not be read to the end" in err.getvalue()
    article.refresh_from_db()
    assert_clean(article.hero_image.name, "JPEG")
    assert (article.hero_width, article.hero_height) == (400, 700)
    assert article.hero_rendered == article.hero_image.name  # renditions queued and made
    assert not default_storage.exists(old_name)
    current.refresh_from_db()
    assert current.photo.name == kept_name  # stored since uploads are cleaned: left alone
