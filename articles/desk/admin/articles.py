from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.urls import reverse

from articles.desk import workflow
from articles.desk.forms import ArticleAdminForm
from articles.images.renditions import generate_renditions
from articles.models import Article, Byline, RelatedLink, Revision, public_condition

BOTH_PLACES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def can_publish(request):
    return request.user.has_perm("articles.publish_article")


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["position", "author"]
    extra = 0
    min_num = 1
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"


class RelatedLinkFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            data = getattr(form, "cleaned_data", {})
            target = data.get("target_article")
            if not target or data.get("DELETE"):
                continue
            if target.pk in seen:
                form.add_error("target_article", "This article is already in the SEE ALSO list.")
            seen.add(target.pk)


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    formset = RelatedLinkFormSet
    fk_name = "article"
    autocomplete_fields = ["target_article"]
    fields = ["position", "target_article", "url", "title", "after_paragraph"]
    extra = 0
    verbose_name = "SEE ALSO link"
    verbose_name_plural = "SEE ALSO links (in order; inline after a paragraph, or at the end)"


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["version", "created_at", "user"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "revisions (every saved version is kept)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["headline", "status_label", "section", "byline_names", "published_at"]
    list_filter = ["status", "featured", "section", "tags", "bylines__author", "published_at"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["section", "tags"]
    prepopulated_fields = {"slug": ["headline"]}
    inlines = [BylineInline, RelatedLinkInline, RevisionInline]
    readonly_fields = ["first_published_at", "created_at", "updated_at", "version"]
    save_on_top = True
    show_facets = admin.ShowFacets.ALLOW
    actions = ["publish_now", "unpublish", "submit_for_review"]
    fieldsets = [
        ("Content", {"fields": ["headline", "slug", "dek", "body"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "published_at",
                    "featured",
                    "edit_version",
                    ("first_published_at", "created_at", "updated_at", "version"),
                ]
            },
        ),
        ("Taxonomy", {"fields": ["section", "tags", "new_tags"]}),
        ("SEO", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        allowed = can_publish(request)

        class RoleAwareForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, can_publish=allowed, **form_kwargs)

        return RoleAwareForm

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="authors")
    def byline_names(self, obj):
        return ", ".join(author.name for author in obj.byline)

    def view_on_site(self, obj):
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("site:preview", kwargs={"pk": obj.pk})

    # Writers may work on drafts; published work is an editor's to change or delete.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Article.Status.PUBLISHED and not can_publish(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.first_published_at and not can_publish(request):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # Revisions belong to their article and go with it; nobody deletes them on their own.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed.discard(Revision._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def has_publish_permission(self, request):
        return can_publish(request)

    def save_model(self, request, obj, form, change):
        form.was_public = change and workflow.was_public(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if "hero_image" in form.changed_data and article.hero_image:
            try:
                generate_renditions(article.hero_image, force=True)
            except ValueError as error:
                self.message_user(
                    request,
                    f"The article was saved, but its hero image could not be prepared: {error}",
                    messages.WARNING,
                )
        if new_tags := form.tags_to_add():
            form.instance.tags.add(*new_tags)
        workflow.record(article, user=request.user, was_public=form.was_public)

    @admin.action(description="Publish now", permissions=["publish"], location=BOTH_PLACES)
    def publish_now(self, request, queryset):
        published = 0
        for article in queryset.exclude(public_condition()):
            try:
                workflow.publish(article, user=request.user)
            except workflow.NotReady as problem:
                self.message_user(request, str(problem), messages.ERROR)
                continue
            published += 1
        self.message_user(request, f"Published {published} article(s).")

    @admin.action(description="Unpublish", permissions=["publish"], location=BOTH_PLACES)
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            workflow.unpublish(article, user=request.user)
            count += 1
        self.message_user(request, f"Unpublished {count} article(s); they are drafts again.")

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            workflow.submit_for_review(article, user=request.user)
            count += 1
        self.message_user(request, f"Submitted {count} draft(s) for review.")
