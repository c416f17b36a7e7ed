"""Preview of unsaved changes: the reader's page built from what an article's change form
posts, shown in a new tab, with nothing written to the database."""

from django.contrib import admin
from django.http import Http404

from articles.body import read_markers
from articles.caching import private_page
from articles.models import Article, Byline, RelatedLink
from articles.sanitize import clean_html, clean_text
from articles.site.views import ArticleDetailView


class UnsavedPreviewView(ArticleDetailView):
    """The change form's content as readers would see it, for staff who may change the
    article; a 404 for everyone else, as for any article they may not see."""

    http_method_names = ["post"]
    template_name = "desk/unsaved_preview.html"

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        context = self.get_context_data(object=self.object)
        return private_page(self.render_to_response(context), secret_address=True)

    def get_object(self, queryset=None):
        request = self.request
        model_admin = admin.site.get_model_admin(Article)
        article = Article.objects.with_everything().filter(pk=self.kwargs["pk"]).first()
        if (
            article is None
            or not admin.site.has_permission(request)
            or not model_admin.has_change_permission(request, article)
        ):
            raise Http404("No article found.")
        return as_in_form(model_admin, request, article)


def as_in_form(model_admin, request, article):
    """`article` (loaded `with_everything()`) changed, in memory only, to what the change form
    posted: every field the form accepts, and the byline, tags and SEE ALSO links when their
    rows are valid. Whatever the form does not accept keeps its stored value."""
    # Without the uploaded files: a new hero image is stored only when the article is saved,
    # so the preview keeps the stored one (or none, if the form clears it).
    form = model_admin.get_form(request, article, change=True)(request.POST, instance=article)
    form.is_valid()  # fills the instance with each field that is valid
    article = form.instance
    article.headline = clean_text(article.headline)
    article.dek = clean_text(article.dek)
    article.body = clean_html(article.body)
    placed = RelatedLink.objects.for_markers(article, read_markers(article.body))

    rows = {}
    for inline in model_admin.get_inline_instances(request, article):
        if inline.model not in (Byline, RelatedLink):
            continue
        formset_class = inline.get_formset(request, article)
        formset = formset_class(
            request.POST, instance=article, prefix=formset_class.get_default_prefix()
        )
        if formset.is_valid():
            rows[inline.model] = kept_rows(formset)

    # The template reads `article.byline` and `article.tags.all` from the prefetch cache that
    # `with_everything()` filled: the form's rows take the stored ones' place there.
    cache = article._prefetched_objects_cache
    if Byline in rows:
        cache["bylines"] = rows[Byline]
    if "tags" in form.cleaned_data:
        cache["tags"] = list(form.cleaned_data["tags"])
    # The boxes in the text, and the closing block's rows as the form has them.
    links = placed + rows.get(RelatedLink, [])
    # As RelatedLink.objects.visible(): outside links, and links to public articles.
    article.visible_links = [
        link for link in links if link.is_external or link.target_article.is_public
    ]
    return article


def kept_rows(formset):
    """The rows a valid inline formset would store, in their order, unsaved."""
    deleted = formset.deleted_forms
    kept = [
        form.instance
        for form in formset.forms
        if (form.instance.pk or form.has_changed()) and form not in deleted
    ]
    return sorted(kept, key=lambda row: (row.position, row.pk is None, row.pk or 0))
