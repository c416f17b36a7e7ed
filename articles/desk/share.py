"""Share links: an unpublished article shown to someone without an account, until the link
expires or is revoked.

The address carries the link's key signed with the site's SECRET_KEY, so a tampered or made-up
token is refused before the database is asked, and a key alone (from a backup, say) is not an
address. Expiry and revocation live on the `ShareLink` row, where an editor can change them.
"""

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from articles.addresses import absolute_url
from articles.caching import private_page
from articles.models import Article
from articles.site.views import ArticleDetailView

from .models import ShareLink

SALT = "newsroom.share"


def share_token(link):
    return signing.Signer(salt=SALT).sign(link.key)


def share_url(link):
    """The address to send: absolute, on SITE_URL."""
    return absolute_url(reverse("share:article", kwargs={"token": share_token(link)}))


def valid_link(token):
    """The valid share link that `token` names, of an article not in the trash; else 404."""
    try:
        key = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        raise Http404("No such share link.") from None
    links = ShareLink.objects.valid().filter(article__trashed_at__isnull=True)
    return get_object_or_404(links, key=key)


class SharedArticleView(ArticleDetailView):
    """The article as readers will see it, for whoever holds a valid share link.

    In the desk rather than the site: the site only ever reads public content, and this page
    is the desk's, lent out for a while.
    """

    template_name = "desk/shared_article.html"

    def get_object(self, queryset=None):
        self.link = valid_link(self.kwargs["token"])
        return get_object_or_404(self.get_queryset(), pk=self.link.article_id)

    def get_queryset(self):
        return Article.objects.with_everything()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.is_public:
            # Published since the link was made: the real page says the same, and is current.
            return redirect(self.object)
        context = self.get_context_data(object=self.object)
        return private_page(self.render_to_response(context), secret_address=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(share_link=self.link, **kwargs)
