"""Our articles found by headline (or by number), for the body editor's SEE ALSO chooser and
link dialog: `/desk/articles/search/?q=…&exclude=<pk>`, answered in JSON to staff who may see
articles in the desk."""

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from articles.models import Article
from articles.sanitize import clean_text

from .workflow import article_state

LIMIT = 20
MAX_QUERY_LENGTH = 250


def linkable_articles(query="", exclude=()):
    """Articles an editor may place or link: by headline (ignoring case) or by number, never a
    draft of changes (its live story stands for it) or one in the trash, nor those in
    `exclude`; an exact number first, then newest work first."""
    articles = Article.objects.filter(draft_of__isnull=True, trashed_at__isnull=True)
    articles = articles.exclude(pk__in=exclude).defer("body", "body_text")
    query = clean_text(query)[:MAX_QUERY_LENGTH]
    number = query.removeprefix("#")
    if number.isdigit():
        articles = articles.filter(Q(headline__icontains=query) | Q(pk=int(number)))
        first = Case(
            When(pk=int(number), then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        articles = articles.order_by(first, "-updated_at", "-pk")
    else:
        articles = articles.filter(headline__icontains=query).order_by("-updated_at", "-pk")
    return articles[:LIMIT]


def marker_state(article):
    """Why readers cannot see `article`, in the words the form gives a SEE ALSO marker's
    data-state (articles/desk/forms.py): "draft", "in review", "scheduled", "taken down", "in
    the trash"; "" when it is live."""
    return "" if article.is_public else article_state(article)[1].lower()


def as_result(article):
    state = marker_state(article)
    published = article.status == Article.Status.PUBLISHED and article.published_at
    return {
        "id": article.pk,
        "headline": article.headline,
        "state": state or "live",
        "state_label": state.capitalize() or "Live",
        "date": (published or article.updated_at).isoformat(),
        # Only an article that has been out has an address that lasts: once published, a
        # changed slug keeps the old address as a redirect.
        "url": article.get_absolute_url() if article.first_published_at else None,
    }


@require_GET
@staff_member_required
def article_search(request):
    if not admin.site.get_model_admin(Article).has_view_permission(request):
        raise PermissionDenied
    exclude = [int(pk) for pk in request.GET.getlist("exclude") if pk.isdigit()]
    articles = linkable_articles(request.GET.get("q", ""), exclude)
    return JsonResponse([as_result(article) for article in articles], safe=False)
