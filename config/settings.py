"""Settings for the Security Council vote tracker.

Everything that differs between a laptop and production comes from the
environment, read through the small strict helpers below. The defaults are
safe for local use; with DEBUG off the site refuses to start without a real
SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from resolutions import licence

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from exc


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: use one of {', '.join(choices)}")
    return value


def cache_from_url(url: str) -> dict:
    """CACHE_URL: redis://host:port/db (shared by every server) or locmem:// (per process)."""
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sc-votes"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        # Django's own Redis backend; it needs the redis package.
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL={url!r}: use redis://…, locmem:// or dummy://")


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number") from exc


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: a fixed, obviously insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's public address (https://votes.example.org), for the absolute links a
# page gives of itself: canonical, share cards, sitemap. Unset: the request's host.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "csp",
    "simple_history",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "votes",
    "resolutions",
    "config.apps.SiteConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (editors are never limited), before the page cache.
    "config.ratelimit.AnonymousRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Between the two: the embeds get no X-Frame-Options, cached or not.
    "config.framing.EmbedFramingMiddleware",
    "config.routers.ReplicaMiddleware",
    "resolutions.caching.PublicCacheMiddleware",
    "config.errors.DesignedErrorPagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "resolutions.context_processors.data_sources",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite in the project folder unless DATABASE_URL says otherwise, so a newcomer
# needs nothing installed; production and CI use postgres://…
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Read replicas (comma-separated URLs) serve the reads of public pages
# (config/routers.py); the admin and every write stay on the primary above.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
for number, url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica{number}"] = {
        **dj_database_url.parse(
            url,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        ),
        # Tests read the primary's test database through every replica alias.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICAS = [f"replica{n}" for n in range(1, len(DATABASE_REPLICA_URLS) + 1)]
DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache keyed on the record's version (resolutions/caching.py): whole
# public pages and heavy figures. Off while DEBUG is on, so a developer sees
# every edit; HTTP_CACHE_SECONDS is how long a browser or CDN may keep a page.
CACHES = {"default": {**cache_from_url(os.environ.get("CACHE_URL", "")), "KEY_PREFIX": "sc-votes"}}
# Anonymous list pages, and downloads and API calls, per client IP
# (config/ratelimit.py); the counts live in the cache above. A shared cache
# (CACHE_URL) is needed for the limit to hold across processes.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_LIST = os.environ.get("RATELIMIT_LIST", "120/m")
RATELIMIT_DOWNLOAD = os.environ.get("RATELIMIT_DOWNLOAD", "30/m")
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", default=True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 24 * 60 * 60)
HTTP_CACHE_SECONDS = env_int("HTTP_CACHE_SECONDS", 0 if DEBUG else 5 * 60)
# How long the record's change stamp, which keys both, is held in the cache above:
# every write forgets it at once, so this only bounds how late a server sees a
# write made by another process when the cache is not shared (local memory).
# 0 reads it from the database on every request.
DATA_VERSION_SECONDS = env_int("DATA_VERSION_SECONDS", 2)
# Never cached nor read from a replica: what an editor sees and changes.
PRIVATE_PATH_PREFIXES: tuple[str, ...] = ("/admin/",)
# `make bench` only: serves /_bench/bare/ and /_bench/one-query/ (config/bench.py), the
# yardsticks of the requests/s it measures. `check --deploy` fails while it is on.
BENCH = env_bool("BENCH", default=False)
if BENCH:
    # The yardsticks bypass the page cache (its ETag costs a query), and answer
    # plain http too, so that the bench can see the server is up before it loads it.
    PRIVATE_PATH_PREFIXES += ("/_bench/",)
    SECURE_REDIRECT_EXEMPT = [r"^_bench/"]

# The designed 404 and 500 pages show with DEBUG on too (config/errors.py);
# Django's technical pages (every URL pattern, the traceback) only on request.
DEBUG_TECHNICAL_404 = env_bool("DEBUG_TECHNICAL_404", default=False)
DEBUG_TECHNICAL_500 = env_bool("DEBUG_TECHNICAL_500", default=False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least, as OWASP ASVS level 1 asks (2.1.1).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection of the admin login (django-axes): after AXES_FAILURE_LIMIT
# wrong passwords for one username from one IP address, that pair is locked out
# (HTTP 429, the right password too) for AXES_COOLOFF_HOURS, and the lockout is
# logged. Unlock sooner with `manage.py axes_reset_username NAME` or `axes_reset`
# (docs/deploy.md). Behind a proxy REMOTE_ADDR is the proxy's: the lock then holds
# per username, which is stricter, never looser.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0) or None  # 0: until reset by hand
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the files WhiteNoise serves (make serve, the Docker image).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers. With DEBUG off, `manage.py check --deploy` must report nothing.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The only pages another site may frame (config/framing.py): the embeds.
FRAMEABLE_PATHS = [r"/votes/\d+/embed/", r"/p5/(?:vetoes|agreement|pair|divisions)/embed/"]
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Behind a TLS-terminating proxy the scheme arrives in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline script and no third-party origin, anywhere: every page is built for this.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # django-axes logs each failed login and each lockout at WARNING (its start-up
    # banner at INFO stays out of every command's output).
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}

