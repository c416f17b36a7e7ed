import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

# Anonymous readers' pages come from the page cache, before Django's per-request work.
from articles.cache.edge import wrap  # noqa: E402 (the apps must be loaded first)

application = wrap(django_application)
