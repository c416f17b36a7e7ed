from django import forms

from articles.images.renditions import upright
from articles.models import Article, Tag
from articles.sanitize import clean_text


class ArticleAdminForm(forms.ModelForm):
    new_tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Add tags that do not exist yet, separated by commas.",
    )
    # The version the editor started from; a stale one means someone else saved meanwhile.
    edit_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "dek", "body", "hero_image", "hero_alt", "hero_caption",
            "hero_credit", "status", "published_at", "featured", "section", "tags",
            "seo_title", "seo_description",
        ]  # fmt: skip

    def __init__(self, *args, can_publish=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_publish = can_publish
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version
        if not can_publish and "status" in self.fields:
            self.fields["status"].choices = [
                choice
                for choice in self.fields["status"].choices
                if choice[0] != Article.Status.PUBLISHED
            ]

    def clean_hero_image(self):
        # Camera photos are stored upright and without EXIF (no GPS position of a source).
        image = self.cleaned_data.get("hero_image")
        return upright(image) if image and "hero_image" in self.changed_data else image

    def clean_new_tags(self):
        names = [clean_text(name) for name in self.cleaned_data["new_tags"].split(",")]
        names = [name for name in names if name]
        for name in names:
            if len(name) > 100:
                raise forms.ValidationError("A tag name has at most 100 characters.")
        return names

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Article.Status.PUBLISHED and not self.can_publish:
            raise forms.ValidationError("Only editors can publish or schedule an article.")
        return status

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            started_from = cleaned.get("edit_version")
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            current = current.first()
            if started_from is not None and current is not None and started_from != current:
                raise forms.ValidationError(
                    "Someone else saved this article while you were editing it. Your changes "
                    "are still in this form but were not saved: open the article in a new tab, "
                    "compare, and copy what you need before saving again.",
                    code="stale",
                )
        return cleaned

    def tags_to_add(self):
        """The tags typed in: existing ones matched ignoring case, new ones made."""
        return [Tag.objects.named(name) for name in self.cleaned_data.get("new_tags") or []]
