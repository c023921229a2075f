"""Sanxiang settings.

Two modes, chosen by ``SANXIANG_MODE``:

* ``embedded`` (default): one machine, SQLite file and local file store under the data folder,
  DEBUG on unless ``SANXIANG_DEBUG=false``. Meant for trying the platform and for tests.
* ``production``: every secret and host comes from the environment and nothing insecure has a
  default; ``manage.py check --deploy`` passes with nothing silenced.
"""

from pathlib import Path

import dj_database_url

from sanxiang.env import ConfigError, env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
MODE = env_str("SANXIANG_MODE", "embedded")
if MODE not in {"embedded", "production"}:
    raise ConfigError(f"SANXIANG_MODE must be embedded or production, got {MODE!r}")
PRODUCTION = MODE == "production"

DATA_DIR = env_path("SANXIANG_DATA_DIR", BASE_DIR / "data")
FILE_STORE_DIR = DATA_DIR / "files"
JOB_FILES_DIR = DATA_DIR / "jobs"
if not PRODUCTION:
    # The embedded default creates its data folder on first start; production deployments
    # provision theirs (a missing folder there is a deployment error, reported by the file store).
    for _folder in (DATA_DIR, FILE_STORE_DIR, JOB_FILES_DIR, DATA_DIR / "static"):
        _folder.mkdir(parents=True, exist_ok=True)

