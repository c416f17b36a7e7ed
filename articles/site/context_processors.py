from django.conf import settings

from articles.models import Section


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "SITE_DESCRIPTION": settings.SITE_DESCRIPTION,
        # A queryset, so that only pages which show the navigation run the query.
        "nav_sections": Section.objects.all(),
    }
