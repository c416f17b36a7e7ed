import io
import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template import Context, Template
from PIL import ExifTags, Image

from articles.images.renditions import (
    RENDITION_WIDTHS,
    delete_renditions,
    generate_renditions,
    rendition_name,
    widths_for,
)
from articles.images.tasks import render_and_record
from articles.models import Article
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

WIDTHS_700 = [320, 480, 640, 700]


def image_bytes(size=(700, 400), mode="RGB", fmt="JPEG", colour="#336699", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **options)
    return buffer.getvalue()


def article_with(content, name="hero.jpg"):
    return make_article(hero_image=SimpleUploadedFile(name, content), hero_alt="A harbour crane")


def article_with_stored(content, name="heroes/stored.jpg", size=(700, 400)):
    """An article whose hero file in storage is `content` as it is: an original restored from
    elsewhere, or damaged since it was stored (uploads are checked and re-encoded)."""
    article = make_article(hero_alt="A harbour crane")
    stored = default_storage.save(name, io.BytesIO(content))
    Article.objects.filter(pk=article.pk).update(
        hero_image=stored, hero_width=size[0], hero_height=size[1]
    )
    return Article.objects.get(pk=article.pk)


def open_rendition(name):
    with default_storage.open(name) as file, Image.open(file) as image:
        image.load()
        return image


def rendition_files(image_name):
    """The files in storage that are renditions of this image."""
    folder = posixpath.dirname(rendition_name(image_name, 1, "jpg"))
    prefix = posixpath.basename(image_name) + "-"
    if not default_storage.exists(folder):
        return []
    return sorted(
        posixpath.join(folder, file)
        for file in default_storage.listdir(folder)[1]
        if file.startswith(prefix)
    )


def expected_names(image_name, widths):
    return sorted(rendition_name(image_name, w, fmt) for w in widths for fmt in ("webp", "jpg"))


class StartTags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = dict(attrs)


def render(tag, **context):
    html = Template("{% load pictures %}" + tag).render(Context(context))
    return html, StartTags(html).tags


HERO_TAG = "{% picture a.hero_image a.hero_width a.hero_height a.hero_alt sizes=sizes %}"
SIZES = "(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)"


def srcset_entries(value):
    return [entry.rsplit(" ", 1) for entry in value.split(", ")]


def test_widths_never_exceed_the_original_and_stop_at_the_top_of_the_ladder():
    assert widths_for(700) == WIDTHS_700
    assert widths_for(640) == [320, 480, 640]
    assert widths_for(200) == [200]
    assert widths_for(1600) == list(RENDITION_WIDTHS)
    assert widths_for(4000) == list(RENDITION_WIDTHS)
    assert widths_for(None) == widths_for(0) == []


def test_rendition_names_are_deterministic_and_keep_originals_apart():
    name = "heroes/2026/05/crane.jpg"
    assert rendition_name(name, 640, "webp") == "renditions/heroes/2026/05/crane.jpg-640w.webp"
    assert rendition_name(name, 640, "jpg") != rendition_name(
        "heroes/2026/05/crane.png", 640, "jpg"
    )


def test_generation_writes_both_formats_at_each_width():
    article = article_with(image_bytes())
    name = article.hero_image.name

    written = generate_renditions(article.hero_image)

    assert sorted(written) == expected_names(name, WIDTHS_700)
    for width in WIDTHS_700:
        height = round(400 * width / 700)
        webp = open_rendition(rendition_name(name, width, "webp"))
        assert (webp.format, webp.size) == ("WEBP", (width, height))
        jpeg = open_rendition(rendition_name(name, width, "jpg"))
        assert (jpeg.format, jpeg.size, jpeg.mode) == ("JPEG", (width, height), "RGB")
        assert jpeg.info.get("progressive")


def test_generation_never_upscales():
    article = article_with(image_bytes(size=(300, 200)))
    name = article.hero_image.name

    assert sorted(generate_renditions(article.hero_image)) == expected_names(name, [300])
    assert open_rendition(rendition_name(name, 300, "webp")).size == (300, 200)
    assert len(rendition_files(name)) == 2


def test_generation_is_idempotent_and_force_rewrites_in_place():
    article = article_with(image_bytes())
    name = article.hero_image.name
    generate_renditions(article.hero_image)

    assert generate_renditions(article.hero_image) == []
    assert sorted(generate_renditions(article.hero_image, force=True)) == expected_names(
        name, WIDTHS_700
    )
    assert len(rendition_files(name)) == 8  # rewritten under the same names, no copies


