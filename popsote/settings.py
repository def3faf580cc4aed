"""Salkku settings, read from the environment (see README "Configuration")."""

from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# A missing SECRET_KEY is only tolerated in development: production must fail loudly.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key" if DEBUG else environ.Env.NOTSET)
if not SECRET_KEY:  # an empty line in .env is as bad as none
    raise ImproperlyConfigured("Set SECRET_KEY (README: Running in production).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules",
    "popsote",
    "portfolio",
    "budgets",
    "milestones",
    "indicators",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "popsote.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "popsote.middleware.RoleRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portfolio.accounts.SessionIdleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "popsote.middleware.BrokerUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "popsote.urls"

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
                "popsote.county.county",
            ],
            "builtins": ["popsote.money", "popsote.numbers", "popsote.people"],
        },
    },
]

WSGI_APPLICATION = "popsote.wsgi.application"

# PostgreSQL (psycopg 3) in production and CI; an SQLite file in the project when unset.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections on PostgreSQL: a worker keeps its connection for CONN_MAX_AGE seconds (0: a new one for
# every request) and checks it before reusing it, so a restarted database costs no failed request.
_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if _POSTGRES else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=_POSTGRES)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for the password: Django calls it after every password change (the page, the admin,
    # a reset, changepassword), and it revokes the user's API tokens.
    {"NAME": "portfolio.tokens.RevokeApiTokensOnPasswordChange"},
]
# django-axes first: it refuses a locked-out user or address before the password is checked. Who may
# do what is portfolio.permissions' table of rules; the model backend only signs people in (the
# table's names are not model permissions, and portfolio.accounts.Backend, Django's own, reads no
# stored permissions).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "portfolio.accounts.Backend",
]
# Sign-in with the county's identity service over OpenID Connect (README "Configuration"): on when
# OIDC_ISSUER is set. Password sign-in stays beside it (installations without one, the demo).
OIDC_ISSUER = env("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_EMAIL_CLAIM = env("OIDC_EMAIL_CLAIM", default="email")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# group in the identity service → Salkku role, e.g. "3f2c…=hanketoimisto,salkku-vetajat=osahankkeen_vetaja".
OIDC_GROUP_ROLES = env.dict("OIDC_GROUP_ROLES", default={})
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)  # an unknown e-mail: an account without a role
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
if OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
    AUTHENTICATION_BACKENDS.append("portfolio.oidc.Backend")
# Sessions end after this long unused; sooner for those who may use the admin (the project office).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=8 * 60)
SESSION_IDLE_ADMIN_MINUTES = env.int("SESSION_IDLE_ADMIN_MINUTES", default=2 * 60)
SESSION_COOKIE_AGE = 60 * max(SESSION_IDLE_MINUTES, SESSION_IDLE_ADMIN_MINUTES)
# The log of use (sign-ins, reports and contact details read, account changes) is kept this long.
USAGE_LOG_DAYS = env.int("USAGE_LOG_DAYS", default=2 * 365)
# A set-password link of an invitation works this long (and once).
PASSWORD_RESET_TIMEOUT = env.int("INVITATION_DAYS", default=7) * 86400
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portfolio:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["popsote.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# collectstatic keeps only the hashed names the manifest serves, and does not compress source maps
# (read by developer tools only): the compressed copies were most of its time.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv"),
    *("woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map"),
)

# A message's tag is its Bootstrap alert's colour: Django tags an error "error", Bootstrap calls it "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="salkku@localhost")
# Accessibility feedback goes to the project office's accounts with an e-mail address and to these.
FEEDBACK_EMAIL = env.list("FEEDBACK_EMAIL", default=[])
# Links in e-mails point here.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The installation's own county: its name in the header, the footer, the accessibility statement and the
# e-mails, its business ID in the footer, and its logo (a static file's path, e.g. "county/logo.svg"; none
# by default). POPsote's county unless a second county's installation sets its own.
COUNTY_NAME = env("COUNTY_NAME", default="Pohjois-Pohjanmaan hyvinvointialue")
COUNTY_SHORT_NAME = env("COUNTY_SHORT_NAME", default="Pohde")
COUNTY_BUSINESS_ID = env("COUNTY_BUSINESS_ID", default="3221326-2")
COUNTY_LOGO = env("COUNTY_LOGO", default="")

# The monthly reporting cycle: a month's period opens on its open day, updates are due on the
# deadline day of the next month, leads with a missing update are reminded some days before the
# deadline, and the period closes some days after it.
# The State Treasury's records of an RRF programme (archived reports, evidence, declarations) are kept unchanged
# until the end of 2032 (ISO date).
SALKKU_RRF_RETAIN_UNTIL = date.fromisoformat(env.str("RRF_RETAIN_UNTIL", default="2032-12-31"))

SALKKU_REPORTING = {
    "open_day": env.int("REPORTING_OPEN_DAY", default=20),
    "deadline_day": env.int("REPORTING_DEADLINE_DAY", default=5),
    "remind_days": env.int("REPORTING_REMIND_DAYS", default=3),
    "close_after_days": env.int("REPORTING_CLOSE_AFTER_DAYS", default=10),
}

