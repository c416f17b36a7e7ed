"""What the page cache stores for a page, and how it answers from it: the status and headers as
Django sent them, the body compressed with brotli and gzip (chosen by Accept-Encoding, plain
text unpacked from gzip for the rare client that takes neither), and the validators, so that a
conditional request gets its 304 from the cache."""

import gzip
import hashlib
from dataclasses import dataclass, field
from http import HTTPStatus

import brotli
from django.utils.http import parse_etags, parse_http_date_safe, split_directive_names

# Statuses worth keeping: pages, and the answers for moved (old slugs) and trashed stories.
STORED_STATUSES = {200, 301, 410}
# A sitemap part of 50,000 addresses is about 5 MB; nothing a reader asks for is bigger.
MAX_BODY_BYTES = 16 * 1024 * 1024
# Headers the cache sets itself, or the server does, or that belong to one connection.
NOT_STORED = {
    "content-length",
    "content-encoding",
    "date",
    "server",
    "x-cache",
    "connection",
    "keep-alive",
    "transfer-encoding",
}
COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/javascript")
MIN_COMPRESSED_BYTES = 256
ENCODINGS = ("br", "gzip")  # in order of preference
# Headers a 304 repeats from the 200 it stands for (RFC 9110, 15.4.5).
NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "etag", "expires", "vary"}


def header(headers, name):
    """The value of header `name` in a WSGI header list, or ""."""
    name = name.lower()
    return next((value for key, value in headers if key.lower() == name), "")


def varies_on(headers):
    """The request headers the response varies on, but Accept-Encoding, which the cache
    handles itself: lower-cased, sorted."""
    return sorted(set(split_directive_names(header(headers, "Vary"))) - {"accept-encoding"})


def storable(status, headers):
    """Whether a response may be kept and given to any reader: one the view marked public
    (articles/caching.py, the same mark a CDN goes by), complete, with no cookie, nothing
    private and no per-request nonce."""
    cache_control = set(split_directive_names(header(headers, "Cache-Control")))
    length = header(headers, "Content-Length")
    return (
        int(status.split(" ", 1)[0]) in STORED_STATUSES
        and "public" in cache_control
        and not cache_control & {"private", "no-store", "no-cache"}
        and not header(headers, "Set-Cookie")
        and not set(varies_on(headers)) & {"cookie", "authorization", "*"}
        and length.isdigit()
        and int(length) <= MAX_BODY_BYTES
        and "'nonce-" not in header(headers, "Content-Security-Policy")
    )


@dataclass
class Entry:
    status: int
    headers: list  # [(name, value)], without those in NOT_STORED
    bodies: dict = field(default_factory=dict)  # {"br": ..., "gzip": ...} or {"identity": ...}

    @classmethod
    def build(cls, status, headers, body):
        status = int(status.split(" ", 1)[0])
        headers = [(name, value) for name, value in headers if name.lower() not in NOT_STORED]
        if status == 200 and not header(headers, "ETag"):
            headers.append(("ETag", f'"{hashlib.sha256(body).hexdigest()[:32]}"'))
        bodies = _compressed(header(headers, "Content-Type"), body)
        if bodies:
            vary = header(headers, "Vary")
            headers = [(name, value) for name, value in headers if name.lower() != "vary"]
            headers.append(("Vary", f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"))
        return cls(status, headers, bodies or {"identity": body})

    def plain_body(self):
        return gzip.decompress(self.bodies["gzip"])

    @property
    def etag(self):
        return header(self.headers, "ETag")

    def encoding_for(self, accept_encoding):
        accepted = accepted_encodings(accept_encoding)
        return next((name for name in ENCODINGS if name in accepted and name in self.bodies), None)

    def answer(self, environ, start_response, x_cache):
        """Answer the request from this entry: a 304 when its validators match, else the
        status, headers and the body in the best encoding the client accepts."""
        encoding = self.encoding_for(environ.get("HTTP_ACCEPT_ENCODING", ""))
        headers = _with_etag(self.headers, _encoded_etag(self.etag, encoding))
        if self.not_modified(environ):
            headers = [(n, v) for n, v in headers if n.lower() in NOT_MODIFIED_HEADERS]
            start_response("304 Not Modified", [*headers, ("X-Cache", x_cache)])
            return []
        if encoding:
            body = self.bodies[encoding]
            headers.append(("Content-Encoding", encoding))
        else:
            body = self.bodies["identity"] if "identity" in self.bodies else self.plain_body()
        headers += [("Content-Length", str(len(body))), ("X-Cache", x_cache)]
        start_response(f"{self.status} {HTTPStatus(self.status).phrase}", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def not_modified(self, environ):
        """RFC 9110, 13.2.2: If-None-Match decides when sent (an encoded variant's tag counts
        as the page's: weak comparison); If-Modified-Since only without it."""
        if self.status != 200:
            return False
        if if_none_match := environ.get("HTTP_IF_NONE_MATCH"):
            tags = parse_etags(if_none_match)
            return "*" in tags or _opaque(self.etag) in {_opaque(tag) for tag in tags}
        since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
        modified = parse_http_date_safe(header(self.headers, "Last-Modified"))
        return since is not None and modified is not None and modified <= since


def accepted_encodings(accept_encoding):
    """The content codings an Accept-Encoding header accepts (those with q > 0)."""
    accepted = set()
    for item in accept_encoding.split(","):
        name, _, parameters = item.strip().partition(";")
        quality = parameters.strip().removeprefix("q=").strip() if parameters else "1"
        try:
            if float(quality) > 0:
                accepted.add(name.strip().lower())
        except ValueError:
            continue
    if "*" in accepted:
        accepted.update(ENCODINGS)
    return accepted


def _compressed(content_type, body):
    """{"br": ..., "gzip": ...} for a text body worth compressing, else {}."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    text = media_type.startswith(COMPRESSIBLE) or media_type.endswith(("+xml", "+json"))
    if not text or len(body) < MIN_COMPRESSED_BYTES:
        return {}
    # Brotli's quality 5 and gzip's level 6 compress a 50 kB page in about a millisecond each.
    bodies = {
        "br": brotli.compress(body, quality=5),
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
    }
    return bodies if len(bodies["gzip"]) < len(body) else {}


def _encoded_etag(etag, encoding):
    """A strong validator names one representation: the encoded body's tag is the page's with
    the coding added (W/"abc" becomes W/"abc-br")."""
    return f'{etag[:-1]}-{encoding}"' if encoding and etag.endswith('"') else etag


def _opaque(tag):
    """A tag as the weak comparison sees it: without W/, and without the coding's suffix."""
    tag = tag.removeprefix("W/")
    for encoding in ENCODINGS:
        suffix = f'-{encoding}"'
        if tag.endswith(suffix):
            return tag[: -len(suffix)] + '"'
    return tag


def _with_etag(headers, etag):
    return [(n, etag if n.lower() == "etag" else v) for n, v in headers]