if PRODUCTION:
    SECRET_KEY = env_str("SANXIANG_SECRET_KEY") or ""
    if len(SECRET_KEY) < 50:
        raise ConfigError("SANXIANG_SECRET_KEY must be set to at least 50 random characters")
    DEBUG = False
    ALLOWED_HOSTS = env_list("SANXIANG_ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ConfigError("SANXIANG_ALLOWED_HOSTS must list the host names served")
else:
    # The embedded default never faces the internet; its key is only good for this checkout.
    SECRET_KEY = env_str("SANXIANG_SECRET_KEY", "embedded-only-" + "x" * 40) or ""
    DEBUG = env_bool("SANXIANG_DEBUG", True)
    ALLOWED_HOSTS = env_list("SANXIANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "sanxiang.accounts",
    "sanxiang.registry",
    "sanxiang.ledger",
    "sanxiang.cases",
    "sanxiang.evidence",
    "sanxiang.review",
    "sanxiang.disclosure",
    "sanxiang.inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sanxiang.urls"
WSGI_APPLICATION = "sanxiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sanxiang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanxiang.accounts.context.navigation",
                "sanxiang.cases.context.schedule_warning",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'sanxiang.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db) or _default_db)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server and the task worker share the file without "database is locked";
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue on the busy
    # timeout instead of deadlocking when both try to upgrade a read lock (SQLITE_BUSY at once).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20,
         "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["TEST"] = {"NAME": env_str("SANXIANG_TEST_SQLITE", "")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("SANXIANG_DB_CONN_MAX_AGE", 60)
    # Several test runs on one server (e.g. CI and a developer) each need their own test database.
    if env_str("SANXIANG_TEST_DB_NAME"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("SANXIANG_TEST_DB_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("SANXIANG_PASSWORD_MIN_LENGTH", 10, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "sanxiang.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": env_int("SANXIANG_PASSWORD_MIN_CLASSES", 3, minimum=1)},
    },
]
AUTHENTICATION_BACKENDS = ["sanxiang.accounts.backends.LockoutBackend"]

# Lockout after repeated failed logins (issue 2): count and duration are configurable.
LOCKOUT_MAX_FAILURES = env_int("SANXIANG_LOCKOUT_MAX_FAILURES", 5, minimum=1)
LOCKOUT_MINUTES = env_int("SANXIANG_LOCKOUT_MINUTES", 15, minimum=1)

SESSION_COOKIE_AGE = env_int("SANXIANG_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SANXIANG_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SANXIANG_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("SANXIANG_CSRF_TRUSTED_ORIGINS", [])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide stylesheet lives beside the project templates (sanxiang/ is not an app).
STATICFILES_DIRS = [BASE_DIR / "sanxiang" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(FILE_STORE_DIR)},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

TASKS = {
    "default": {
        "BACKEND": env_str("SANXIANG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Caches: "default" (per-process memory) holds small counters such as the portal's 纠错 limit;
# "portal" holds rendered public pages of published entries, keyed by their change number, so a
# published decision's page is rendered once per process and then served with one indexed query.
PORTAL_CACHE_ENTRIES = env_int("SANXIANG_PORTAL_CACHE_ENTRIES", 5000, minimum=0)
# How long a process trusts the version of a published entry it read (seconds; 0: read it on every
# request). A withdrawal made through another process reaches this one's pages within this time.
PORTAL_FRESH_SECONDS = env_int("SANXIANG_PORTAL_FRESH_SECONDS", 5, minimum=0)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sanxiang-default"},
    "portal": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sanxiang-portal",
               "TIMEOUT": 24 * 3600, "OPTIONS": {"MAX_ENTRIES": max(PORTAL_CACHE_ENTRIES, 1)}},
}

# Evidence files: the largest accepted upload (bytes; default 4 GiB).
EVIDENCE_MAX_BYTES = env_int("SANXIANG_EVIDENCE_MAX_BYTES", 4 * 1024 ** 3)
# Where new evidence files go: "local" (the data folder) or "s3" (S3-compatible storage with
# Object Lock; the bucket must have it enabled).
EVIDENCE_STORAGE = env_str("SANXIANG_EVIDENCE_STORAGE", "local")
EVIDENCE_S3_ENDPOINT = env_str("SANXIANG_EVIDENCE_S3_ENDPOINT", "")
EVIDENCE_S3_REGION = env_str("SANXIANG_EVIDENCE_S3_REGION", "us-east-1")
EVIDENCE_S3_BUCKET = env_str("SANXIANG_EVIDENCE_S3_BUCKET", "sanxiang-evidence")
EVIDENCE_S3_ACCESS_KEY = env_str("SANXIANG_EVIDENCE_S3_ACCESS_KEY", "")
EVIDENCE_S3_SECRET_KEY = env_str("SANXIANG_EVIDENCE_S3_SECRET_KEY", "")
EVIDENCE_S3_RETENTION_DAYS = env_int("SANXIANG_EVIDENCE_S3_RETENTION_DAYS", 30 * 366, minimum=1)
if EVIDENCE_STORAGE not in ("local", "s3"):
    raise ConfigError("SANXIANG_EVIDENCE_STORAGE 只能是 local 或 s3")

# Documents (执法文书) render when issued ("sync") or by the task worker ("deferred").
CASES_DOCUMENT_RENDERING = env_str("SANXIANG_DOCUMENT_RENDERING", "sync")

# The ledger (执法全过程记录): the origin line of checkpoints, and the hash of a new log
# ("sha256", or "sm3" for 国密); an existing log keeps the algorithm it was created with.
LEDGER_ORIGIN = env_str("SANXIANG_LEDGER_ORIGIN", "sanxiang.local/ledger")
LEDGER_ALGORITHM = env_str("SANXIANG_LEDGER_ALGORITHM", "sha256")
if LEDGER_ALGORITHM not in {"sha256", "sm3"}:
    raise ConfigError(f"SANXIANG_LEDGER_ALGORITHM must be sha256 or sm3, got {LEDGER_ALGORITHM!r}")
LEDGER_KEYS_DIR = DATA_DIR / "keys"
# Names under which the platform and the witness (the 司法局's key) sign checkpoints.
LEDGER_SIGNER_NAME = env_str("SANXIANG_LEDGER_SIGNER", LEDGER_ORIGIN) or LEDGER_ORIGIN
LEDGER_WITNESS_NAME = env_str("SANXIANG_LEDGER_WITNESS", "witness.sifaju.local") or "witness.sifaju.local"

# Largest Excel file accepted for import through the web (the command line has no limit).
IMPORT_MAX_UPLOAD_BYTES = env_int("SANXIANG_IMPORT_MAX_MB", 200, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SANXIANG_LOG_LEVEL", "INFO")},
}
