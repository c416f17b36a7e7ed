"""Every uploaded image is checked, then stored as a fresh encoding of its pixels alone.

Photos arrive with their life story attached: the GPS position where they were taken, the
camera's serial number, the photographer's name, editing history (EXIF, XMP, IPTC), and an
embedded thumbnail that may still show what was cropped away. What is stored, and what pages,
og:image, JSON-LD and feeds link, is a new encoding of the pixels only: turned upright, in the
same format, with its colour profile (ICC) kept so that colours stay true.

The checks come before the pixels are decoded: the file's size, then the pixel count read from
the header (a small PNG can hold a 13,000 x 13,000 picture that takes gigabytes to decode).
A file that cannot be decoded completely (damaged, truncated) is refused, not stored.

Formats: JPEG (and the MPO variant many phones write: its first picture is kept, as JPEG), PNG
and WebP, each stored in its own format (a lossless WebP stays lossless). Animated images and
other formats (GIF, HEIC, TIFF, ...) are refused with a message saying what to upload instead:
a story's image is a still, and renditions are stills.
"""

import io
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's name of each format read, and how it is written back.
READABLE = ("JPEG", "PNG", "WEBP")  # a JPEG with several pictures opens as MPO
WRITE_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {},
    "WEBP": {"quality": 90, "method": 4},
}
ACCEPT = "image/jpeg,image/png,image/webp"
MEGABYTE = 1024 * 1024


class CleanImage(ContentFile):
    """An upload as it is stored: re-encoded pixels, their size and colour profile."""


def max_bytes():
    return settings.IMAGE_MAX_MEGABYTES * MEGABYTE


def max_pixels():
    return settings.IMAGE_MAX_MEGAPIXELS * 1_000_000


def clean_image(upload):
    """The upload checked and re-encoded, as a CleanImage named `image.<format>`.

    Raises ValidationError with a message for the person who uploaded it.
    """
    check_size(upload)
    lossless = is_lossless_webp(upload)
    upload.seek(0)
    try:
        with Image.open(upload, formats=READABLE) as image:
            check_pixels(image)
            check_still(image)
            fmt = WRITE_AS[image.format]
            data = encode(image, fmt, lossless=lossless and fmt == "WEBP")
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not a JPEG, PNG or WebP image. Other formats (GIF, HEIC, TIFF, PDF, "
            "...) are not accepted: export the picture as JPEG or PNG and upload that.",
            code="format",
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        raise ValidationError(
            "This image could not be read to the end: the file is damaged or incomplete. "
            "Upload it again, or export a new copy.",
            code="damaged",
        ) from error
    finally:
        upload.seek(0)
    return CleanImage(data, name=f"image.{EXTENSIONS[fmt]}")


def check_size(upload):
    size = upload.size
    if size > max_bytes():
        raise ValidationError(
            f"This file is {size / MEGABYTE:.1f} MB; an image can be at most "
            f"{settings.IMAGE_MAX_MEGABYTES} MB. Export a smaller copy (a JPEG 3,000 pixels "
            "wide is plenty) and upload that.",
            code="too_large",
        )


def check_pixels(image):
    width, height = image.size
    if width * height > max_pixels():
        raise too_many_pixels(width, height)


def too_many_pixels(width=None, height=None):
    # Past twice the limit Pillow itself refuses to open the file, before its size is known.
    size = f" ({width:,} × {height:,})" if width else ""
    return ValidationError(
        f"This image has too many pixels{size}; an image can have at most "
        f"{settings.IMAGE_MAX_MEGAPIXELS} megapixels. Export a smaller copy (3,000 pixels "
        "wide is plenty) and upload that.",
        code="too_many_pixels",
    )


def check_still(image):
    # MPO's second picture is a phone's depth map or preview, not an animation.
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        raise ValidationError(
            "This is an animated image; only still images are accepted. Upload one frame of "
            "it as JPEG or PNG.",
            code="animated",
        )


def encode(image, fmt, *, lossless=False):
    """The picture's pixels, upright, in `fmt`, with its colour profile and nothing else."""
    icc_profile = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    upright = ImageOps.exif_transpose(image)  # decodes every pixel: a truncated file fails here
    upright.load()
    # Whatever the decoder kept (comments, XMP, EXIF, text chunks, DPI) stays behind.
    upright.info = {}
    options = dict(SAVE_OPTIONS[fmt])
    if icc_profile:
        options["icc_profile"] = icc_profile
    if transparency is not None and fmt == "PNG":
        options["transparency"] = transparency
    if lossless:
        options = {**options, "lossless": True, "quality": 100}
    output = io.BytesIO()
    upright.save(output, fmt, **options)
    return output.getvalue()


def is_lossless_webp(upload):
    """Whether a WebP file holds a lossless (VP8L) picture, read from its RIFF chunks."""
    upload.seek(0)
    header = upload.read(12)
    if header[:4] != b"RIFF" or header[8:12] != b"WEBP":
        return False
    data = header + upload.read()
    position = 12  # after "RIFF", the size and "WEBP"
    while position + 8 <= len(data):
        fourcc = data[position : position + 4]
        (size,) = struct.unpack("<I", data[position + 4 : position + 8])
        if fourcc in (b"VP8L", b"VP8 "):
            return fourcc == b"VP8L"
        position += 8 + size + (size & 1)
    return False
