from django import template

from articles.images.fields import renditions_ready
from articles.images.renditions import rendition_url, srcset, widths_for

register = template.Library()


@register.inclusion_tag("images/picture.html")
def picture(
    image, width, height, alt, sizes="100vw", loading="lazy", fetchpriority=None, css_class=""
):
    """A responsive <picture> of an image's renditions, sized so that nothing moves as it loads.

    `width` and `height` are the dimensions recorded on the model (hero_width, photo_width):
    from them every rendition's URL is known without asking storage or the database. Until the
    row records that the renditions exist, the image is the (re-encoded) original alone, so a
    page never names a file that is not there yet. With no image or no recorded dimensions,
    nothing is rendered. `alt=""` marks a decorative image.
    """
    name = getattr(image, "name", None)
    if not (name and width and height):
        return {}
    context = {
        "sizes": sizes,
        "width": width,
        "height": height,
        "alt": alt or "",
        "loading": loading,
        "fetchpriority": fetchpriority,
        "css_class": css_class,
    }
    if not renditions_ready(image):
        return {**context, "src": image.url}
    return {
        **context,
        "src": rendition_url(name, widths_for(width)[-1], "jpg"),
        "webp_srcset": srcset(name, width, "webp"),
        "jpg_srcset": srcset(name, width, "jpg"),
    }
