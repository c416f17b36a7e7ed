from django import forms
from django.utils import timezone

from articles.body import with_marker_labels
from articles.models import Article, Tag
from articles.sanitize import clean_text

from . import workflow
from .lookup import marker_state
from .revisions import changes_since


class ArticleAdminForm(forms.ModelForm):
    new_tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Add tags that do not exist yet, separated by commas.",
    )
    # The version the editor started from; a stale one means someone else saved meanwhile.
    edit_version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    save_anyway = forms.BooleanField(
        label="Save my version anyway",
        required=False,
        help_text="Someone else saved this article while you were editing it. Tick this to "
        "replace their version with what is in this form.",
    )
    desk_note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For the writer when you send the article back, or for the revision history.",
    )

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "dek", "body", "hero_image", "hero_alt", "hero_caption",
            "hero_credit", "published_at", "expires_at", "featured", "section", "tags",
            "seo_title", "seo_description",
        ]  # fmt: skip

    def __init__(self, *args, user=None, action=workflow.Action.SAVE, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.action = action
        self.conflict = None  # the revision someone else saved meanwhile, if any
        self.conflict_changes = None
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version
            self.initial["body"] = labelled_body(self.instance)

    def clean_new_tags(self):
        names = [clean_text(name) for name in self.cleaned_data["new_tags"].split(",")]
        names = [name for name in names if name]
        for name in names:
            if len(name) > 100:
                raise forms.ValidationError("A tag name has at most 100 characters.")
        return names

    def clean(self):
        cleaned = super().clean()
        self._check_not_stale(cleaned)
        published_at, expires_at = cleaned.get("published_at"), cleaned.get("expires_at")
        if published_at and expires_at and expires_at <= published_at:
            self.add_error("expires_at", "The take-down time must come after the publish time.")
        return cleaned

    def _post_clean(self):
        # The workflow step is part of this save: it sees the form's values, and a refusal is a
        # form error, with everything typed still in the form.
        super()._post_clean()
        if self.errors:
            return
        try:
            workflow.prepare(self.instance, self.action, user=self.user)
        except workflow.Refused as refusal:
            self.add_error(None, str(refusal))

    def _check_not_stale(self, cleaned):
        started_from = cleaned.get("edit_version")
        if not self.instance.pk or started_from is None:
            return
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        current = current.first()
        if current is None or current == started_from or cleaned.get("save_anyway"):
            return
        self.conflict = self.instance.revisions.select_related("user").first()
        # What they changed since this editor opened the form, as the revisions' diff shows it.
        self.conflict_changes = changes_since(self.instance, started_from)
        raise forms.ValidationError(conflict_message(self.conflict), code="stale")

    @property
    def is_new_draft_with_a_future_time(self):
        """A draft saved with a future publish time: not scheduled, and worth saying so."""
        instance = self.instance
        return (
            self.action == workflow.Action.SAVE
            and instance.status != Article.Status.PUBLISHED
            and instance.published_at is not None
            and instance.published_at > timezone.now()
        )

    def tags_to_add(self):
        """The tags typed in: existing ones matched ignoring case, new ones made."""
        return [Tag.objects.named(name) for name in self.cleaned_data.get("new_tags") or []]


def conflict_message(revision):
    if revision is None:
        who_when = "Someone else saved this article"
    else:
        who = workflow_user_name(revision.user)
        when = timezone.localtime(revision.created_at)
        who_when = f"{who} saved this article at {when:%H:%M} on {when:%b %d}"
    return (
        f"{who_when}, while you were editing it. Nothing of yours was saved, and everything "
        "you typed is still in this form. Compare their changes below; then either tick "
        "“Save my version anyway” and save, or reload the article to start from theirs."
    )


def workflow_user_name(user):
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def labelled_body(article):
    """The body as the editor shows it: each SEE ALSO box with its target's current headline
    (or the outside link's title) and, while readers cannot see the target, its state."""
    if "data-see-also" not in article.body:
        return article.body
    links = {link.key: link for link in article.related_links.select_related("target_article")}

    def label(key):
        link = links.get(key)
        if link is None:
            return None
        if link.is_external:
            return link.title, ""
        return link.target_article.headline, marker_state(link.target_article)

    return with_marker_labels(article.body, label)
