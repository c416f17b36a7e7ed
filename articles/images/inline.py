"""Images in article bodies, as readers see them: each marker the body stores
(`<figure data-image="12"></figure>`, see articles/models/images.py) becomes the image's
responsive picture with its current alt text, caption and credit."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models.images import MARKER


def render_markers(html, images):
    """Sanitised body HTML with each marker replaced by its image from `images` ({id:
    BodyImage}); a marker of an unknown id renders nothing."""
    if "data-image" not in html:
        return html

    def picture(match):
        image = images.get(int(match.group(1)))
        return render_to_string("images/body_image.html", {"image": image}) if image else ""

    return mark_safe(MARKER.sub(picture, html))  # noqa: S308 (sanitised HTML and a template)
