"""Settings for factcheck, read from the environment.

Two ways to run: the embedded default (SQLite file, Celery through a filesystem broker, no
servers to install) and production (``DATABASE_URL`` to PostgreSQL, ``REDIS_URL`` to
Redis). Everything that differs between them comes from the environment.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    # Development only: a fixed key is harmless when DEBUG is on and nothing is public.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATA_DIR = Path(env.str("FACTCHECK_DATA_DIR", default=str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "annotations.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "annotations.i18n.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it turns a login refused for too many failures into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "factcheck.wsgi.application"

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'factcheck.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # The web server and the worker write to the same file: wait for locks instead
            # of failing, and take the write lock up front so two writers never deadlock.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not :memory:, so that a worker process started by the tests sees the data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (login page and API token), counted per account and per address; at the
# limit either is refused for the cool-off, the right password included.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "annotations.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "annotations.lockout.client_address"
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # Hashed names need `collectstatic` first, which production deploys run.
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security (production defaults; DEBUG relaxes what needs TLS) ---------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL", default=False):
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks from the load balancer come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "annotations.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "annotations.api.errors.exception_handler",
    # ?format= names an export format, not a renderer.
    "URL_FORMAT_OVERRIDE": None,
    # Past a rate, 429 with Retry-After. Counted in the "throttle" cache, shared by every
    # web process (failed logins are counted in the database, by django-axes).
    "DEFAULT_THROTTLE_CLASSES": [
        "annotations.api.throttling.AnonRateThrottle",
        "annotations.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANONYMOUS", default="60/minute"),
        "user": env.str("API_RATE_USER", default="1200/minute"),
        "token": env.str("API_RATE_TOKEN", default="10/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "factcheck API",
    "DESCRIPTION": "Claims, sources, verdicts and exports of fact-checking projects.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "annotations.api.schema.document_errors",
    ],
    # Swagger UI from the pinned package's files, served by the app under its own policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "annotations.models.documents.ClaimKind",
        "ClaimStatusEnum": "annotations.models.documents.ClaimStatus",
        "DocumentStatusEnum": "annotations.models.documents.DocumentStatus",
        "DocumentOriginEnum": "annotations.models.documents.DocumentOrigin",
        "DocumentFormatEnum": "annotations.models.documents.DocumentFormat",
        "SourceOriginEnum": "annotations.models.sources.SourceOrigin",
        "FetchStateEnum": "annotations.models.sources.FetchState",
        "StanceEnum": "annotations.models.sources.Stance",
        "RoleEnum": "annotations.models.projects.Role",
        "AuthorTypeEnum": "annotations.models.documents.AuthorType",
    },
}

# --- Background work (Celery) ---------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = DATA_DIR / "broker"
# Hard limit of one task; the broker's visibility timeout must outlast it plus the longest
# retry countdown, or Redis would hand a running task to a second worker.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=90)
FETCH_MAX_BACKOFF = env.int("FETCH_MAX_BACKOFF", default=600)
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + FETCH_MAX_BACKOFF + 300
)
# API rate counts (annotations/api/throttling.py): in Redis when there is one, so that all
# web processes count together; else in memory, as the embedded mode runs one web process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "throttle",
    },
}
if REDIS_URL:
    CACHES["throttle"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "factcheck-rates",
        # A request must not wait long on a Redis that does not answer.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # How often a worker looks for tasks whose worker died (past the visibility timeout).
        "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 5,
    }
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # No server needed: the web process and the worker exchange messages through files.
    for sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    # The host is unused by the transport; naming one keeps kombu from warning about it.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None
# State lives in the database; task results are never read.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when the broker is down: the periodic sweep re-queues work.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Work whose message the broker never got (it was down) or lost (restarted without its
# data) is sent again by a sweep this often, once it has waited the grace.
WORK_SWEEP_INTERVAL = env.float("WORK_SWEEP_INTERVAL", default=20.0)
WORK_SWEEP_GRACE = env.float("WORK_SWEEP_GRACE", default=20.0)
# Each worker renews a key in Redis every third of this; work begun by a worker whose key
# ran out is taken back by the sweep (its machine is gone).
WORKER_ALIVE_SECONDS = env.float("WORKER_ALIVE_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-queued-work": {
        "task": "annotations.sweep_queued_work",
        "schedule": WORK_SWEEP_INTERVAL,
        # A sweep that waited longer than the next one is of no use.
        "options": {"expires": WORK_SWEEP_INTERVAL},
    },
    "recheck-stale-sources": {"task": "annotations.recheck_stale_sources", "schedule": 86_400.0},
    "check-watched-documents": {"task": "annotations.check_watched_documents", "schedule": 300.0},
    # SQLite's full-text indexes merged into one piece (see ``search.tidy_index``).
    "tidy-search-index": {"task": "annotations.tidy_search_index", "schedule": 86_400.0},
}

# --- Documents and claims -------------------------------------------------------------
# Native JSON imports arrive as request bodies; a large project's export runs to megabytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=50 * 1024 * 1024)
DOCUMENT_MAX_CHARS = env.int("DOCUMENT_MAX_CHARS", default=2 * 1024 * 1024)
# Texts up to this size are cut into claims inside the request; longer ones by a worker.
DOCUMENT_SYNC_MAX_CHARS = env.int("DOCUMENT_SYNC_MAX_CHARS", default=200_000)

# --- Source fetching (the one outbound HTTP client) -----------------------------------
FETCH_ALLOWED_NETWORKS = env.list("FETCH_ALLOWED_NETWORKS", default=[])
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=5 * 1024 * 1024)
FETCH_CONNECT_TIMEOUT = env.float("FETCH_CONNECT_TIMEOUT", default=5.0)
FETCH_READ_TIMEOUT = env.float("FETCH_READ_TIMEOUT", default=15.0)
FETCH_TOTAL_TIMEOUT = env.float("FETCH_TOTAL_TIMEOUT", default=45.0)
FETCH_MAX_REDIRECTS = env.int("FETCH_MAX_REDIRECTS", default=5)
FETCH_MAX_ATTEMPTS = env.int("FETCH_MAX_ATTEMPTS", default=5)
FETCH_PER_HOST_CONCURRENCY = env.int("FETCH_PER_HOST_CONCURRENCY", default=4)
# A per-host slot a killed worker never gave back frees itself this long after the
# fetch's overall time limit.
FETCH_SLOT_MARGIN = env.float("FETCH_SLOT_MARGIN", default=10.0)
FETCH_USER_AGENT = env.str(
    "FETCH_USER_AGENT", default="factcheck/0.1 (+https://github.com/factcheck/factcheck)"
)
SNAPSHOT_MAX_BODY_BYTES = env.int("SNAPSHOT_MAX_BODY_BYTES", default=2 * 1024 * 1024)

# --- Archived captures: a WARC file of every fetch ------------------------------------
# Local files under the data folder by default; any Django storage by setting, e.g. an
# S3-compatible bucket: CAPTURE_STORAGE_BACKEND=storages.backends.s3.S3Storage and
# CAPTURE_STORAGE_OPTIONS='{"bucket_name": "captures", "endpoint_url": "https://..."}'.
CAPTURE_STORAGE_BACKEND = env.str(
    "CAPTURE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"
)
CAPTURE_STORAGE_OPTIONS = env.json("CAPTURE_STORAGE_OPTIONS", default={})
if CAPTURE_STORAGE_BACKEND.endswith("FileSystemStorage"):
    CAPTURE_STORAGE_OPTIONS.setdefault("location", str(DATA_DIR / "captures"))
STORAGES["captures"] = {"BACKEND": CAPTURE_STORAGE_BACKEND, "OPTIONS": CAPTURE_STORAGE_OPTIONS}
# Watched articles are fetched again this often; a changed text becomes a new version
# whose claims are re-anchored, each placed only with at least this confidence.
WATCH_INTERVAL_MINUTES = env.int("WATCH_INTERVAL_MINUTES", default=60)
ANCHOR_MIN_CONFIDENCE = env.float("ANCHOR_MIN_CONFIDENCE", default=0.75)
# Reading a PDF source or upload: a child process under these caps.
PDF_MAX_PAGES = env.int("PDF_MAX_PAGES", default=2000)
PDF_MAX_MEMORY_MB = env.int("PDF_MAX_MEMORY_MB", default=768)
PDF_READ_TIMEOUT = env.float("PDF_READ_TIMEOUT", default=60.0)
QUOTE_MIN_SCORE = env.float("QUOTE_MIN_SCORE", default=85.0)
SOURCE_RECHECK_AFTER_DAYS = env.int("SOURCE_RECHECK_AFTER_DAYS", default=30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