def test_transparency_is_kept_in_webp_and_flattened_on_white_in_jpeg():
    image = Image.new("RGBA", (700, 400), (200, 0, 0, 255))
    image.paste((0, 0, 0, 0), (0, 0, 350, 400))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    article = article_with(buffer.getvalue(), name="logo.png")
    name = article.hero_image.name

    generate_renditions(article.hero_image)

    webp = open_rendition(rendition_name(name, 320, "webp"))
    assert webp.mode == "RGBA"
    assert webp.getpixel((10, 100))[3] == 0
    assert webp.getpixel((300, 100))[3] == 255
    jpeg = open_rendition(rendition_name(name, 320, "jpg"))
    assert all(channel > 245 for channel in jpeg.getpixel((10, 100)))
    red, green, blue = jpeg.getpixel((300, 100))
    assert red > 180 and green < 40 and blue < 40


def test_palette_image_with_a_transparent_colour_is_converted():
    image = Image.new("P", (700, 400), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])  # 0: red, made transparent below; 1: blue
    image.paste(1, (350, 0, 700, 400))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    article = article_with(buffer.getvalue(), name="map.png")

    generate_renditions(article.hero_image)

    jpeg = open_rendition(rendition_name(article.hero_image.name, 700, "jpg"))
    assert all(channel > 245 for channel in jpeg.getpixel((10, 10)))  # white, not red
    assert jpeg.getpixel((600, 10))[2] > 200


def sideways_jpeg():
    """Stored 700x400 with the left half red; EXIF orientation 6 turns it a quarter clockwise,
    so readers see a 400x700 portrait with red on top (as phone cameras do)."""
    image = Image.new("RGB", (700, 400), "blue")
    image.paste("red", (0, 0, 350, 400))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_exif_orientation_is_applied_and_not_copied():
    article = article_with(sideways_jpeg(), name="phone.jpg")
    name = article.hero_image.name

    assert sorted(generate_renditions(article.hero_image)) == expected_names(name, [320, 400])

    for fmt in ("webp", "jpg"):
        portrait = open_rendition(rendition_name(name, 320, fmt))
        assert portrait.size == (320, 560)
        assert portrait.getpixel((160, 20))[0] > 200  # red on top
        assert portrait.getpixel((160, 540))[2] > 200  # blue below
        assert ExifTags.Base.Orientation not in portrait.getexif()


def test_a_sideways_upload_is_stored_upright_so_its_recorded_size_matches_its_renditions():
    article = article_with(sideways_jpeg(), name="phone.jpg")
    render_and_record(article, "hero_image")

    assert (article.hero_width, article.hero_height) == (400, 700)
    original = open_rendition(article.hero_image.name)
    assert original.getpixel((200, 20))[0] > 200
    assert ExifTags.Base.Orientation not in original.getexif()
    _, tags = render(HERO_TAG, a=article, sizes=SIZES)
    for url, _ in srcset_entries(tags["source"]["srcset"]) + srcset_entries(tags["img"]["srcset"]):
        assert default_storage.exists(unquote(url.removeprefix(settings.MEDIA_URL)))


def noisy_jpeg():
    buffer = io.BytesIO()
    Image.effect_noise((700, 400), 60).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"This is a text file with a .jpg name.", noisy_jpeg()[:4000]],
    ids=["not-an-image", "truncated-jpeg"],
)
def test_a_corrupt_image_raises_a_clear_value_error(content):
    article = article_with_stored(content)
    name = article.hero_image.name

    with pytest.raises(ValueError, match=r"could not be read as an image.*upload a JPEG"):
        generate_renditions(article.hero_image)
    assert not default_storage.exists(rendition_name(name, 320, "jpg"))


def test_a_missing_original_raises_a_clear_value_error():
    article = article_with(image_bytes())
    default_storage.delete(article.hero_image.name)

    with pytest.raises(ValueError, match="missing from storage"):
        generate_renditions(article.hero_image)


def test_no_image_means_nothing_to_do():
    assert generate_renditions(make_article().hero_image) == []


def test_delete_renditions_removes_every_file():
    article = article_with(image_bytes())
    name = article.hero_image.name
    generate_renditions(article.hero_image)
    assert rendition_files(name) == expected_names(name, WIDTHS_700)

    delete_renditions(name, article.hero_width)

    assert rendition_files(name) == []
    assert default_storage.exists(name)  # the original stays