# Official sources. Each is a setting so a mirror or a newer address can be used
# without a code change.
UN_DATA_DIR = os.environ.get("UN_DATA_DIR", "")
# What `make run` loads into an empty database (load_initial_data): the project's
# data release (release/), the official sources online, or the one-vote starter data.
SC_VOTES_DATA = env_choice("SC_VOTES_DATA", "release", ("release", "download", "starter"))
UN_DOWNLOAD_TIMEOUT = env_float("UN_DOWNLOAD_TIMEOUT", 30.0)
# `make run` tries the official sources once, briefly, before falling back on
# the starter data, so a first start on an offline machine stays quick.
UN_INITIAL_SYNC_TIMEOUT = env_float("UN_INITIAL_SYNC_TIMEOUT", 5.0)
UN_SOURCES = {
    "undl_file_list": os.environ.get(
        "UN_UNDL_FILE_LIST_URL", "https://digitallibrary.un.org/api/v1/file?recid=4055387"
    ),
    "undl_record": "https://digitallibrary.un.org/record/4055387",
    "dhl_veto": os.environ.get(
        "UN_DHL_VETO_URL", "https://www.un.org/depts/dhl/resguide/scact_veto_table_en.htm"
    ),
    "dhl_meetings": os.environ.get(
        "UN_DHL_MEETINGS_URL", "https://www.un.org/depts/dhl/resguide/scact{year}_table_en.htm"
    ),
    "unxml_not_adopted": os.environ.get(
        "UN_UNXML_NOT_ADOPTED_URL",
        "https://raw.githubusercontent.com/UNxml/SCresolutions/main/Not%20adopted/English/",
    ),
    "unxml_not_adopted_index": os.environ.get(
        "UN_UNXML_NOT_ADOPTED_INDEX_URL",
        "https://api.github.com/repos/UNxml/SCresolutions/contents/Not%20adopted/English",
    ),
    "unxml_adopted": os.environ.get(
        "UN_UNXML_ADOPTED_URL",
        "https://raw.githubusercontent.com/UNxml/SCresolutions/main/data_extract/",
    ),
    "unxml_adopted_index": os.environ.get(
        "UN_UNXML_ADOPTED_INDEX_URL",
        "https://api.github.com/repos/UNxml/SCresolutions/contents/data_extract",
    ),
    # The Peace and Security Data Hub's CSV of the dataset DPPA-SCMEMBERSHIP.
    "dppa_membership": os.environ.get(
        "UN_DPPA_MEMBERSHIP_URL", "https://api.psdata.un.org/public/data/DPPA-SCMEMBERSHIP/CSV"
    ),
    # DPPA's dataset of vetoes (DPPA-SCVETOES), an optional official source: downloaded by
    # sync_un_data online, read from dppa_sc_vetoes/ in a local folder when present (no
    # copy is stored in ../shared/data). Set it empty to leave it out.
    "dppa_vetoes": os.environ.get(
        "UN_DPPA_VETOES_URL", "https://api.psdata.un.org/public/data/DPPA-SCVETOES/CSV"
    ),
}
# The largest input an importer reads (a file, a folder's files together, or a
# gzip file once unpacked). The largest official file, the Library's voting
# data, is about 16 MB; a limit refuses a wrong or hostile file at once instead
# of spending minutes and gigabytes of memory on it.
UN_MAX_INPUT_BYTES = int(env_float("UN_MAX_INPUT_BYTES", 128 * 1024 * 1024))

# The read-only JSON API (resolutions/api/). No authentication: everything it
# serves is public, and without session auth there is no CSRF to worry about.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "resolutions.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "resolutions.api.schema.Schema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SC Votes API",
    "DESCRIPTION": (
        "Read-only data on how the UN Security Council votes: every draft put to the vote, "
        "each member's vote, vetoes, member states and the agreement among the permanent "
        f"members. United Nations data: {licence.TERMS}; every "
        "response carries the licence and the versions of the sources."
    ),
    "VERSION": "1",
    "LICENSE": {"name": licence.LICENCE_NAME, "url": licence.LICENCE_URL},
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package, served by us: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OutcomeEnum": "votes.choices.Outcome",
        "PositionEnum": "votes.choices.Position",
        "SourceEnum": "votes.choices.Source",
        "VoteKindEnum": "votes.choices.VoteKind",
    },
}
# Anyone may read the API from a browser on another site; nothing else is shared.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "X-Licence"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
