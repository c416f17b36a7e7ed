"""Responsive renditions of uploaded images: WebP and JPEG at a fixed ladder of widths.

A rendition's name follows from the original's stored name and width alone, so templates
build `srcset` without touching storage or the database. They are made by a task after the
upload's transaction commits (see tasks.py), and by `manage.py make_renditions`, through the
default storage; pages link them once the task has recorded that they exist.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

RENDITION_WIDTHS = (320, 480, 640, 960, 1280, 1600)
FORMATS = ("webp", "jpg")
SAVE_OPTIONS = {
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "jpg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
# Orientations that turn the stored pixels a quarter turn: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
LANCZOS = Image.Resampling.LANCZOS


def rendition_name(name, width, fmt):
    # The whole original name (extension included) so that photo.jpg and photo.png never share.
    return f"renditions/{name}-{width}w.{fmt}"


def widths_for(original_width):
    """The ladder widths below the original's, then the original's own width (capped)."""
    if not original_width:
        return []
    top = min(original_width, RENDITION_WIDTHS[-1])
    return [width for width in RENDITION_WIDTHS if width < top] + [top]


def rendition_url(name, width, fmt):
    return default_storage.url(rendition_name(name, width, fmt))


def srcset(name, width, fmt):
    """`url 320w, url 480w, ...` for an original `width` pixels wide."""
    return ", ".join(f"{rendition_url(name, size, fmt)} {size}w" for size in widths_for(width))


def generate_renditions(image_field_file, *, force=False):
    """Write the missing renditions (all of them with `force`); return the names written.

    An unreadable, corrupt or unsupported original raises ValueError with a message fit
    for an editor; storage failures while writing are left to propagate.
    """
    name = image_field_file.name
    if not name:
        return []
    source, todo = _open_source(image_field_file, force=force)
    if not todo:
        return []
    return [saved for size, fmt in todo if (saved := _write(source, name, size, fmt, force))]


@dataclass
class _Source:
    """The original, decoded upright, ready to be resized."""

    image: Image.Image
    icc_profile: bytes | None
    keep_alpha: bool
    _resized: Image.Image | None = None

    def resized(self, width):
        # Callers go width by width, so each width is resized once for both formats.
        if self._resized is None or self._resized.width != width:
            height = max(1, round(self.image.height * width / self.image.width))
            self._resized = self.image.resize((width, height), LANCZOS)
        return self._resized


def _open_source(image_field_file, *, force):
    """The decoded original and the (width, format) pairs still to write, narrowest first."""
    name = image_field_file.name
    try:
        with image_field_file.open("rb"), Image.open(image_field_file) as image:
            todo = [
                (size, fmt)
                for size in widths_for(_upright_width(image))
                for fmt in FORMATS
                if force or not default_storage.exists(rendition_name(name, size, fmt))
            ]
            if not todo:
                return None, []
            icc_profile = image.info.get("icc_profile")
            # Let the JPEG decoder shrink big photos while decoding, as Image.thumbnail does.
            image.draft(None, (RENDITION_WIDTHS[-1], RENDITION_WIDTHS[-1]))
            upright_image = ImageOps.exif_transpose(image)
            upright_image.load()
    except FileNotFoundError:
        raise ValueError(f"The image file {name} is missing from storage.") from None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        reason = "unknown format" if isinstance(error, UnidentifiedImageError) else error
        raise ValueError(
            f"{name} could not be read as an image ({reason}); upload a JPEG, PNG or WebP file."
        ) from error
    keep_alpha = upright_image.has_transparency_data
    converted = upright_image.convert("RGBA" if keep_alpha else "RGB")
    return _Source(converted, icc_profile, keep_alpha), todo


def _upright_width(image):
    width, height = image.size
    if image.getexif().get(ExifTags.Base.Orientation) in QUARTER_TURNS:
        return height
    return width


def _write(source, name, size, fmt, force):
    """Encode and store one rendition; its name, or None if another process stored it first."""
    resized = source.resized(size)
    output = _on_white(resized) if fmt == "jpg" and source.keep_alpha else resized
    buffer = io.BytesIO()
    output.save(buffer, icc_profile=source.icc_profile, **SAVE_OPTIONS[fmt])
    target = rendition_name(name, size, fmt)
    if force:
        default_storage.delete(target)
    saved = default_storage.save(target, ContentFile(buffer.getvalue()))
    if saved != target:  # Another process wrote the same rendition meanwhile: a spare copy.
        default_storage.delete(saved)
        return None
    return saved


def delete_renditions(name, width):
    """Remove every rendition of an original (when it is replaced or deleted)."""
    for size in widths_for(width):
        for fmt in FORMATS:
            default_storage.delete(rendition_name(name, size, fmt))


def delete_image(name, width):
    """Remove an original and its renditions, so that a replaced or deleted image is no
    longer reachable at its address."""
    if name:
        delete_renditions(name, width)
        default_storage.delete(name)


def _on_white(image):
    background = Image.new("RGBA", image.size, "white")
    return Image.alpha_composite(background, image).convert("RGB")
