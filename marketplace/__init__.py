"""OCOP Marketplace: certified OCOP specialities sold to consumers and supermarket chains."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, has_request_context, request

from config import CONFIGS, INSTANCE_DIR, production_problems
from marketplace.ids import BoundedIntConverter


def create_app(config: dict | None = None) -> Flask:
    """Build the application. `config` overrides the settings of the `APP_ENV` class."""
    app = Flask(
        __name__, instance_path=str(INSTANCE_DIR), template_folder="../templates", static_folder="../static"
    )
    app.config.from_object(CONFIGS[os.environ.get("APP_ENV", "development")])
    if config:
        app.config.update(config)
    if app.config.get("PRODUCTION"):
        problems = production_problems(app.config)
        if problems:
            raise RuntimeError("Refusing to start in production: " + "; ".join(problems))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _ensure_secret_key(app)
    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0)
    app.url_map.converters["int"] = BoundedIntConverter  # before any route: an id too large is a 404

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def _ensure_secret_key(app: Flask) -> None:
    """Production must set SECRET_KEY; elsewhere a random key is kept in instance/secret_key."""
    if app.config.get("SECRET_KEY"):
        return
    if app.config.get("PRODUCTION") or os.environ.get("APP_ENV") == "production":
        raise RuntimeError("SECRET_KEY must be set in production")
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _select_locale() -> str:
    if not has_request_context():  # CLI commands, e-mails written outside a request
        return "vi"
    if request.path.startswith("/api/"):  # API clients read English unless they ask for Vietnamese
        return request.accept_languages.best_match(["en", "vi"], default="en")
    lang = request.cookies.get("lang")
    return lang if lang in ("vi", "en") else "vi"


def register_extensions(app: Flask) -> None:
    import flask_babel

    from marketplace import assets, form_messages, formatting, jobs, logs, search, security, throttle
    from marketplace.accounts import permissions
    from marketplace.catalog import cache, page_cache
    from marketplace.extensions import babel, csrf, db, migrate
    from marketplace.search.postgres_backend import include_object

    # First: its after_request runs last, compressing the response every other one has finished.
    assets.init_app(app)  # fingerprinted static URLs with a year's cache; gzip
    logs.init_app(app)  # request ids in responses, logs and error pages; JSON logs
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
    )
    babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(Path(__file__).resolve().parent / "translations"),
    )
    csrf.init_app(app)
    jobs.init_app(app)  # work after the commit: RQ over Redis with REDIS_URL, else inline
    throttle.init_app(app)  # sign-in, sign-up, password reset, invitations: counted in a shared store
    permissions.init_app(app)  # Flask-Login: who is signed in, and the permission helpers
    formatting.init_app(app)
    form_messages.init_app(app)
    security.init_app(app)
    cache.init_app(app)
    page_cache.init_app(app)  # whole public pages answered before Flask for visitors without a session
    search.init_app(app)
    from marketplace import reports
    from marketplace.api import webhooks
    from marketplace.invoicing import services as invoicing
    from marketplace.orders import cart_store, mailing, producer_notices
    from marketplace.payments import services as payments
    from marketplace.traceability import services as traceability

    mailing.init_app(app)
    producer_notices.init_app(app)  # producers' members mailed when a part reaches them
    cart_store.init_app(app)  # the signed-out cart merged at sign-in, on the accounts signal
    invoicing.init_app(app)  # invoices at delivery, on the order signals
    payments.init_app(app)  # Stripe as the order rules' card gateway
    reports.init_app(app)  # the sales ledger subscribes to the order and invoice signals
    webhooks.init_app(app)  # webhook outbox rows on the order and invoicing signals
    traceability.init_app(app)  # recall warnings on the product pages
    # The locale is chosen per request; an app context that outlives a request must not keep it.
    app.teardown_request(lambda exc: flask_babel.refresh())
    # Make every model known to SQLAlchemy (and to Alembic's autogenerate).
    from marketplace import models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from marketplace.accounts.buyer_views import bp as buyers_bp
    from marketplace.accounts.views import bp as accounts_bp
    from marketplace.admin.views import bp as admin_bp
    from marketplace.api.views import bp as api_bp
    from marketplace.catalog.views import bp as catalog_bp
    from marketplace.invoicing.views import bp as invoicing_bp
    from marketplace.orders.portal import bp as producer_orders_bp
    from marketplace.orders.views import bp as orders_bp
    from marketplace.payments.views import bp as payments_bp
    from marketplace.payouts.views import bp as payouts_bp
    from marketplace.portal.views import bp as portal_bp
    from marketplace.search.views import bp as search_bp
    from marketplace.site import bp as site_bp
    from marketplace.wholesale.views import bp as wholesale_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(payments_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(buyers_bp)
    app.register_blueprint(admin_bp)
    from marketplace.certification.views import bp as certification_bp

    app.register_blueprint(certification_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(producer_orders_bp)
    app.register_blueprint(invoicing_bp)
    app.register_blueprint(wholesale_bp)
    from marketplace.api.settings_views import bp as api_settings_bp

    app.register_blueprint(api_settings_bp)
    from marketplace.traceability.views import bp as traceability_bp

    app.register_blueprint(traceability_bp)
    app.register_blueprint(payouts_bp)
    from marketplace.reports import views as reports_views

    app.register_blueprint(reports_views.bp)
    app.register_blueprint(reports_views.declarations_bp)
    app.register_blueprint(reports_views.admin_bp)
    from marketplace.reports.programme_views import bp as programme_bp

    app.register_blueprint(programme_bp)


def register_errorhandlers(app: Flask) -> None:
    from marketplace import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from marketplace import cli

    cli.init_app(app)
