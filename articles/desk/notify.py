"""Telling the desk: editors hear of a story submitted for review, its writer of a story sent
back or published. Each message is kept in the desk (a notification) and sent by email
through Django's email framework (the console on a laptop, SMTP from EMAIL_URL in
production), once the save has committed."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from articles.addresses import absolute_url

from .models import Notification

logger = logging.getLogger(__name__)


def after(article, action, *, user, note=""):
    from .workflow import Action

    if action == Action.SUBMIT:
        recipients, kind = editors(), Notification.Kind.SUBMITTED
        text = f"{user_name(user)} submitted “{article.headline}” for review."
    elif action == Action.RETURN:
        recipients, kind = writers(article), Notification.Kind.RETURNED
        text = f"{user_name(user)} sent “{article.headline}” back to you."
    elif action in (Action.PUBLISH, Action.SCHEDULE, Action.PUBLISH_CHANGES):
        recipients, kind = writers(article), Notification.Kind.PUBLISHED
        when = (
            "is live" if article.is_public else f"goes live {article.published_at:%Y-%m-%d %H:%M}"
        )
        text = f"“{article.headline}” {when} (by {user_name(user)})."
    else:
        return
    if note:
        text += f"\n\nNote: {note}"
    send(recipients.exclude(pk=user.pk), article, kind, text)


def editors():
    """Active staff who may publish, directly or through a group."""
    publish = Q(codename="publish_article", content_type__app_label="articles")
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=_permissions(publish))
            | Q(groups__permissions__in=_permissions(publish))
        )
        .distinct()
    )


def writers(article):
    """Who wrote the story: the desk users who saved or submitted it, and its bylined
    authors who have an account."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(revision__article=article) | Q(author_profile__bylines__article=article))
        .distinct()
    )


def _permissions(condition):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(condition)


def user_name(user):
    return user.get_full_name() or user.get_username()


def send(recipients, article, kind, text):
    recipients = list(recipients)
    Notification.objects.bulk_create(
        Notification(recipient=person, article=article, kind=kind, message=text)
        for person in recipients
    )
    addresses = [person.email for person in recipients if person.email]
    if not addresses:
        return
    link = absolute_url(reverse("admin:articles_article_change", args=[article.pk]))
    subject = f"[{settings.SITE_NAME}] {text.splitlines()[0]}"

    def mail():
        try:
            send_mail(subject, f"{text}\n\n{link}\n", None, addresses)
        except OSError:
            # The mail server is down: the notification is in the desk; the save stands.
            logger.warning(
                "Could not email %d desk member(s) about article %s", len(addresses), article.pk
            )

    transaction.on_commit(mail, robust=True)
