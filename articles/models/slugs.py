from django.utils.text import slugify


def unique_slug(model, text, *, exclude_pk=None, max_length=200, allow_unicode=False):
    """A slug from `text` that no other row of `model` uses (nor, for articles, keeps as an
    old address)."""
    from .links import SlugRedirect

    base = (slugify(text, allow_unicode=allow_unicode) or "untitled")[: max_length - 10]
    base = base.strip("-") or "untitled"
    slug, counter = base, 2
    others = model._default_manager.exclude(pk=exclude_pk)
    redirects = SlugRedirect.objects.exclude(article_id=exclude_pk)
    while others.filter(slug=slug).exists() or (
        model._meta.label == "articles.Article" and redirects.filter(old_slug=slug).exists()
    ):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
