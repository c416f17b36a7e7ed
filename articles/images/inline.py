"""Images in article bodies, as readers see them: each marker the body stores
(`<figure data-image="12"></figure>`, see articles/models/images.py) becomes the image's
responsive picture with its current alt text, caption and credit."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models.images import MARKER


def with_body_images(blocks, images):
    """The body's blocks (sanitised HTML) with each marker replaced by its image from `images`
    ({id: BodyImage}); a marker of an unknown id renders nothing, and its block stays in place
    (empty), so that SEE ALSO links placed after paragraph N keep their place."""
    return [render_markers(block, images) if "data-image" in block else block for block in blocks]


def render_markers(html, images):
    def picture(match):
        image = images.get(int(match.group(1)))
        return render_to_string("images/body_image.html", {"image": image}) if image else ""

    return mark_safe(MARKER.sub(picture, html))  # noqa: S308 (sanitised HTML and a template)
