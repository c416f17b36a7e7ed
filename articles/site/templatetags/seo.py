import json
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.addresses import absolute_url

register = template.Library()

# As in Django's json_script: these cannot end the script element or start a comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Structured data for search engines, as a non-executable script block."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(payload.translate(_JSON_ESCAPES)),  # noqa: S308 (escaped above)
    )


@register.simple_tag
def article_json_ld(article, image_url=""):
    url = absolute_url(article.get_absolute_url())
    publisher = {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/"),
    }
    news = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.seo_description or article.dek,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in article.byline
        ],
        "publisher": publisher,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "keywords": [tag.name for tag in article.tags.all()],
    }
    if image_url:
        news["image"] = [absolute_url(image_url)]
    if article.section:
        news["articleSection"] = article.section.name
    crumbs = [("Home", absolute_url("/"))]
    if article.section:
        crumbs.append((article.section.name, absolute_url(article.section.get_absolute_url())))
    crumbs.append((article.headline, url))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    return json_ld(news) + json_ld(breadcrumbs)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address on the public site: a list's later pages keep their cursor; any
    other query (or a cursor that led back to the first page) is left out."""
    url = absolute_url(context["request"].path)
    page = context.get("page_obj")
    if page is not None and page.query:
        url += f"?{urlencode(page.query)}"
    return url
