class UnicodeSlugConverter:
    """Slugs as `slugify(..., allow_unicode=True)` makes them, e.g. tag names in Chinese."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