# The template tag


def test_picture_offers_each_rendition_in_both_formats():
    article = article_with(image_bytes())
    render_and_record(article, "hero_image")

    _, tags = render(HERO_TAG, a=article, sizes=SIZES)

    assert list(tags) == ["picture", "source", "img"]
    source, img = tags["source"], tags["img"]
    assert source["type"] == "image/webp"
    assert source["sizes"] == img["sizes"] == SIZES
    for srcset, fmt in [(source["srcset"], "webp"), (img["srcset"], "jpg")]:
        entries = srcset_entries(srcset)
        assert [descriptor for _, descriptor in entries] == [f"{w}w" for w in WIDTHS_700]
        for (url, _), width in zip(entries, WIDTHS_700, strict=True):
            assert url.endswith(f"-{width}w.{fmt}")
            # Every URL the page names is a file the generator wrote.
            assert default_storage.exists(unquote(url.removeprefix(settings.MEDIA_URL)))
    assert img["src"] == entries[-1][0]
    assert (img["width"], img["height"]) == ("700", "400")
    assert img["alt"] == "A harbour crane"
    assert (img["loading"], img["decoding"]) == ("lazy", "async")
    assert "fetchpriority" not in img and "class" not in img


def test_picture_above_the_fold_loads_eagerly_with_high_priority():
    article = article_with(image_bytes())
    render_and_record(article, "hero_image")

    _, tags = render(
        '{% picture a.hero_image a.hero_width a.hero_height a.hero_alt loading="eager" '
        'fetchpriority="high" css_class="story__image" %}',
        a=article,
    )

    img = tags["img"]
    assert (img["loading"], img["fetchpriority"], img["class"]) == ("eager", "high", "story__image")
    assert tags["source"]["sizes"] == img["sizes"] == "100vw"


def test_picture_escapes_the_alt_text():
    article = article_with(image_bytes())

    html, tags = render(
        "{% picture a.hero_image a.hero_width a.hero_height alt %}", a=article, alt='"><script>'
    )

    assert 'alt="&quot;&gt;&lt;script&gt;"' in html
    assert "<script" not in html
    assert tags["img"]["alt"] == '"><script>'


def test_decorative_picture_has_empty_alt():
    article = article_with(image_bytes())

    html, _ = render('{% picture a.hero_image a.hero_width a.hero_height "" %}', a=article)

    assert ' alt="" ' in html


def test_picture_renders_nothing_without_an_image_or_its_dimensions():
    no_image = make_article()
    unmeasured = article_with(image_bytes())
    unmeasured.hero_width = unmeasured.hero_height = None

    for article in (no_image, unmeasured):
        html, _ = render(HERO_TAG, a=article, sizes=SIZES)
        assert html.strip() == ""


# The backfill command


def make_renditions(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("make_renditions", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_command_backfills_and_reports_a_corrupt_image_without_stopping(
    django_assert_num_queries,
):
    first = article_with(image_bytes())
    broken = article_with_stored(b"not an image at all")
    second = article_with(image_bytes(fmt="PNG"), name="chart.png")
    make_article()  # no hero image: not counted
    author = make_author(photo=SimpleUploadedFile("face.jpg", image_bytes(size=(300, 300))))
    error_line = (
        f"Article {broken.pk}: {broken.hero_image.name} could not be read as an image "
        "(unknown format); upload a JPEG, PNG or WebP file."
    )

    out, err, error = make_renditions()

    assert err.splitlines() == [error_line]
    assert "4 image(s) checked, 18 rendition file(s) written, 1 image(s) with errors." in out
    assert "1 image(s) have no renditions" in str(error)
    for image, widths in [
        (first.hero_image, WIDTHS_700),
        (second.hero_image, WIDTHS_700),
        (author.photo, [300]),
    ]:
        assert rendition_files(image.name) == expected_names(image.name, widths)

    out, err, error = make_renditions()
    assert "0 rendition file(s) written, 1 image(s) with errors." in out
    assert err.splitlines() == [error_line]

    broken.delete()
    with django_assert_num_queries(3):  # one per model, however many images
        out, err, error = make_renditions("--force")
    assert "3 image(s) checked, 18 rendition file(s) written, 0 image(s) with errors." in out
    assert (err, error) == ("", None)
