"""Absolute addresses on the public site: the one place that joins SITE_URL and a path."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import iri_to_uri


def absolute_url(path):
    """`path` (e.g. /articles/x/) as an absolute, IRI-encoded URL on SITE_URL; an absolute URL
    stays as it is, and an empty path gives ""."""
    if not path:
        return ""
    return urljoin(f"{settings.SITE_URL}/", iri_to_uri(str(path)))
