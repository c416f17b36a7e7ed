"""Newsroom settings: one module, every deploy-specific value from the environment."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django_prose_editor.config import html_tags, process_link
from js_asset import static_lazy

from articles.desk import editor as desk_editor

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (in the environment or .env) when DEBUG is off."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base URL for feeds, sitemaps and share links, e.g. https://news.example.com
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Newsroom")
SITE_DESCRIPTION = env.str(
    "SITE_DESCRIPTION",
    default="Independent reporting on China's technology and electric-vehicle industries.",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_prose_editor",
    "django_tasks_db",
    # The content model, then one room per concern (see docs/architecture.md).
    "articles",
    "articles.desk",
    "articles.site",
    "articles.syndication",
    "articles.search",
    "articles.images",
    "articles.cache",
    "articles.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "articles.site.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted server does not break requests.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the one writer work at the same time on a laptop.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
    )

_cache_prefix = env.str("CACHE_KEY_PREFIX", default="newsroom")
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://newsroom"),
    # The page cache (articles/cache/): in Redis, shared by every app server; without Redis, in
    # each process's memory, in a store of its own.
    "pages": env.cache(
        "PAGE_CACHE_URL", default=env.str("CACHE_URL", default="") or "locmemcache://pages"
    ),
}
CACHES["default"].setdefault("KEY_PREFIX", _cache_prefix)
CACHES["pages"].setdefault("KEY_PREFIX", f"{_cache_prefix}:pages")
if CACHES["pages"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1000)
# Redis down or slow means no cache at once, rather than requests waiting on it.
_cache_timeout = env.float("CACHE_TIMEOUT_SECONDS", default=0.25)
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _cache.setdefault("OPTIONS", {}).setdefault("socket_timeout", _cache_timeout)
        _cache["OPTIONS"].setdefault("socket_connect_timeout", _cache_timeout)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-us")
TIME_ZONE = env.str("TIME_ZONE", default="UTC")

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env.bool("PLAIN_STATIC_STORAGE", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security: safe by default, relaxed only by explicit environment values. Django's own
# defaults already send nosniff, COOP same-origin, X-Frame-Options DENY and HttpOnly,
# SameSite=Lax session cookies.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True

# Public pages carry no inline script or style; the admin's scripts get a per-request nonce.
# The one hash is the base stylesheet that the admin's rich-text editor (Tiptap) injects.
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, PROSE_EDITOR_STYLE_HASH],
    "img-src": [CSP.SELF, "data:", "blob:", *env.list("CSP_IMG_SOURCES", default=[])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGIN_URL = "admin:login"

# The body editor's own extensions (ES modules in static/desk/, no build step), enabled in the
# body field's BODY_EDITOR_EXTENSIONS. Each names what it adds to the HTML, as a callable:
# django-prose-editor 0.28 cannot import a dotted path here (it imports the extension's name
# instead). The body's real allow-list is articles/sanitize.py.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("desk/body_image.js")],
        "extensions": {"BodyImage": html_tags(["figure"], {"figure": ["data-image"]})},
    },
    {
        "js": [static_lazy("desk/see_also.js")],
        "extensions": {"SeeAlso": desk_editor.see_also_allowlist},
    },
    {"js": [static_lazy("desk/link.js")], "extensions": {"DeskLink": process_link}},
    {"js": [static_lazy("desk/paste.js")], "extensions": {"PasteCleanup": desk_editor.no_markup}},
    {
        "js": [static_lazy("desk/writing.js")],
        "extensions": {"Spellcheck": desk_editor.no_markup, "WordCount": desk_editor.no_markup},
    },
]

# Desk notifications by email (Django 6.1's MAILERS): EMAIL_URL names the SMTP server, e.g.
# smtp+tls://user:password@mail.example.com:587; without it, the console with DEBUG, else the
# mail server on this host.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_TIMEOUT": "timeout",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for key, option in _MAILER_OPTIONS.items()
            if _email.get(key) is not None
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")

# Seconds of quiet after an editor's last keystroke before the article form autosaves.
AUTOSAVE_SECONDS = env.float("AUTOSAVE_SECONDS", default=3)

# How long a share link for an unpublished article works, unless set per link.
SHARE_LINK_HOURS = env.int("SHARE_LINK_HOURS", default=48)
# How long a trashed article can be restored before `purge_trash` deletes it for good.
TRASH_DAYS = env.int("TRASH_DAYS", default=30)

# How long a browser may keep what readers get (seconds), applied by articles/caching.py.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
FEED_CACHE_SECONDS = env.int("FEED_CACHE_SECONDS", default=300)
SITEMAP_CACHE_SECONDS = env.int("SITEMAP_CACHE_SECONDS", default=15 * 60)
NEWS_SITEMAP_CACHE_SECONDS = env.int("NEWS_SITEMAP_CACHE_SECONDS", default=5 * 60)
ROBOTS_CACHE_SECONDS = env.int("ROBOTS_CACHE_SECONDS", default=60 * 60)
# A CDN keeps any of them at most this long (s-maxage), then asks again: the page cache answers
# that in a millisecond, with a 304 when nothing changed.
CDN_CACHE_SECONDS = env.int("CDN_CACHE_SECONDS", default=10)
# After those times a CDN may serve the old copy this long while it fetches a new one, and
# this long if the site answers with an error or not at all.
STALE_WHILE_REVALIDATE_SECONDS = env.int("STALE_WHILE_REVALIDATE_SECONDS", default=30)
STALE_IF_ERROR_SECONDS = env.int("STALE_IF_ERROR_SECONDS", default=24 * 60 * 60)
# Uploaded images and their renditions are never changed under the same name.
MEDIA_CACHE_SECONDS = env.int("MEDIA_CACHE_SECONDS", default=365 * 24 * 60 * 60)

# The page cache (articles/cache/): anonymous readers' pages, feeds and sitemaps answered at the
# WSGI edge from the "pages" cache, never stale: every write to the content changes every key.
# Off with DEBUG (templates edited on a laptop change no key).
EDGE_CACHE = env.bool("EDGE_CACHE", default=not DEBUG)
# The longest a page is kept; never past the next scheduled publication or take-down.
EDGE_CACHE_SECONDS = env.int("EDGE_CACHE_SECONDS", default=60 * 60)
# How long a feed entry's rendered content is kept in the default cache, under a digest of all
# it shows (articles/syndication/contents.py); 0 keeps none (with DEBUG, so that an edited
# template shows at once).
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=0 if DEBUG else 24 * 60 * 60)

# The benchmark's ceiling (bench/run.py): /_bench/ceiling/, a fixed answer through the whole
# stack. Never on in production.
BENCH_CEILING = env.bool("BENCH_CEILING", default=False)

# Work done after a request, by a worker process (`manage.py db_worker`): image renditions.
# The database backend keeps the queue in the site's own database; no other service to run.
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}

# Uploaded images (hero images, author photos, images in article bodies): refused above these,
# with a form error; the pixel count is read from the file's header before anything is decoded.
IMAGE_MAX_MEGABYTES = env.int("IMAGE_MAX_MEGABYTES", default=20)
IMAGE_MAX_MEGAPIXELS = env.int("IMAGE_MAX_MEGAPIXELS", default=40)

# WebSub: when set, feeds name this hub and every publication pings it.
WEBSUB_HUB_URL = env.str("WEBSUB_HUB_URL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Larger uploads (images up to IMAGE_MAX_MEGABYTES) are spooled to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