# Celery: Redis in production and CI. Without a broker URL, tasks run in-process (eagerly).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
# A broker that is down or does not answer costs a request seconds, not gunicorn's timeout: the
# request answers 503 and queues nothing (popsote.broker.send).
BROKER_TIMEOUT = env.float("BROKER_TIMEOUT", default=3.0)
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker waits for Redis to come up
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": BROKER_TIMEOUT,
    "socket_timeout": BROKER_TIMEOUT,
    # Sending from a request: one more try to connect at once, then 503.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    # A message its worker never acknowledged comes back after this: longer than any task may run.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
}
# A running job touches its row this often; one whose heartbeat stopped for JOB_LOST_AFTER seconds
# belongs to a worker that died as a whole, and beat sends it again (README "Running in production").
JOB_HEARTBEAT = env.int("JOB_HEARTBEAT", default=30)
JOB_LOST_AFTER = env.int("JOB_LOST_AFTER", default=3 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Issues the monthly report of each closed period (idempotent).
    "issue-monthly-reports": {"task": "reports.tasks.issue_monthly_reports", "schedule": 15 * 60},
    # Sends again the jobs whose task was lost: never sent, or their worker died.
    "requeue-lost-jobs": {"task": "reports.tasks.requeue_lost_jobs", "schedule": 60},
    "reporting-cycle": {"task": "reports.tasks.reporting_cycle", "schedule": crontab(hour=6, minute=0)},
    "usage-log-expire": {"task": "portfolio.tasks.usage_log_expire", "schedule": crontab(hour=3, minute=0)},
}

# One cache for every process when Redis is there, so that limits (the API token throttle) hold
# across gunicorn's workers; without a broker (development) each process has its own.
if CELERY_BROKER_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL", default=CELERY_BROKER_URL),
            "KEY_PREFIX": "salkku",
            "OPTIONS": {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT},
        }
    }
# Processes that render the parts of a monthly PDF report in parallel (1: all in the worker itself).
REPORT_PDF_PROCESSES = env.int("REPORT_PDF_PROCESSES", default=2)
# Who gets an e-mail with a link to each new monthly report: these addresses, or when empty the
# members of the steering group's account group (ohjausryhma).
STEERING_GROUP_EMAILS = env.list("STEERING_GROUP_EMAILS", default=[])
EXPORT_RETRY_DELAY = env.int("EXPORT_RETRY_DELAY", default=30)  # seconds, times the retry number

# The REST API under /api/v1/ (README "API"): session for the browser, personal tokens for scripts.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token class comes first: its WWW-Authenticate header turns "not logged in" into a 401.
        "portfolio.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Resources (portfolio.api.base.Resource) ask the rules table; this covers the schema and the docs.
    "DEFAULT_PERMISSION_CLASSES": ["portfolio.api.permissions.CanRead"],
    "DEFAULT_THROTTLE_CLASSES": ["portfolio.api.authentication.ApiTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": env("API_TOKEN_RATE", default="600/minute")},
    "DEFAULT_FILTER_BACKENDS": [
        "portfolio.api.filters.FilterWhenAsked",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["portfolio.api.parsers.CleanJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "popsote.openapi.Schema",
    "EXCEPTION_HANDLER": "portfolio.api.base.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATE_FORMAT": "iso-8601",
    "DATETIME_FORMAT": "iso-8601",
}
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
SPECTACULAR_SETTINGS = {
    "TITLE": "Salkku API",
    "DESCRIPTION": (BASE_DIR / "popsote" / "api.md").read_text(encoding="utf-8"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "popsote.openapi.describe"],
    "ENUM_NAME_OVERRIDES": {
        "NodeKindEnum": "portfolio.models.Node.Kind",
        "OrganisationKindEnum": "portfolio.models.Organisation.Kind",
        "CostCategoryKindEnum": "budgets.models.CostCategory.Kind",
        "ExportKindEnum": "reports.models.Export.Kind",
        "OpenClosedEnum": "portfolio.models.Risk.Status",
        "MilestoneStatusEnum": "milestones.models.Milestone.Status",
        "ExportStatusEnum": "reports.models.Export.Status",
        "LightEnum": "reports.models.Light",
        "StatusUpdateStatusEnum": "reports.models.StatusUpdate.Status",
        "MeasureReportStatusEnum": "reports.models.MeasureReport.Status",
        "EvidenceReviewEnum": "reports.api.serializers.REVIEW_CHOICES",
        "RrfTargetStatusEnum": "reports.models.RrfTarget.Status",
        # A ledger extract's and a plan workbook's background import have the same states.
        "UploadStatusEnum": "budgets.models.LedgerUpload.Status",
    },
    "SERVE_PERMISSIONS": ["portfolio.api.permissions.CanRead"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every page it lays out at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS (README "Running in production"). Salkku runs behind a TLS proxy; the proxy sets
# X-Forwarded-Proto and SECURE_PROXY_SSL_HEADER tells Django to trust it. Never set it without
# such a proxy: a client could then claim HTTPS itself.
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The flag only takes effect once the domain is submitted to the browsers' preload list.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# How many proxies in front of gunicorn append to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only; no
# inline script or style anywhere, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features Salkku never uses, switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username, or from
# one address, logins are refused for LOGIN_LOCKOUT_MINUTES after the last try; the project office
# unlocks at once in the admin (Axes › Access attempts: delete). The count is not reset by a
# success, or one's own account would reset an address's count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "popsote.middleware.locked_out"
AXES_CLIENT_IP_CALLABLE = "popsote.middleware.client_ip"
AXES_VERBOSE = False
