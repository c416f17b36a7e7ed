from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from articles.desk.models import ShareLink
from articles.desk.share import share_url

# A link is for a review before publication, not a second, private edition of the site.
MAX_HOURS = 30 * 24


class ShareLinkForm(forms.ModelForm):
    hours = forms.IntegerField(
        label="works for (hours)",
        required=False,
        min_value=1,
        max_value=MAX_HOURS,
    )

    class Meta:
        model = ShareLink
        fields = ["article", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = settings.SHARE_LINK_HOURS  # read per form, so a changed setting shows
        if hours := self.fields.get("hours"):
            hours.help_text = f"Leave empty for {default} hours; at most {MAX_HOURS}."

    def clean_article(self):
        article = self.cleaned_data["article"]
        if article.trashed_at:
            raise forms.ValidationError("This article is in the trash.")
        if article.is_public:
            raise forms.ValidationError(
                "This article is public already: send its address instead of a share link."
            )
        return article


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("valid", "Valid"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        match self.value():
            case "valid":
                return queryset.valid()
            case "expired":
                return queryset.filter(revoked_at__isnull=True, expires_at__lte=timezone.now())
            case "revoked":
                return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Links that show an unpublished article to someone without an account. Editors make
    and revoke them; writers have no permission on them, so the admin refuses them."""

    form = ShareLinkForm
    list_display = ["article", "note", "created_by", "expires_at", "state", "address"]
    list_filter = [StateFilter]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__headline", "note"]
    autocomplete_fields = ["article"]
    actions = ["revoke"]

    class Media:
        css = {"all": ["desk/desk.css"]}

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["article", "note", "hours"]
        return [
            "article",
            "address",
            "state",
            "note",
            "created_by",
            "created_at",
            "expires_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [field for field in self.get_fields(request, obj) if field != "note"]

    @admin.display(description="state")
    def state(self, obj):
        name, label = link_state(obj)
        return format_html('<span class="desk-state desk-state--{}">{}</span>', name, label)

    @admin.display(description="address to send")
    def address(self, obj):
        if link_state(obj)[0] != "live":
            return "—"
        return format_html('<a href="{0}">{0}</a>', share_url(obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.created_at = timezone.now()
            hours = form.cleaned_data.get("hours") or settings.SHARE_LINK_HOURS
            obj.expires_at = obj.created_at + timedelta(hours=hours)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        expires = timezone.localtime(obj.expires_at)
        self.message_user(
            request,
            f"Send this address: {share_url(obj)} (it works until {expires:%b %d, %H:%M}).",
            messages.SUCCESS,
        )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(
        description="Revoke",
        permissions=["change"],
        location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
    )
    def revoke(self, request, queryset):
        links = list(queryset.filter(revoked_at__isnull=True).select_related("article"))
        ShareLink.objects.filter(pk__in=[link.pk for link in links]).update(
            revoked_at=timezone.now()
        )
        for link in links:
            self.log_change(request, link, "Revoked")
        self.message_user(request, f"Revoked: {len(links)} share link(s).")


def link_state(link):
    """(css name, label) of whether the link works, in the article list's badge colours."""
    if link.revoked_at:
        return "trashed", "Revoked"
    if link.expires_at <= timezone.now():
        return "expired", "Expired"
    if link.article.trashed_at:
        return "trashed", "Article in the trash"
    return "live", "Valid"
