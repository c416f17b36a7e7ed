"""Path converters for reader addresses, registered once for every room's URLs."""

from django.urls import register_converter


class UnicodeSlugConverter:
    """Slugs as `slugify(..., allow_unicode=True)` makes them, e.g. tag names in Chinese."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class YearConverter:
    regex = r"[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    """Two-digit months, so that archive addresses sort and read well."""

    regex = r"0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(UnicodeSlugConverter, "uslug")
register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")
