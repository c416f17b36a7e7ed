"""Image files as cameras, phones and image editors write them, made with Pillow: with GPS
position, the photographer's name, the camera's serial number, XMP, comments and a colour
profile; and files that must be refused."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

SECRETS = (b"Jane Source", b"SN-4471-0923", b"Secret Camera Co", b"hidden-xmp-note")
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    'syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator='
    '"Jane Source" dc:description="hidden-xmp-note"/></rdf:RDF></x:xmpmeta>'
)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def camera_exif(orientation=6):
    """What a phone writes: who, which camera, where (GPS), and which way up."""
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Jane Source"
    exif[ExifTags.Base.Make] = "Secret Camera Co"
    exif[ExifTags.Base.BodySerialNumber] = "SN-4471-0923"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (22.0, 17.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (114.0, 10.0, 12.0),
    }
    return exif


def sideways_picture(size=(700, 400)):
    """Stored landscape, left half red: EXIF orientation 6 shows it as a portrait, red on top."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    return image


def photo_bytes(fmt, size=(700, 400)):
    """A photo in `fmt` carrying every kind of metadata the format can hold."""
    image = sideways_picture(size)
    buffer = io.BytesIO()
    options = {"exif": camera_exif(), "icc_profile": SRGB}
    if fmt == "JPEG":
        options |= {"xmp": XMP.encode(), "comment": b"Jane Source"}
    elif fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "Jane Source")
        info.add_itxt("XML:com.adobe.xmp", XMP)
        options |= {"pnginfo": info}
    elif fmt == "WEBP":
        options |= {"xmp": XMP.encode(), "quality": 90}
    image.save(buffer, fmt, **options)
    data = buffer.getvalue()
    for secret in SECRETS[:3]:
        assert secret in data, (fmt, secret)  # the sample really carries them
    return data


def upload(data, name="secret-source-location.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def plain_bytes(fmt="PNG", size=(64, 36), colour="#336699", **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG that claims `width` x `height` pixels in a few bytes: decoding it would allocate
    them all (a 13,000 x 13,000 one takes a worker to 2 GiB)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 64)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def truncated_jpeg():
    buffer = io.BytesIO()
    Image.effect_noise((700, 400), 60).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[:4000]


def animated(fmt):
    frames = [Image.new("RGB", (40, 30), colour) for colour in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()
