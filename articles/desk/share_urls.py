"""The share links' address, /share/<token>/: outside /desk/ and /admin/, which a deployment
may keep to the newsroom's own network, because the people a story is shared with have no
account."""

from django.urls import path

from .share import SharedArticleView

app_name = "share"

urlpatterns = [
    path("<str:token>/", SharedArticleView.as_view(), name="article"),
]
