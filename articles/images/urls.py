"""The images room's desk endpoints (under /desk/images/, staff only)."""

from django.urls import path

from . import views

app_name = "images"

urlpatterns = [
    path("body/", views.chooser, name="body_images"),
    path("body/upload/", views.upload, name="upload_body_image"),
]
