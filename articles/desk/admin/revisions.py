from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from articles.desk import changes, revisions, workflow
from articles.desk.admin.readonly import ReadOnlyAdmin
from articles.desk.workflow import article_state
from articles.models import Article, Revision


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """Every saved version of every article: read, compared with any other version of the
    same article, and restored (which saves it as a new version; nothing is lost)."""

    list_display = ["article", "version", "action", "created_at", "user"]
    list_select_related = ["article", "user"]
    readonly_fields = ["article", "version", "created_at", "user", "action", "note"]
    fields = readonly_fields
    search_fields = ["article__headline"]
    change_form_template = "admin/articles/revision/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<int:pk>/compare/",
                view(self.compare_previous_view),
                name=f"{name}_compare_previous",
            ),
            path(
                "<int:pk>/compare/<int:other_pk>/",
                view(self.compare_view),
                name=f"{name}_compare",
            ),
            path("<int:pk>/restore/", view(self.restore_view), name=f"{name}_restore"),
            *super().get_urls(),
        ]

    @property
    def article_admin(self):
        return self.admin_site.get_model_admin(Article)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "user")

    # A revision is seen by whoever may see revisions and its article.
    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if allowed and obj is not None:
            return self.article_admin.has_view_permission(request, obj.article)
        return allowed

    # Restoring changes the article: the article admin's rule decides (a writer may never
    # change published work), and nothing is restored onto an article in the trash.
    def may_restore(self, request, article):
        if article.trashed_at:
            return False
        if article.is_public:  # restored into its draft of changes, which the desk may edit
            return request.user.has_perm("articles.change_article")
        return self.article_admin.has_change_permission(request, article)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        revision = self.get_object(request, unquote(object_id))
        if revision is not None and self.has_view_permission(request, revision):
            (data,) = revisions.fill_in_names(revision.data)
            extra_context = {
                **(extra_context or {}),
                "snapshot": revisions.describe(data),
                "may_restore": self.may_restore(request, revision.article),
                "other_versions": other_versions(revision),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    # Comparing ---------------------------------------------------------------------------------

    def compare_view(self, request, pk, other_pk):
        found = Revision.objects.select_related("article", "user").in_bulk([pk, other_pk])
        if pk not in found or other_pk not in found:
            raise Http404("No such revision.")
        one, other = found[pk], found[other_pk]
        if one.article_id != other.article_id:
            raise Http404("These revisions belong to different articles.")
        if not self.has_view_permission(request, one):
            raise PermissionDenied
        older, newer = sorted((one, other), key=lambda r: (r.version, r.created_at, r.pk))
        return self.render_compare(request, older, newer, chosen=one)

    def compare_previous_view(self, request, pk):
        revision = self.viewable_revision(request, pk)
        if "with" in request.GET:  # the version picker
            try:
                other_pk = int(request.GET["with"])
            except ValueError:
                raise Http404("No such revision.") from None
            return redirect("admin:articles_revision_compare", pk, other_pk)
        previous = (
            revision.article.revisions.select_related("user")
            .filter(version__lt=revision.version)
            .order_by("-version", "-pk")
            .first()
        )
        return self.render_compare(request, previous, revision, chosen=revision)

    def render_compare(self, request, older, newer, *, chosen):
        article = newer.article
        if older is None:
            title, changes = f"Version {newer.version}: the first one kept", None
        else:
            title = f"Changes from version {older.version} to version {newer.version}"
            changes = revisions.compare(*revisions.fill_in_names(older.data, newer.data))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": article.headline,
            "article": article,
            "older": older,
            "newer": newer,
            "changes": changes,
            "chosen": chosen,
            "other_versions": other_versions(chosen),
            "may_restore": self.may_restore(request, article),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/revision/compare.html", context)

    # Restoring ---------------------------------------------------------------------------------

    def restore_view(self, request, pk):
        revision = self.viewable_revision(request, pk)
        article = revision.article
        if not self.may_restore(request, article):
            raise PermissionDenied
        if request.method == "POST":
            # A live article takes the old version into its draft of changes, not live.
            target = changes.prepare(article, user=request.user) if article.is_public else article
            return self.restore(request, target, revision)
        latest = article.revisions.order_by("-version", "-pk").first()
        older, newer = revisions.fill_in_names(latest.data, revision.data)
        state, state_label = article_state(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Restore version {revision.version}?",
            "subtitle": article.headline,
            "article": article,
            "revision": revision,
            "latest": latest,
            "state": state,
            "state_label": state_label,
            "changes": revisions.compare(older, newer, fields=revisions.RESTORED),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/revision/restore.html", context)

    def restore(self, request, article, revision):
        try:
            skipped = revisions.restore(article, revision, request.user)
            if article.draft_of_id:
                self.message_user(
                    request,
                    "The story stays live as it was: the old version is in its draft of "
                    "changes, for an editor to publish.",
                )
        except workflow.Refused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(
                request,
                f"“{article}” is back to version {revision.version}, saved as version "
                f"{article.version}. Every earlier version is still in its history.",
                messages.SUCCESS,
            )
            for message in skipped:
                self.message_user(request, message, messages.WARNING)
        return redirect("admin:articles_article_change", article.pk)

    def viewable_revision(self, request, pk):
        revision = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, revision):
            raise PermissionDenied
        return revision


def other_versions(revision):
    """The article's other revisions, newest first, for the version picker."""
    return (
        Revision.objects.filter(article_id=revision.article_id)
        .exclude(pk=revision.pk)
        .order_by("-version", "-pk")
        .only("pk", "version", "created_at", "action")
    )
