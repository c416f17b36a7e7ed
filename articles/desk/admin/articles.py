from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles.body import placed_keys
from articles.desk import autosave, changes, editor, workflow
from articles.desk.forms import ArticleAdminForm
from articles.desk.workflow import Action, article_state
from articles.images.tasks import request_renditions
from articles.models import Article, Byline, RelatedLink, Revision, public_condition


def can_publish(request):
    return workflow.can_publish(request.user)


class StateFilter(admin.SimpleListFilter):
    """The article's place in the workflow. Without a choice, the trash is left out."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
            ("pending", "Live, with unpublished changes"),
            ("expired", "Taken down (expired)"),
            ("trashed", "In the trash"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        # Drafts of changes are reached from their live article, never listed on their own.
        queryset = queryset.filter(draft_of__isnull=True)
        published = queryset.filter(status=Article.Status.PUBLISHED, trashed_at__isnull=True)
        match self.value():
            case "draft" | "review":
                return queryset.filter(status=self.value(), trashed_at__isnull=True)
            case "scheduled":
                return published.filter(published_at__gt=now)
            case "live":
                return queryset.filter(public_condition())
            case "pending":
                return queryset.filter(pending_draft__isnull=False)
            case "expired":
                return published.filter(expires_at__lte=now)
            case "trashed":
                return queryset.filter(trashed_at__isnull=False)
        return queryset.filter(trashed_at__isnull=True)


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["position", "author"]
    extra = 0
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"


class RelatedLinkFormSet(BaseInlineFormSet):
    """The SEE ALSO links of the closing block: those placed nowhere in the text. Boxes in
    the text are edited in the body editor."""

    def get_queryset(self):
        if not hasattr(self, "_end_links"):
            # By the stored body, so that the rows are the ones the form showed.
            self._end_links = super().get_queryset().not_placed_in(self.instance._saved_body)
        return self._end_links

    def delete_existing(self, obj, commit=True):
        # Taken off the list because the editor placed it in the text: it stays, as a box.
        # (Read as stored: the deleted form has emptied the row's fields.)
        stored = RelatedLink.objects.filter(pk=obj.pk).first()
        if stored and stored.key not in placed_keys(self.instance.body):
            super().delete_existing(obj, commit=commit)

    def clean(self):
        super().clean()
        seen = set()
        in_text = placed_keys(self.instance.body)
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            data = getattr(form, "cleaned_data", {})
            target, url = data.get("target_article"), data.get("url")
            if not (target or url) or data.get("DELETE"):
                continue
            key = str(target.pk) if target else url
            if key in in_text:
                field = "target_article" if target else "url"
                form.add_error(field, "This link is placed in the text as a SEE ALSO box.")
            elif key in seen:
                field = "target_article" if target else "url"
                form.add_error(field, "This link is already in the SEE ALSO list.")
            seen.add(key)


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    formset = RelatedLinkFormSet
    fk_name = "article"
    autocomplete_fields = ["target_article"]
    fields = ["position", "target_article", "url", "title"]
    extra = 0
    verbose_name = "SEE ALSO link"
    verbose_name_plural = (
        "SEE ALSO links at the end of the article, in order (to place one between paragraphs, "
        "use the SEE ALSO button in the body editor)"
    )


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["version", "created_at", "user", "action", "note", "compare_link"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "revisions (every saved version is kept; open one to restore it)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="changes")
    def compare_link(self, obj):
        if obj.pk is None:
            return ""
        url = reverse("admin:articles_revision_compare_previous", args=[obj.pk])
        return format_html('<a href="{}">compare with previous</a>', url)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["headline", "state_badge", "section", "byline_names", "published_at"]
    list_filter = [StateFilter, "featured", "section", "tags", "bylines__author", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    ordering = ["-updated_at", "-pk"]  # newest work first
    autocomplete_fields = ["section", "tags"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, RelatedLinkInline, RevisionInline]
    readonly_fields = [
        "state_badge",
        "hero_preview",
        "first_published_at",
        "created_at",
        "updated_at",
        "version",
    ]
    save_on_top = True
    show_facets = admin.ShowFacets.ALLOW
    actions = ["publish_now", "unpublish", "submit_for_review", "restore_from_trash"]
    fieldsets = [
        ("Content", {"fields": ["headline", "slug", "dek", "body"]}),
        (
            "Hero image",
            {"fields": ["hero_image", "hero_preview", "hero_alt", "hero_caption", "hero_credit"]},
        ),
        (
            "Publication",
            {
                "fields": [
                    "state_badge",
                    "published_at",
                    "expires_at",
                    "featured",
                    "desk_note",
                    "save_anyway",
                    "edit_version",
                    ("first_published_at", "created_at", "updated_at", "version"),
                ],
                "description": "Publish, schedule, submit or send back with the buttons below "
                "the form: each first saves what is in the form.",
            },
        ),
        ("Taxonomy", {"fields": ["section", "tags", "new_tags"]}),
        ("SEO", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    @property
    def media(self):
        desk = forms.Media(
            css={"all": ["desk/desk.css", "desk/body_image.css"]}, js=["desk/autosave.js"]
        )
        return super().media + desk + editor.media  # with the body editor's import map

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(has_pending_draft=Exists(Article.objects.filter(draft_of=OuterRef("pk"))))
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_search_results(self, request, queryset, search_term):
        # SEE ALSO targets: no drafts of changes, nothing in the trash.
        if request.path == reverse("admin:autocomplete"):
            queryset = queryset.filter(draft_of__isnull=True, trashed_at__isnull=True)
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self):
        step = self.admin_site.admin_view
        return [
            path("<path:object_id>/changes/", step(self.edit_live_view), name="article_changes"),
            path(
                "<path:object_id>/discard-changes/",
                step(self.discard_changes_view),
                name="article_discard_changes",
            ),
            path(
                "<path:object_id>/unpublish/", step(self.unpublish_view), name="article_unpublish"
            ),
            *super().get_urls(),
        ]

    def edit_live_view(self, request, object_id):
        """Open (making it first if need be) the pending draft of changes of a live article."""
        live = self._posted_article(request, object_id)
        if not self.has_view_permission(request, live) or not request.user.has_perm(
            "articles.change_article"
        ):
            raise PermissionDenied
        draft = changes.prepare(live, user=request.user)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[draft.pk]))

    def discard_changes_view(self, request, object_id):
        draft = self._posted_article(request, object_id)
        if not draft.draft_of_id or not self.has_change_permission(request, draft):
            raise PermissionDenied
        live = changes.discard(draft, user=request.user)
        self.message_user(request, "The draft of changes was discarded; it is kept as a revision.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[live.pk]))

    def unpublish_view(self, request, object_id):
        live = self._posted_article(request, object_id)
        if not can_publish(request):
            raise PermissionDenied
        workflow.take(live, Action.UNPUBLISH, user=request.user)
        self.message_user(request, f"“{live}” was unpublished; it is a draft again.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[live.pk]))

    def _posted_article(self, request, object_id):
        if request.method != "POST":
            raise PermissionDenied  # steps change things: never on a GET
        return get_object_or_404(Article, pk=object_id)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user, action = request.user, requested_action(request)

        class DeskForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, user=user, action=action, **form_kwargs)

        return DeskForm

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # A draft of changes keeps its live article's address (see articles.desk.changes).
        return [*fields, "slug"] if obj is not None and obj.draft_of_id else fields

    def get_prepopulated_fields(self, request, obj=None):
        return (
            {}
            if obj is not None and obj.draft_of_id
            else super().get_prepopulated_fields(request, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # "Save anyway" only after a refused, stale save.
        if not (request.method == "POST" and requested_conflict(request, obj)):
            fieldsets = [
                (name, {**options, "fields": without(options["fields"], "save_anyway")})
                for name, options in fieldsets
            ]
        if obj is not None and not self.has_change_permission(request, obj):
            # Read, not edited, here (a live story): the body as readers read it, not its HTML.
            fieldsets = [
                (name, {**options, "fields": replaced(options["fields"], "body", "body_as_read")})
                for name, options in fieldsets
            ]
        return fieldsets

    @admin.display(description="body")
    def body_as_read(self, obj):
        parts, _ = Article.objects.with_everything().get(pk=obj.pk).body_with_links()
        return render_to_string("admin/articles/article/body_as_read.html", {"parts": parts})

    @admin.display(description="state")
    def state_badge(self, obj):
        state, label = article_state(obj)
        return format_html('<span class="desk-state desk-state--{}">{}</span>', state, label)

    @admin.display(description="current image")
    def hero_preview(self, obj):
        # The original file, small: renditions are made after saving.
        if not obj.hero_image:
            return "None yet."
        return format_html(
            '<img class="desk-hero-thumb" src="{}" alt="{}"><span class="desk-hero-alt">{}</span>',
            obj.hero_image.url,
            obj.hero_alt,
            f"Alt text: {obj.hero_alt}" if obj.hero_alt else "No alt text yet.",
        )

    @admin.display(description="authors")
    def byline_names(self, obj):
        return ", ".join(author.name for author in obj.byline)

    def view_on_site(self, obj):
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("site:preview", kwargs={"pk": obj.pk})

    # A live article is changed only through its pending draft of changes. Writers may work on
    # drafts (those of live articles too); published work is otherwise an editor's.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_public:
            return False
        if obj is not None and not can_publish(request):
            if obj.status == Article.Status.PUBLISHED or obj.trashed_at:
                return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Writers may trash their unpublished drafts; only editors empty the trash.
        if obj is not None and (obj.first_published_at or obj.trashed_at):
            if not can_publish(request):
                return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return can_publish(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The stored article, fetched apart from the one the form binds: a refused save changes
        # that one in memory (status, times), and the buttons must follow what is stored.
        article = self.get_object(request, object_id) if object_id else None
        pending_draft = article and changes.pending_draft(article)
        extra_context = {
            **(extra_context or {}),
            "pending_draft": pending_draft,
            "desk_body_editor": editor.form_config(article, pending_draft),
            "can_publish": can_publish(request),
            "workflow_steps": [
                (step.value, BUTTON_LABELS[step])
                for step in workflow.available(article or Article(), request.user)
            ],
            **autosave.form_context(request, article),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        form.was_public = change and workflow.was_public(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        autosave.discard(article, request.user)
        if "hero_image" in form.changed_data:
            request_renditions(article.hero_image)
        if new_tags := form.tags_to_add():
            form.instance.tags.add(*new_tags)
        workflow.record(
            article,
            # Publishing changes records on the live article (changes.publish); here, a save.
            Action.SAVE if form.action == Action.PUBLISH_CHANGES else form.action,
            user=request.user,
            was_public=form.was_public,
            note=form.cleaned_data.get("desk_note", ""),
        )
        if form.action == Action.PUBLISH_CHANGES:
            form.published_live = changes.publish(article, user=request.user)
        if form.is_new_draft_with_a_future_time:
            self.message_user(
                request,
                "Saved as a draft with a publish time, but not scheduled: it will not go live "
                "by itself. Press “Schedule” to have it go live at that time.",
                messages.WARNING,
            )

    def response_change(self, request, obj):
        if requested_action(request) == Action.PUBLISH_CHANGES:
            live = Article.objects.get(pk=obj.draft_of_id)
            self.message_user(request, f"The changes to “{live}” are live.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[live.pk]))
        self.say_what_happened(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        self.say_what_happened(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def say_what_happened(self, request, obj):
        action = requested_action(request)
        if action == Action.PUBLISH:
            self.message_user(request, f"“{obj}” is live.", messages.SUCCESS)
        elif action == Action.SCHEDULE:
            when = timezone.localtime(obj.published_at)
            self.message_user(request, f"“{obj}” goes live {when:%b %d, %H:%M}.", messages.SUCCESS)
        elif action in (Action.SUBMIT, Action.RETURN, Action.UNPUBLISH):
            self.message_user(request, f"“{obj}”: {action.label.lower()}.", messages.SUCCESS)

    # Deleting moves to the trash; only the trash's own action deletes for good.
    def delete_model(self, request, obj):
        if obj.trashed_at:
            workflow.delete_for_good(obj, user=request.user)
        else:
            workflow.take(obj, Action.TRASH, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    def get_deleted_objects(self, objs, request):
        # Moving to the trash deletes nothing; deleting for good takes the rows that belong to
        # the article with it (bylines, links, revisions, notifications, share links), which no
        # one deletes on their own.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def log_deletions(self, request, queryset):
        pass  # the workflow writes its own line: moved to the trash, or deleted for good

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Django says "deleted" after delete_model(); here that means "moved to the trash".
        if isinstance(message, str) and "was deleted successfully" in message:
            message = message.replace("was deleted successfully", "was moved to the trash")
        super().message_user(request, message, level, *args, **kwargs)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self.take_in_bulk(request, queryset.exclude(public_condition()), Action.PUBLISH)

    @admin.action(description="Unpublish", permissions=["publish"])
    def unpublish(self, request, queryset):
        published = queryset.filter(status=Article.Status.PUBLISHED, trashed_at__isnull=True)
        self.take_in_bulk(request, published, Action.UNPUBLISH)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        drafts = queryset.filter(status=Article.Status.DRAFT, trashed_at__isnull=True)
        self.take_in_bulk(request, drafts, Action.SUBMIT)

    @admin.action(description="Restore from the trash", permissions=["publish"])
    def restore_from_trash(self, request, queryset):
        self.take_in_bulk(request, queryset.filter(trashed_at__isnull=False), Action.RESTORE)

    def take_in_bulk(self, request, queryset, action):
        done = 0
        for article in queryset:
            try:
                workflow.take(article, action, user=request.user)
            except workflow.Refused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                continue
            done += 1
        self.message_user(request, BULK_SUMMARIES[action].format(count=done))


BULK_SUMMARIES = {
    Action.PUBLISH: "Published {count} article(s).",
    Action.UNPUBLISH: "Unpublished {count} article(s); they are drafts again.",
    Action.SUBMIT: "Submitted {count} draft(s) for review.",
    Action.RESTORE: "Restored {count} article(s) from the trash.",
}

BUTTON_LABELS = {
    Action.SAVE: "Save",
    Action.SUBMIT: "Submit for review",
    Action.RETURN: "Send back to the writer",
    Action.PUBLISH: "Publish now",
    Action.SCHEDULE: "Schedule",
    Action.UNPUBLISH: "Unpublish",
    Action.RESTORE: "Restore from the trash",
    Action.PUBLISH_CHANGES: "Publish changes",
}


def requested_action(request):
    """The workflow button pressed (a plain Save without one)."""
    try:
        return Action(request.POST.get("_workflow", Action.SAVE))
    except ValueError:
        return Action.SAVE


def requested_conflict(request, obj):
    return obj is not None and request.POST.get("edit_version") not in ("", None, str(obj.version))


def without(fields, name):
    return [field for field in fields if field != name]


def replaced(fields, name, by):
    return [by if field == name else field for field in fields]
