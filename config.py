"""Configuration classes. Every setting that differs between machines comes from the environment.

`create_app()` picks the class named by `APP_ENV` (development, testing, production); tests pass
overrides directly.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'marketplace.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # Private documents (certificate scans): never under UPLOAD_DIR, which is public at /media/.
    DOCUMENT_DIR = os.environ.get("DOCUMENT_DIR", str(INSTANCE_DIR / "documents"))
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # Background jobs (marketplace/jobs.py): on this RQ queue over REDIS_URL; inline without it.
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "ocop")
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "whoosh")
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search"))
    # Search results kept per worker (for paging and facet clicks), bounded by the product ids they
    # hold together: about 40 bytes each, so the default keeps at most about 20 MB.
    SEARCH_CACHE_IDS = int(os.environ.get("SEARCH_CACHE_IDS", "500000"))
    # Whoosh posting lists kept decoded per worker, in postings (12 bytes each: about 48 MB).
    SEARCH_POSTINGS_KEPT = int(os.environ.get("SEARCH_POSTINGS_KEPT", "4000000"))
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    CATALOG_PAGE_SIZE = 24
    # Storefront caches, per worker process (README, "Storefront caching"): entries of the data
    # and fragment cache; bytes of whole public pages (0: no page cache); and how long a shared
    # proxy may keep a public page before asking again (its ETag changes with the catalogue).
    STOREFRONT_CACHE_ENTRIES = int(os.environ.get("STOREFRONT_CACHE_ENTRIES", "512"))
    PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", str(24 * 1024 * 1024)))
    PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "30"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_NAME = "ocop_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Throttles (marketplace/throttle.py), counted where every worker sees them: in Redis when
    # REDIS_URL is set, else in the database (`throttle_counters`). "memory" counts per process.
    THROTTLE_STORAGE = os.environ.get("THROTTLE_STORAGE") or os.environ.get("REDIS_URL") or "database"
    # Several sites (or test runs) on one Redis keep apart by their prefix.
    THROTTLE_KEY_PREFIX = os.environ.get("THROTTLE_KEY_PREFIX", "ocop")
    THROTTLE_MEMORY_ALLOWED = True
    # Each "N per <window>": at most N in each fixed window. Sign-in counts failures only.
    LOGIN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"
    LOGIN_FAILURES_PER_ADDRESS = "30 per 15 minutes"
    SIGNUPS_PER_ADDRESS = "10 per hour"
    SIGNUPS_PER_EMAIL = "3 per hour"
    PASSWORD_RESETS_PER_ADDRESS = "10 per hour"
    PASSWORD_RESETS_PER_EMAIL = "3 per hour"
    INVITATIONS_PER_ADDRESS = "30 per hour"
    INVITATIONS_PER_ACCOUNT = "20 per hour"
    # Strict-Transport-Security max-age in seconds; 0 sends no header (plain HTTP in development).
    HSTS_SECONDS = 0
    # Application logs: "text" (Flask's default) or "json" (one object a line, with the request id).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # gzip for text responses of at least this many bytes (marketplace/assets.py).
    COMPRESS_MIN_BYTES = int(os.environ.get("COMPRESS_MIN_BYTES", "500"))
    COMPRESS_LEVEL = 6
    # How many proxies (nginx) stand in front and set X-Forwarded-For/-Proto: the app then takes
    # the visitor's address and scheme from them (the throttles count per address). 0: none, and
    # those headers are ignored (a client could forge them).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # Production refuses to start on SQLite unless this is set (one machine, one writer at a time).
    ALLOW_SQLITE_IN_PRODUCTION = _bool("ALLOW_SQLITE_IN_PRODUCTION", False)
    # Outgoing mail: SMTP when MAIL_SERVER is set, else the outbox table (readable at /admin/outbox).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "OCOP Marketplace <no-reply@ocop.local>")
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_HASH_METHOD = "scrypt"  # Werkzeug's defaults (n=2**15, r=8, p=1)
    PASSWORD_RESET_MAX_AGE = 3600  # seconds
    INVITATION_MAX_AGE_DAYS = 7
    # One request: a product picture (8 MB at most), a certificate scan or a CSV file, plus the form.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Stripe. STRIPE_API_BASE points the library elsewhere (localstripe in development and tests).
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
    # Where the payment page loads stripe.js from; empty: https://js.stripe.com/v3/, or
    # <STRIPE_API_BASE>/js.stripe.com/v3/ when STRIPE_API_BASE points at localstripe.
    STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "")
    # Orders: how long a card order waits for its payment, and the limits of one checkout.
    ORDER_PAYMENT_WINDOW_MINUTES = int(os.environ.get("ORDER_PAYMENT_WINDOW_MINUTES", "30"))
    # JSON API: the per-token rate limit, counted in the throttle store (see THROTTLE_STORAGE).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")
    # Webhooks: the timeout of one attempt, the immediate attempt after the commit (in a thread),
    # and whether http and loopback/private targets are allowed (never in production).
    WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "3"))
    WEBHOOK_ATTEMPT_AFTER_COMMIT = _bool("WEBHOOK_ATTEMPT_AFTER_COMMIT", True)
    WEBHOOK_ALLOW_INSECURE_TARGETS = False
    # Hours a producer's part may wait for acceptance before its members are reminded (once).
    PRODUCER_ACCEPTANCE_REMINDER_HOURS = int(os.environ.get("PRODUCER_ACCEPTANCE_REMINDER_HOURS", "24"))
    # Bank transfers (VietQR): a transfer order waits this long for its money (banks settle
    # NAPAS 247 transfers at once, but a buyer may pay the next morning).
    TRANSFER_PAYMENT_WINDOW_HOURS = int(os.environ.get("TRANSFER_PAYMENT_WINDOW_HOURS", "48"))
    # The platform's receiving account. Without a 6-digit BIN and an account number VietQR is
    # not offered (production has no default: set them, or buyers see card and cash only).
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "")
    VIETQR_ACCOUNT_NUMBER = os.environ.get("VIETQR_ACCOUNT_NUMBER", "")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "")
    VIETQR_BANK_NAME = os.environ.get("VIETQR_BANK_NAME", "")
    # A bank statement upload (CSV) is refused above this size or this many lines.
    STATEMENT_MAX_BYTES = 2 * 1024 * 1024
    STATEMENT_MAX_LINES = 20_000
    # Shipping fees: None uses orders.shipping.DEFAULT_SHIPPING_TABLE; see there for the shape.
    SHIPPING_FEE_TABLE: dict | None = None


# A demo receiving account for development and tests (not a real account: never pay into it).
_DEMO_VIETQR = {
    "VIETQR_BANK_BIN": "970436",
    "VIETQR_ACCOUNT_NUMBER": "0071000999999",
    "VIETQR_ACCOUNT_NAME": "OCOP MARKETPLACE DEMO",
    "VIETQR_BANK_NAME": "Vietcombank",
}


class DevelopmentConfig(Config):
    WEBHOOK_ALLOW_INSECURE_TARGETS = _bool("WEBHOOK_ALLOW_INSECURE_TARGETS", True)
    # A development machine may run without SECRET_KEY; the key then lives in instance/ (see create_app).
    DEBUG = False
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", _DEMO_VIETQR["VIETQR_BANK_BIN"])
    VIETQR_ACCOUNT_NUMBER = os.environ.get("VIETQR_ACCOUNT_NUMBER", _DEMO_VIETQR["VIETQR_ACCOUNT_NUMBER"])
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", _DEMO_VIETQR["VIETQR_ACCOUNT_NAME"])
    VIETQR_BANK_NAME = os.environ.get("VIETQR_BANK_NAME", _DEMO_VIETQR["VIETQR_BANK_NAME"])


class TestingConfig(Config):
    TESTING = True
    WEBHOOK_ALLOW_INSECURE_TARGETS = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # An in-memory database is one connection: the database store's own transaction would share it.
    THROTTLE_STORAGE = os.environ.get("THROTTLE_STORAGE") or "memory"
    VIETQR_BANK_BIN = _DEMO_VIETQR["VIETQR_BANK_BIN"]
    VIETQR_ACCOUNT_NUMBER = _DEMO_VIETQR["VIETQR_ACCOUNT_NUMBER"]
    VIETQR_ACCOUNT_NAME = _DEMO_VIETQR["VIETQR_ACCOUNT_NAME"]
    VIETQR_BANK_NAME = _DEMO_VIETQR["VIETQR_BANK_NAME"]


class ProductionConfig(Config):
    # create_app refuses to start when `production_problems` finds anything.
    PRODUCTION = True
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # Limits counted per worker would multiply by the number of workers: refused at start-up.
    THROTTLE_MEMORY_ALLOWED = False
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))


# Values seen in examples and tutorials: never a real key.
PLACEHOLDER_SECRET_KEYS = frozenset(
    {"", "change-me", "changeme", "secret", "dev", "development", "testing-secret-key", "your-secret-key"}
)
MIN_SECRET_KEY_LENGTH = 32


def production_problems(config) -> list[str]:
    """Why these settings must not serve production (empty when they may)."""
    problems = []
    key = str(config.get("SECRET_KEY") or "")
    if key.lower() in PLACEHOLDER_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY_LENGTH} characters "
            '(python -c "import secrets; print(secrets.token_hex(32))")'
        )
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite") and not config.get(
        "ALLOW_SQLITE_IN_PRODUCTION"
    ):
        problems.append("DATABASE_URL is SQLite: use PostgreSQL, or set ALLOW_SQLITE_IN_PRODUCTION=true")
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if not config.get(name):
            problems.append(f"{name} must be true (cookies only over HTTPS)")
    return problems


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
