"""Who may reach what: every route of the site, requested by every kind of visitor.

The rules below name, for each (endpoint, method) of `app.url_map`, the status each role gets.
A route without a rule fails `test_every_route_has_a_rule`: whoever adds a route decides here who
may use it. POSTs carry a valid CSRF token and (mostly) an empty form, so that authorisation is
tested, not validation; the few that succeed act on objects set aside for them.

Roles: anonymous, consumer, producer_a / producer_b (owners of two producers), buyer_x / buyer_y
(owners of two verified supermarket chains) and admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask

from marketplace.accounts import services
from marketplace.extensions import db
from marketplace.mail import OutboxMessage
from tests.conftest import FormClient, csrf_token
from tests.factories import (
    add_image,
    add_location,
    grant_right,
    make_buyer_member,
    make_buyer_organisation,
    make_certificate,
    make_producer,
    make_producer_member,
    make_product,
    make_protection,
    make_user,
)

ROLES = ("anonymous", "consumer", "producer_a", "producer_b", "buyer_x", "buyer_y", "admin")
LOGIN = 302  # anonymous visitors are sent to the sign-in page


@dataclass
class World:
    """The objects the rules' URLs refer to."""

    users: dict
    ids: dict = field(default_factory=dict)
    static_file: str = ""


@dataclass(frozen=True)
class Rule:
    url: Callable[[World], str]
    expect: dict[str, int]
    data: dict = field(default_factory=dict)


def statuses(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


def everyone(status: int = 200) -> dict[str, int]:
    return statuses(status)


def signed_in(status: int = 200, **by_role: int) -> dict[str, int]:
    return statuses(status, anonymous=LOGIN, **by_role)


def admin_only(status: int = 200) -> dict[str, int]:
    return statuses(403, anonymous=LOGIN, admin=status)


def url(template: str) -> Callable[[World], str]:
    return lambda world: template.format(**world.ids, static=world.static_file)


def producer_owners(status: int) -> dict[str, int]:
    return statuses(403, anonymous=LOGIN, producer_a=status, producer_b=status)


def buyer_members(status: int, **by_role: int) -> dict[str, int]:
    return statuses(403, **{"anonymous": LOGIN, "buyer_x": status, "buyer_y": status, **by_role})


def own_product(status: int) -> dict[str, int]:
    """Producer members, for producer_a's product: producer_b gets 404, as for a missing product."""
    return statuses(403, anonymous=LOGIN, producer_a=status, producer_b=404)


def scan_readers() -> dict[str, int]:
    """A private scan of producer_a: its members and administrators; 404 to anyone else."""
    return statuses(404, anonymous=LOGIN, producer_a=200, admin=200)


def producer_members(status: int, **by_role: int) -> dict[str, int]:
    return statuses(403, **{"anonymous": LOGIN, "producer_a": status, "producer_b": status, **by_role})


def producer_a_only(status: int) -> dict[str, int]:
    """A route about one of producer A's objects: another producer gets 404, as if it did not exist."""
    return producer_members(status, producer_b=404)


def producer_part(status: int) -> dict[str, int]:
    """Producer A's own part (or invoice): B gets 404, as for an id that does not exist."""
    return statuses(403, anonymous=LOGIN, producer_a=status, producer_b=404)


NON_MEMBERS_OF_PRODUCERS = {"producer_a": 302, "producer_b": 302}  # already members: sent on
NON_MEMBERS_OF_BUYERS = {"buyer_x": 302, "buyer_y": 302}

RULES: dict[tuple[str, str], list[Rule]] = {
    ("static", "GET"): [Rule(url("/static/{static}"), everyone(200))],
    ("site.healthz", "GET"): [Rule(url("/healthz"), everyone(200))],
    ("site.csrf_token", "GET"): [Rule(url("/csrf-token"), everyone(200))],
    ("site.set_language", "POST"): [Rule(url("/language"), everyone(302), {"lang": "en", "next": "/"})],
    # The storefront is public.
    ("catalog.home", "GET"): [Rule(url("/"), everyone(200))],
    ("catalog.green", "GET"): [Rule(url("/about/green"), everyone(200))],
    ("catalog.catalog", "GET"): [Rule(url("/products"), everyone(200))],
    ("catalog.product", "GET"): [
        Rule(url("/products/{product_slug}"), everyone(200)),
        Rule(url("/products/{pending_product_slug}"), everyone(404)),
    ],
    ("catalog.producer", "GET"): [Rule(url("/producers/{producer_a_slug}"), everyone(200))],
    ("catalog.province", "GET"): [Rule(url("/provinces/thai-nguyen"), everyone(200))],
    ("catalog.media", "GET"): [Rule(url("/media/{media_key}"), everyone(200))],
    ("search.suggest", "GET"): [Rule(url("/search/suggest?q=che"), everyone(200))],
    # The read-only JSON API is public, like the storefront.
    ("api.products", "GET"): [Rule(url("/api/v1/products"), everyone(200))],
    ("api.product", "GET"): [
        Rule(url("/api/v1/products/{product_id}"), everyone(200)),
        Rule(url("/api/v1/products/{pending_product_id}"), everyone(404)),
    ],
    # JSON API v1: a bearer token or nothing; a signed-in session never authenticates it (401).
    ("api.openapi", "GET"): [Rule(url("/api/v1/openapi.json"), everyone(200))],
    ("api.reference", "GET"): [Rule(url("/api/v1/docs"), everyone(200))],
    **{
        (endpoint, method): [Rule(url(path), everyone(401))]
        for endpoint, method, path in (
            ("api.catalogue", "GET", "/api/v1/catalog"),
            ("api.place_order", "POST", "/api/v1/orders"),
            ("api.list_orders", "GET", "/api/v1/orders"),
            ("api.get_order", "GET", "/api/v1/orders/{buyer_x_order}"),
            ("api.cancel_order", "POST", "/api/v1/orders/{buyer_x_order}/cancel"),
            ("api.list_invoices", "GET", "/api/v1/invoices"),
            ("api.get_invoice", "GET", "/api/v1/invoices/HD-1-2026-000001"),
            ("api.get_invoice_pdf", "GET", "/api/v1/invoices/HD-1-2026-000001.pdf"),
            ("api.update_listings", "PATCH", "/api/v1/listings"),
            ("api.producer_orders", "GET", "/api/v1/producer-orders"),
            ("api.producer_order", "GET", "/api/v1/producer-orders/{part_a_placed}"),
            ("api.accept", "POST", "/api/v1/producer-orders/{part_a_placed}/accept"),
            ("api.accept_part", "POST", "/api/v1/producer-orders/{part_a_placed}/accept-part"),
            ("api.ship", "POST", "/api/v1/producer-orders/{part_a_placed}/ship"),
            ("api.deliver", "POST", "/api/v1/producer-orders/{part_a_placed}/deliver"),
        )
    },
    # API tokens and webhooks: owners of the organisation (buyer_x/y and producer_a/b are owners).
    ("api_settings.token_list", "GET"): [
        Rule(url("/buyer/api-tokens"), buyer_members(200)),
        Rule(url("/portal/api-tokens"), producer_owners(200)),
    ],
    ("api_settings.create_token", "POST"): [
        Rule(url("/buyer/api-tokens"), buyer_members(422)),
        Rule(url("/portal/api-tokens"), producer_owners(422)),
    ],
    ("api_settings.revoke_token", "POST"): [
        Rule(url("/buyer/api-tokens/{buyer_x_token}/revoke"), buyer_members(302, buyer_y=404))
    ],
    ("api_settings.webhook_settings", "GET"): [
        Rule(url("/buyer/webhooks"), buyer_members(200)),
        Rule(url("/portal/webhooks"), producer_owners(200)),
    ],
    ("api_settings.save_webhook", "POST"): [
        Rule(url("/buyer/webhooks"), buyer_members(422)),
        Rule(url("/portal/webhooks"), producer_owners(422)),
    ],
    **{
        ("api_settings." + action, "POST"): [
            Rule(url("/buyer/webhooks/" + path), buyer_members(404)),
            Rule(url("/portal/webhooks/" + path), producer_owners(404)),
        ]
        for action, path in (
            ("rotate_webhook_secret", "rotate"),
            ("send_test_event", "test"),
            ("remove_webhook", "remove"),
        )
    },
    # Stripe's webhook: anyone may call it, nothing happens without Stripe's signature.
    ("payments.stripe_webhook", "POST"): [Rule(url("/payments/stripe/webhook"), everyone(400))],
    # Signing in and out, signing up, passwords.
    ("accounts.login", "GET"): [Rule(url("/account/login"), everyone(200))],
    ("accounts.login", "POST"): [
        Rule(
            url("/account/login"), everyone(200), {"email": "nobody@example.vn", "password": "wrong password"}
        )
    ],
    ("accounts.logout", "POST"): [Rule(url("/account/logout"), everyone(302))],
    ("accounts.signup", "GET"): [Rule(url("/account/signup"), everyone(200))],
    ("accounts.signup", "POST"): [Rule(url("/account/signup"), everyone(200))],
    ("accounts.signup_sent", "GET"): [Rule(url("/account/signup/sent"), everyone(200))],
    ("accounts.confirm_email", "GET"): [Rule(url("/account/confirm/not-a-token"), everyone(200))],
    ("accounts.confirm_email", "POST"): [Rule(url("/account/confirm/not-a-token"), everyone(400))],
    ("accounts.resend_confirmation", "POST"): [Rule(url("/account/confirm/resend"), signed_in(302))],
    ("accounts.forgot_password", "GET"): [Rule(url("/account/password/forgot"), everyone(200))],
    ("accounts.forgot_password", "POST"): [Rule(url("/account/password/forgot"), everyone(200))],
    ("accounts.reset_password", "GET"): [Rule(url("/account/password/reset/not-a-token"), everyone(400))],
    ("accounts.reset_password", "POST"): [Rule(url("/account/password/reset/not-a-token"), everyone(400))],
    # Account pages: anyone signed in, about themselves.
    ("accounts.profile", "GET"): [Rule(url("/account/profile"), signed_in(200))],
    ("accounts.profile", "POST"): [Rule(url("/account/profile"), signed_in(200))],
    ("accounts.end_other_sessions", "POST"): [Rule(url("/account/sessions/end-others"), signed_in(302))],
    ("accounts.change_password", "GET"): [Rule(url("/account/password"), signed_in(200))],
    ("accounts.change_password", "POST"): [Rule(url("/account/password"), signed_in(200))],
    ("accounts.organisation", "GET"): [Rule(url("/account/organisation"), signed_in(200))],
    ("accounts.register_producer", "GET"): [
        Rule(url("/account/register/producer"), signed_in(200, **NON_MEMBERS_OF_PRODUCERS))
    ],
    ("accounts.register_producer", "POST"): [
        Rule(url("/account/register/producer"), signed_in(200, **NON_MEMBERS_OF_PRODUCERS))
    ],
    # Members and invitations: owners, inside their own organisation.
    ("accounts.remove_member", "POST"): [
        Rule(
            url("/account/organisation/producer/members/{producer_a_staff}/remove"),
            statuses(403, anonymous=LOGIN, producer_a=302, producer_b=404),
        ),
        Rule(
            url("/account/organisation/buyer/members/{buyer_x_staff}/remove"),
            statuses(403, anonymous=LOGIN, buyer_x=302, buyer_y=404),
        ),
    ],
    ("accounts.withdraw_invitation", "POST"): [
        Rule(
            url("/account/organisation/producer/invitations/{producer_a_invitation}/withdraw"),
            statuses(403, anonymous=LOGIN, producer_a=302, producer_b=404),
        ),
        Rule(
            url("/account/organisation/buyer/invitations/{producer_a_invitation}/withdraw"),
            statuses(403, anonymous=LOGIN, buyer_x=404, buyer_y=404),
        ),
    ],
    ("accounts.invite", "GET"): [
        Rule(url("/account/organisation/producer/invite"), producer_owners(200)),
        Rule(url("/account/organisation/buyer/invite"), buyer_members(200)),
    ],
    ("accounts.invite", "POST"): [
        Rule(url("/account/organisation/producer/invite"), producer_owners(200)),
        Rule(url("/account/organisation/buyer/invite"), buyer_members(200)),
    ],
    ("accounts.invitation", "GET"): [
        Rule(url("/account/invitations/{invitation_token}"), everyone(200)),
        Rule(url("/account/invitations/not-a-token"), everyone(400)),
    ],
    # Accepting needs the invited address: everyone here has another one.
    ("accounts.invitation", "POST"): [
        Rule(url("/account/invitations/{invitation_token}"), signed_in(200)),
        Rule(url("/account/invitations/not-a-token"), everyone(400)),
    ],
    # Supermarket chains.
    ("buyers.register", "GET"): [Rule(url("/buyer/register"), signed_in(200, **NON_MEMBERS_OF_BUYERS))],
    ("buyers.register", "POST"): [Rule(url("/buyer/register"), signed_in(200, **NON_MEMBERS_OF_BUYERS))],
    ("buyers.locations", "GET"): [Rule(url("/buyer/locations"), buyer_members(200))],
    ("buyers.add_location", "POST"): [Rule(url("/buyer/locations"), buyer_members(200))],
    ("buyers.edit_location", "GET"): [
        Rule(url("/buyer/locations/{buyer_x_location}/edit"), buyer_members(200, buyer_y=404))
    ],
    ("buyers.edit_location", "POST"): [
        Rule(url("/buyer/locations/{buyer_x_location}/edit"), buyer_members(200, buyer_y=404))
    ],
    ("buyers.remove_location", "POST"): [
        Rule(url("/buyer/locations/{buyer_x_spare_location}/remove"), buyer_members(302, buyer_y=404))
    ],
    # Administrators.
    ("admin.index", "GET"): [Rule(url("/admin/"), admin_only())],
    ("admin.queue", "GET"): [
        Rule(url("/admin/verification/producers"), admin_only()),
        Rule(url("/admin/verification/buyers"), admin_only()),
        Rule(url("/admin/verification/certificates"), admin_only()),
        Rule(url("/admin/verification/rights"), admin_only()),
    ],
    ("admin.subject", "GET"): [
        Rule(url("/admin/verification/producers/{pending_producer}"), admin_only()),
        Rule(url("/admin/verification/buyers/{pending_buyer}"), admin_only()),
        Rule(url("/admin/verification/certificates/{certificate_a}"), admin_only()),
        Rule(url("/admin/verification/rights/{right_a}"), admin_only()),
    ],
    ("admin.subject", "POST"): [Rule(url("/admin/verification/producers/{pending_producer}"), admin_only())],
    ("admin.outbox", "GET"): [Rule(url("/admin/outbox"), admin_only())],
    # Failed background jobs; retrying one that is not in the failed registry answers 404.
    ("admin.failed_jobs", "GET"): [Rule(url("/admin/jobs"), admin_only())],
    ("admin.retry_job", "POST"): [Rule(url("/admin/jobs/no-such-job/retry"), admin_only(404))],
    # The programme: the dashboard, its drill-down, exports and the provinces' targets for
    # administrators (an empty target form comes back with its errors: 422); public figures for all.
    ("programme.dashboard", "GET"): [
        Rule(url("/admin/programme?start=2026-01&end=2026-12&province=ha-noi"), admin_only())
    ],
    ("programme.drill_down", "GET"): [
        Rule(url("/admin/programme/producers?metric=modern_channel_share"), admin_only()),
        Rule(url("/admin/programme/producers?metric=nonsense"), admin_only(404)),
    ],
    ("programme.export", "GET"): [
        Rule(url("/admin/programme.csv"), admin_only()),
        Rule(url("/admin/programme.xlsx"), admin_only()),
    ],
    ("programme.ledger_export", "GET"): [Rule(url("/admin/programme/ledger.csv"), admin_only())],
    ("programme.province_targets", "GET"): [Rule(url("/admin/programme/targets"), admin_only())],
    ("programme.province_targets", "POST"): [Rule(url("/admin/programme/targets"), admin_only(422))],
    ("programme.public", "GET"): [Rule(url("/programme"), everyone(200))],
    # OCOP certificates and GI/mark rights: producers for their own products, scans for the
    # owning producer and administrators (404 to anyone else), history and revocation for administrators.
    ("certification.certificates", "GET"): [Rule(url("/portal/certificates"), producer_owners(200))],
    ("certification.new_certificate", "GET"): [
        Rule(url("/portal/products/{product_id}/certificates/new"), own_product(200))
    ],
    ("certification.new_certificate", "POST"): [
        Rule(url("/portal/products/{product_id}/certificates/new"), own_product(200))
    ],
    ("certification.new_right", "GET"): [
        Rule(url("/portal/products/{product_id}/rights/new"), own_product(200))
    ],
    ("certification.new_right", "POST"): [
        Rule(url("/portal/products/{product_id}/rights/new"), own_product(200))
    ],
    ("certification.certificate_scan", "GET"): [
        Rule(url("/portal/certificates/{certificate_a}/scan"), scan_readers())
    ],
    ("certification.right_scan", "GET"): [Rule(url("/portal/rights/{right_a}/scan"), scan_readers())],
    ("certification.admin_certificates", "GET"): [Rule(url("/admin/certificates"), admin_only())],
    ("certification.history", "GET"): [Rule(url("/admin/products/{product_id}/certificates"), admin_only())],
    # An empty reason: administrators get the form back (422), nothing is revoked.
    ("certification.revoke_certificate", "POST"): [
        Rule(url("/admin/certificates/{certificate_a}/revoke"), admin_only(422))
    ],
    ("certification.revoke_right", "POST"): [Rule(url("/admin/rights/{right_a}/revoke"), admin_only(422))],
    ("admin.outbox_message", "GET"): [Rule(url("/admin/outbox/{outbox_message}"), admin_only())],
    # The producer portal: members of a producer, inside their own producer.
    ("portal.dashboard", "GET"): [Rule(url("/portal/"), producer_members(200))],
    ("portal.products", "GET"): [Rule(url("/portal/products"), producer_members(200))],
    ("portal.new_product", "GET"): [Rule(url("/portal/products/new"), producer_members(200))],
    ("portal.new_product", "POST"): [Rule(url("/portal/products/new"), producer_members(200))],
    ("portal.edit_product", "GET"): [Rule(url("/portal/products/{product_id}/edit"), producer_a_only(200))],
    ("portal.edit_product", "POST"): [Rule(url("/portal/products/{product_id}/edit"), producer_a_only(200))],
    ("portal.publish_product", "POST"): [
        Rule(url("/portal/products/{product_id}/publish"), producer_a_only(302))
    ],
    ("portal.unpublish_product", "POST"): [
        Rule(url("/portal/products/{product_id}/unpublish"), producer_a_only(302))
    ],
    ("portal.archive_product", "POST"): [
        Rule(url("/portal/products/{product_id}/archive"), producer_a_only(302))
    ],
    ("portal.product_pictures", "GET"): [
        Rule(url("/portal/products/{product_id}/pictures"), producer_a_only(200))
    ],
    ("portal.upload_picture", "POST"): [
        Rule(url("/portal/products/{product_id}/pictures"), producer_a_only(400))
    ],
    ("portal.picture_cover", "POST"): [
        Rule(url("/portal/products/{product_id}/pictures/{product_picture}/cover"), producer_a_only(302))
    ],
    ("portal.picture_move", "POST"): [
        Rule(url("/portal/products/{product_id}/pictures/{product_picture}/move"), producer_a_only(302))
    ],
    ("portal.picture_alt", "POST"): [
        Rule(url("/portal/products/{product_id}/pictures/{product_picture}/alt"), producer_a_only(302))
    ],
    ("portal.picture_delete", "POST"): [
        Rule(
            url("/portal/products/{product_id}/pictures/{product_spare_picture}/delete"), producer_a_only(302)
        )
    ],
    ("portal.stock", "GET"): [Rule(url("/portal/stock"), producer_members(200))],
    ("portal.tax_code", "GET"): [Rule(url("/portal/tax-code"), producer_members(200))],
    ("portal.tax_code", "POST"): [Rule(url("/portal/tax-code"), producer_members(200), {"tax_code": "x"})],
    ("portal.product_stock", "GET"): [Rule(url("/portal/products/{product_id}/stock"), producer_a_only(200))],
    ("portal.product_stock", "POST"): [
        Rule(url("/portal/products/{product_id}/stock"), producer_a_only(200))
    ],
    ("portal.import_export", "GET"): [Rule(url("/portal/import-export"), producer_members(200))],
    ("portal.export_csv", "GET"): [Rule(url("/portal/export.csv"), producer_members(200))],
    ("portal.import_csv", "POST"): [Rule(url("/portal/import"), producer_members(400))],
    # The cart and checkout: anyone, signed in or not (an empty cart's checkout sends back to the cart).
    ("orders.cart", "GET"): [Rule(url("/cart"), everyone(200))],
    ("orders.add_to_cart", "POST"): [Rule(url("/cart/add"), everyone(302))],
    ("orders.update_cart", "POST"): [Rule(url("/cart/update"), everyone(302))],
    ("orders.remove_from_cart", "POST"): [Rule(url("/cart/remove"), everyone(302))],
    ("orders.checkout", "GET"): [Rule(url("/checkout"), everyone(302))],
    ("orders.checkout", "POST"): [Rule(url("/checkout"), everyone(302))],
    # The checkout's shipping figures for a province: an empty cart has none (404).
    ("orders.checkout_shipping", "GET"): [Rule(url("/checkout/shipping?province=ha-noi"), everyone(404))],
    # A buyer's orders: only the account that placed it; a guest order only with its signed key.
    ("orders.history", "GET"): [Rule(url("/orders"), signed_in(200))],
    ("orders.order", "GET"): [
        Rule(url("/orders/{order_ref}"), statuses(404, consumer=200)),
        Rule(url("/orders/{guest_order_ref}"), everyone(404)),
        Rule(url("/orders/{guest_order_ref}?key={guest_key}"), everyone(200)),
        Rule(url("/orders/{guest_order_ref}?key={order_key_of_other}"), everyone(404)),
    ],
    ("payments.pay", "GET"): [Rule(url("/orders/{order_ref}/pay"), statuses(404, consumer=302))],
    ("payments.payment_status", "GET"): [
        Rule(url("/orders/{order_ref}/payment"), statuses(404, consumer=200))
    ],
    # Local Stripe stand-in only: without it the route does not exist.
    ("payments.confirm_card", "POST"): [Rule(url("/orders/{order_ref}/pay/confirm"), everyone(404))],
    ("orders.cancel", "GET"): [Rule(url("/orders/{order_ref}/cancel"), statuses(404, consumer=200))],
    ("orders.cancel", "POST"): [Rule(url("/orders/{order_ref}/cancel"), statuses(404, consumer=302))],
    # A producer's part of orders: members of that producer only (another producer: 404).
    ("producer_orders.index", "GET"): [Rule(url("/portal/orders"), producer_owners(200))],
    ("producer_orders.detail", "GET"): [
        Rule(url("/portal/orders/{producer_a_part}"), producer_owners(200) | {"producer_b": 404})
    ],
    **{
        ("producer_orders." + action, "POST"): [
            Rule(
                url("/portal/orders/{producer_a_part}/" + action), producer_owners(302) | {"producer_b": 404}
            )
        ]
        for action in ("accept", "reject", "ship", "deliver")
    },
    # Invoicing: a producer reaches only its own parts and invoices, a chain only its own.
    ("invoicing.accept_part", "GET"): [
        Rule(url("/portal/orders/{part_a_placed}/accept-part"), producer_part(200))
    ],
    ("invoicing.accept_part", "POST"): [  # nothing lowered: the form comes back with a message
        Rule(url("/portal/orders/{part_a_placed}/accept-part"), producer_part(422))
    ],
    ("invoicing.delivery_date", "GET"): [
        Rule(url("/portal/orders/{part_a_placed}/delivery-date"), producer_part(200))
    ],
    ("invoicing.delivery_date", "POST"): [
        Rule(url("/portal/orders/{part_a_placed}/delivery-date"), producer_part(422))
    ],
    ("invoicing.receipt", "GET"): [
        Rule(
            url("/buyer/orders/{order_x_delivered}/parts/{part_a_delivered}/receipt"),
            buyer_members(200, buyer_y=404),
        ),
        Rule(url("/buyer/orders/{order_x_placed}/parts/{part_a_delivered}/receipt"), buyer_members(404)),
    ],
    ("invoicing.receipt", "POST"): [
        Rule(
            url("/buyer/orders/{order_x_delivered}/parts/{part_a_delivered}/receipt"),
            buyer_members(302, buyer_y=404),
        )
    ],
    ("invoicing.buyer_invoices", "GET"): [Rule(url("/buyer/invoices"), buyer_members(200))],
    ("invoicing.buyer_invoice", "GET"): [
        Rule(url("/buyer/invoices/{invoice_a}"), buyer_members(200, buyer_y=404))
    ],
    ("invoicing.buyer_invoice_pdf", "GET"): [
        Rule(url("/buyer/invoices/{invoice_a}.pdf"), buyer_members(200, buyer_y=404))
    ],
    ("invoicing.producer_invoices", "GET"): [Rule(url("/portal/invoices"), producer_owners(200))],
    ("invoicing.producer_invoice", "GET"): [Rule(url("/portal/invoices/{invoice_a}"), producer_part(200))],
    ("invoicing.producer_invoice_pdf", "GET"): [
        Rule(url("/portal/invoices/{invoice_a}.pdf"), producer_part(200))
    ],
    ("invoicing.admin_invoices", "GET"): [Rule(url("/admin/invoices?status=overdue&q=OCOPHD"), admin_only())],
    ("invoicing.admin_invoice", "GET"): [
        Rule(url("/admin/invoices/{invoice_a}"), admin_only()),
        Rule(url("/admin/invoices/999999"), admin_only(404)),
    ],
    ("invoicing.admin_invoice_pdf", "GET"): [Rule(url("/admin/invoices/{invoice_a}.pdf"), admin_only())],
    ("invoicing.record_payment", "POST"): [
        Rule(url("/admin/invoices/{invoice_a}/payments"), admin_only(422))
    ],
    # Bank statements and the queue of transfers to resolve: administrators only. An empty upload
    # comes back with its message; resolving an unknown line says so and returns to the queue.
    ("payments.admin_statements", "GET"): [Rule(url("/admin/payments/statements"), admin_only())],
    ("payments.admin_statements", "POST"): [Rule(url("/admin/payments/statements"), admin_only(422))],
    ("payments.admin_queue", "GET"): [Rule(url("/admin/payments/queue"), admin_only())],
    ("payments.admin_resolve", "POST"): [
        Rule(url("/admin/payments/queue/999999"), admin_only(303), {"action": "dismiss", "note": "x"})
    ],
    ("invoicing.admin_buyers", "GET"): [Rule(url("/admin/buyers"), admin_only())],
    ("invoicing.admin_terms", "GET"): [Rule(url("/admin/buyers/{buyer_x_id}/terms"), admin_only())],
    ("invoicing.admin_terms", "POST"): [Rule(url("/admin/buyers/{buyer_x_id}/terms"), admin_only(422))],
    # Payouts: a producer sees its own statements (another's answer 404), the administrator all.
    ("payouts.producer_statements", "GET"): [Rule(url("/portal/payouts"), producer_owners(200))],
    ("payouts.producer_statement", "GET"): [Rule(url("/portal/payouts/{statement_a}"), producer_part(200))],
    ("payouts.producer_statement_pdf", "GET"): [
        Rule(url("/portal/payouts/{statement_a}.pdf"), producer_part(200))
    ],
    ("payouts.producer_account", "GET"): [Rule(url("/portal/payouts/account"), producer_owners(200))],
    ("payouts.producer_account", "POST"): [Rule(url("/portal/payouts/account"), producer_owners(400))],
    ("payouts.admin_index", "GET"): [Rule(url("/admin/payouts"), admin_only())],
    ("payouts.admin_run", "POST"): [Rule(url("/admin/payouts/runs"), admin_only(302))],
    ("payouts.admin_run_detail", "GET"): [
        Rule(url("/admin/payouts/runs/{payout_run}"), admin_only()),
        Rule(url("/admin/payouts/runs/999999"), admin_only(404)),
    ],
    ("payouts.admin_bank_batch", "GET"): [
        Rule(url("/admin/payouts/runs/{payout_run}/bank-batch.csv"), admin_only())
    ],
    ("payouts.admin_statement", "GET"): [
        Rule(url("/admin/payouts/statements/{statement_a}"), admin_only()),
        Rule(url("/admin/payouts/statements/999999"), admin_only(404)),
    ],
    ("payouts.admin_statement_pdf", "GET"): [
        Rule(url("/admin/payouts/statements/{statement_a}.pdf"), admin_only())
    ],
    ("payouts.admin_mark_paid", "POST"): [
        Rule(url("/admin/payouts/statements/{statement_a}/paid"), admin_only(400))
    ],
    ("payouts.admin_withholding", "GET"): [
        Rule(url("/admin/payouts/withholding?month=2026-03"), admin_only()),
        Rule(url("/admin/payouts/withholding?month=2026-13"), admin_only(400)),
    ],
    ("payouts.admin_withholding_csv", "GET"): [
        Rule(url("/admin/payouts/withholding.csv?month=2026-03"), admin_only())
    ],
    ("payouts.admin_withholding_xlsx", "GET"): [
        Rule(url("/admin/payouts/withholding.xlsx?month=2026-03"), admin_only())
    ],
    # Bulk ordering: members of verified buyer organisations, each inside its own organisation
    # (buyer_x and buyer_y are owners; buyer_x has lists, orders and a draft, buyer_y none).
    ("wholesale.catalogue", "GET"): [Rule(url("/wholesale/products"), buyer_members(200))],
    ("wholesale.add", "POST"): [Rule(url("/wholesale/order/add"), buyer_members(302))],
    ("wholesale.draft", "GET"): [Rule(url("/wholesale/order"), buyer_members(200))],
    ("wholesale.update_draft", "POST"): [Rule(url("/wholesale/order"), buyer_members(302))],
    ("wholesale.clear", "POST"): [Rule(url("/wholesale/order/clear"), buyer_members(302))],
    ("wholesale.pad", "POST"): [Rule(url("/wholesale/order/pad"), buyer_members(302))],
    ("wholesale.check", "GET"): [Rule(url("/wholesale/order/check?code=SKU&quantity=5"), buyer_members(200))],
    ("wholesale.upload", "POST"): [Rule(url("/wholesale/order/upload"), buyer_members(302))],
    ("wholesale.review", "GET"): [Rule(url("/wholesale/order/review"), buyer_members(200, buyer_y=302))],
    # By the time it runs, buyer_x's draft holds an earlier order's lines again (order_again).
    ("wholesale.place", "POST"): [Rule(url("/wholesale/order/place"), buyer_members(200, buyer_y=302))],
    ("wholesale.lists", "GET"): [Rule(url("/wholesale/lists"), buyer_members(200))],
    ("wholesale.save_list", "POST"): [Rule(url("/wholesale/lists"), buyer_members(302))],
    ("wholesale.load_list", "POST"): [
        Rule(url("/wholesale/lists/{buyer_x_list}/load"), buyer_members(302, buyer_y=404))
    ],
    ("wholesale.delete_list", "POST"): [
        Rule(url("/wholesale/lists/{buyer_x_spare_list}/delete"), buyer_members(302, buyer_y=404))
    ],
    ("wholesale.orders", "GET"): [Rule(url("/buyer/orders"), buyer_members(200))],
    ("wholesale.order", "GET"): [Rule(url("/buyer/orders/{buyer_x_order}"), buyer_members(200, buyer_y=404))],
    ("wholesale.order_again", "POST"): [
        Rule(url("/buyer/orders/{buyer_x_order}/again"), buyer_members(302, buyer_y=404))
    ],
    ("wholesale.approve", "POST"): [
        Rule(url("/buyer/orders/{buyer_x_pending_order}/approve"), buyer_members(302, buyer_y=404))
    ],
    ("wholesale.reject", "POST"): [
        Rule(
            url("/buyer/orders/{buyer_x_pending_order_2}/reject"),
            buyer_members(302, buyer_y=404),
            {"note": "Không cần"},
        )
    ],
    ("wholesale.settings", "GET"): [Rule(url("/buyer/settings"), buyer_members(200))],
    ("wholesale.settings", "POST"): [Rule(url("/buyer/settings"), buyer_members(302))],
    # Traceability: a producer's batches are its own (another producer's answer 404, as if they did
    # not exist); a chain sees the batches of what it received; the batch page is public.
    ("traceability.batches", "GET"): [Rule(url("/portal/batches"), producer_members(200))],
    ("traceability.new_batch", "GET"): [Rule(url("/portal/batches/new"), producer_members(200))],
    ("traceability.new_batch", "POST"): [Rule(url("/portal/batches/new"), producer_members(422))],
    ("traceability.batch", "GET"): [Rule(url("/portal/batches/{batch_a}"), producer_a_only(200))],
    ("traceability.receive", "POST"): [Rule(url("/portal/batches/{batch_a}/stock"), producer_a_only(302))],
    ("traceability.label", "GET"): [Rule(url("/portal/batches/{batch_a}/label"), producer_a_only(200))],
    ("traceability.qr", "GET"): [
        Rule(url("/portal/batches/{batch_a}/qr.svg?size=s"), producer_a_only(200)),
        Rule(url("/portal/batches/{batch_a}/qr.png?size=l"), producer_a_only(200)),
        Rule(url("/portal/batches/{batch_a}/qr.gif"), producer_a_only(404)),
    ],
    ("traceability.recall", "POST"): [
        Rule(url("/portal/batches/{batch_a_to_recall}/recall"), producer_a_only(302), {"reason": "Nhiễm ẩm"})
    ],
    ("traceability.shipment", "GET"): [
        Rule(url("/portal/orders/{producer_a_part}/batches"), producer_part(200))
    ],
    # The consumer's part is only placed: nothing to ship yet, the page comes back with a message.
    ("traceability.shipment", "POST"): [
        Rule(url("/portal/orders/{producer_a_part}/batches"), producer_part(422))
    ],
    ("traceability.received", "GET"): [Rule(url("/buyer/batches"), buyer_members(200))],
    ("traceability.trace_gtin", "GET"): [
        Rule(url("/01/{gtin_a}/10/{lot_a}"), everyone(200)),
        Rule(url("/01/{gtin_a}/10/NO-SUCH-LOT"), everyone(404)),
    ],
    ("traceability.trace_product", "GET"): [
        Rule(url("/t/{product_b_slug}/{lot_b}"), everyone(200)),
        Rule(url("/t/{product_b_slug}/..%2Fadmin"), everyone(404)),
    ],
    ("traceability.admin_batches", "GET"): [Rule(url("/admin/batches"), admin_only())],
    ("traceability.admin_recall", "POST"): [
        Rule(
            url("/admin/batches/{batch_b_to_recall}/recall"),
            admin_only(302),
            {"reason": "Kiểm nghiệm không đạt"},
        )
    ],
    ("portal.former_province", "GET"): [Rule(url("/portal/former-province"), producer_members(200))],
    ("portal.set_former_province", "POST"): [Rule(url("/portal/former-province"), producer_members(400))],
    # Sales reports and declared sales: a producer's own figures only; decisions are administrators'.
    ("producer_reports.report", "GET"): [
        Rule(url("/portal/reports/?kind=year&value=2026"), producer_members(200))
    ],
    ("producer_reports.export", "GET"): [
        Rule(url("/portal/reports/export.csv"), producer_members(200)),
        Rule(url("/portal/reports/export.xlsx"), producer_members(200)),
    ],
    ("declarations.index", "GET"): [Rule(url("/portal/declarations/"), producer_members(200))],
    ("declarations.create", "POST"): [
        Rule(url("/portal/declarations/"), producer_members(400))
    ],  # empty form
    ("declarations.detail", "GET"): [Rule(url("/portal/declarations/{declaration_a}"), producer_a_only(200))],
    ("declarations.correct", "POST"): [
        Rule(url("/portal/declarations/{declaration_a}"), producer_a_only(400))
    ],
    ("declarations.evidence", "GET"): [
        Rule(url("/portal/declarations/{declaration_a}/evidence"), producer_a_only(200))
    ],
    ("declarations_admin.queue", "GET"): [Rule(url("/admin/declarations/"), admin_only(200))],
    ("declarations_admin.admin_detail", "GET"): [
        Rule(url("/admin/declarations/{declaration_a}"), admin_only(200))
    ],
    ("declarations_admin.decide", "POST"): [
        Rule(url("/admin/declarations/{declaration_a}/decide"), admin_only(302))
    ],
    ("declarations_admin.admin_evidence", "GET"): [
        Rule(url("/admin/declarations/{declaration_a}/evidence"), admin_only(200))
    ],
}


def routes_of(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def routes_without_rules(app: Flask) -> set[tuple[str, str]]:
    return routes_of(app) - set(RULES)


def build_world(app: Flask) -> World:
    producer_a = make_producer(slug="htx-a", verification_status="verified")
    producer_b = make_producer(slug="htx-b", verification_status="verified")
    x = make_buyer_organisation(status="verified")
    y = make_buyer_organisation(status="verified")
    users = {
        "consumer": make_user("consumer@example.vn"),
        "producer_a": make_producer_member(producer_a, email="a@example.vn"),
        "producer_b": make_producer_member(producer_b, email="b@example.vn"),
        "buyer_x": make_buyer_member(x, email="x@example.vn"),
        "buyer_y": make_buyer_member(y, email="y@example.vn"),
        "admin": make_user("admin@example.vn", is_admin=True),
    }
    staff_a = make_producer_member(producer_a, role="staff")
    staff_x = make_buyer_member(x, role="purchaser")
    product = make_product(producer_a, slug="che-a")
    picture = add_image(product, key="matrix/product")
    spare_picture = add_image(product, key="matrix/spare", cover=False)
    pending = make_producer(slug="htx-pending", verification_status="pending")
    pending_product = make_product(pending, slug="che-pending")
    pending_buyer = make_buyer_organisation(status="pending")
    invitation_token = "invitation-token-for-the-matrix"
    from datetime import timedelta

    from marketplace.accounts.models import Invitation
    from marketplace.timeutil import utcnow

    invitation = Invitation(
        organisation_kind="producer",
        producer_id=producer_a.id,
        email="invited@example.vn",
        role="staff",
        token_hash=services._digest(invitation_token),
        expires_at=utcnow() + timedelta(days=1),
    )
    db.session.add(invitation)
    message = OutboxMessage(kind="test", to_address="a@example.vn", subject="Test", body="Test")
    db.session.add(message)
    spare_location = add_location(x, name="Spare")
    certificate_a = make_certificate(
        product, 4, status="pending", scan_key="matrix/certificate.pdf", scan_media_type="application/pdf"
    )
    right_a = grant_right(product, make_protection(), status="pending")
    right_a.scan_key, right_a.scan_media_type = "matrix/right.pdf", "application/pdf"
    db.session.commit()
    from marketplace import storage

    storage.save_document("matrix/certificate.pdf", b"%PDF-1.4 matrix")
    storage.save_document("matrix/right.pdf", b"%PDF-1.4 matrix")
    from datetime import date

    from marketplace.reports.models import SalesDeclaration

    storage.save_document("matrix/declaration.pdf", b"%PDF-1.4 matrix")
    declaration_a = SalesDeclaration(
        producer_id=producer_a.id,
        month=date(2026, 1, 1),
        channel="ecommerce",
        amount_vnd=1_000_000,
        evidence_key="matrix/declaration.pdf",
        evidence_media_type="application/pdf",
        status="submitted",
    )
    db.session.add(declaration_a)
    db.session.commit()
    from marketplace.orders import services as orders
    from marketplace.orders.views import access_key

    def order_for(customer_id):
        return orders.place_order(
            lines=[orders.CartLine(product.id, 1, product.price_vnd)],
            address=orders.validate_address(
                recipient_name="An",
                phone="0912345678",
                street="1 Phố Huế",
                commune="Hai Bà Trưng",
                province="ha-noi",
            ),
            contact_email="consumer@example.vn",
            payment_method="cod",
            idempotency_key=orders.new_idempotency_key(),
            customer_id=customer_id,
        )

    consumer_order = order_for(users["consumer"].id)
    guest_order = order_for(None)
    other_guest_order = order_for(None)
    from tests.invoicing.helpers import deliver, supermarket_order

    product_b = make_product(producer_b, slug="che-b")
    delivered = supermarket_order(x, [[(product, 2)], [(product_b, 1)]])
    deliver(delivered.producer_orders[0])
    placed = supermarket_order(x, [[(product, 3)]])
    from marketplace.invoicing.services import invoice_of_producer_order

    invoice_a = invoice_of_producer_order(delivered.producer_orders[0].id)
    from tests.wholesale.helpers import matrix_objects

    wholesale_ids = matrix_objects(x, users["buyer_x"], producer_a)
    from marketplace.api.tokens import create_token

    buyer_x_token = create_token(
        "buyer", x.id, name="ERP", scopes=["orders:read"], user_id=users["buyer_x"].id
    )
    db.session.commit()
    from datetime import date

    from marketplace.traceability.services import BatchInput, create_batch

    product.gtin = "09506000134352"

    def batch_of(item, lot):
        return create_batch(
            item.producer_id, BatchInput(item.id, lot, date(2026, 1, 5), None, 100), user_id=None
        )

    batch_a, batch_a_to_recall = batch_of(product, "L-A1"), batch_of(product, "L-A2")
    batch_b, batch_b_to_recall = batch_of(product_b, "L-B1"), batch_of(product_b, "L-B2")
    from marketplace.payouts import services as payouts
    from marketplace.payouts.rates import install_seed_rates
    from marketplace.timeutil import today_in_vietnam

    install_seed_rates()
    payout_run = payouts.run_payouts(today_in_vietnam(), actor="matrix")
    statement_a = next(
        s for s in payouts.run_or_none(payout_run.id).statements if s.producer_id == producer_a.id
    )
    db.session.commit()

    upload_dir = Path(app.config["UPLOAD_DIR"])
    (upload_dir / "matrix").mkdir(parents=True, exist_ok=True)
    (upload_dir / "matrix" / "picture.txt").write_text("a picture")
    static_root = Path(app.static_folder)
    static_file = next(p for p in sorted(static_root.rglob("*")) if p.is_file())

    from sqlalchemy import select

    from marketplace.buyers.models import DeliveryLocation

    return World(
        users=users,
        static_file=static_file.relative_to(static_root).as_posix(),
        ids={
            "product_slug": product.slug,
            "pending_product_slug": "che-pending",
            "product_id": product.id,
            "product_picture": picture.id,
            "product_spare_picture": spare_picture.id,
            "pending_product_id": pending_product.id,
            "producer_a_slug": producer_a.slug,
            "media_key": "matrix/picture.txt",
            "producer_a_staff": staff_a.producer_membership.id,
            "buyer_x_staff": staff_x.buyer_membership.id,
            "buyer_x_location": db.session.scalar(
                select(DeliveryLocation.id)
                .where(DeliveryLocation.buyer_organisation_id == x.id)
                .order_by(DeliveryLocation.id)
                .limit(1)
            ),
            "buyer_x_spare_location": spare_location.id,
            "pending_producer": pending.id,
            "pending_buyer": pending_buyer.id,
            "invitation_token": invitation_token,
            "producer_a_invitation": invitation.id,
            "outbox_message": message.id,
            "certificate_a": certificate_a.id,
            "payout_run": payout_run.id,
            "statement_a": statement_a.id,
            "right_a": right_a.id,
            "order_ref": consumer_order.reference,
            "guest_order_ref": guest_order.reference,
            "guest_key": access_key(guest_order),
            "order_key_of_other": access_key(other_guest_order),
            "producer_a_part": consumer_order.producer_orders[0].id,
            "part_a_placed": placed.producer_orders[0].id,
            "part_a_delivered": delivered.producer_orders[0].id,
            "order_x_delivered": delivered.reference,
            "order_x_placed": placed.reference,
            "invoice_a": invoice_a.id,
            "buyer_x_id": x.id,
            "buyer_x_token": buyer_x_token.token.id,
            "batch_a": batch_a.id,
            "batch_a_to_recall": batch_a_to_recall.id,
            "batch_b_to_recall": batch_b_to_recall.id,
            "gtin_a": product.gtin,
            "lot_a": batch_a.lot_code,
            "product_b_slug": product_b.slug,
            "lot_b": batch_b.lot_code,
            "declaration_a": declaration_a.id,
            **wholesale_ids,
        },
    )


def test_every_route_has_a_rule(app) -> None:
    missing = sorted(routes_without_rules(app))
    assert not missing, f"routes without an authorisation rule in {__name__}: {missing}"
    stale = sorted(set(RULES) - routes_of(app))
    assert not stale, f"rules for routes that no longer exist: {stale}"


def test_a_new_route_without_a_rule_is_reported(tmp_path) -> None:
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'unused.sqlite3'}", tmp_path)
    app.add_url_rule("/brand-new", "brand_new", lambda: "new", methods=["GET", "POST"])
    assert routes_without_rules(app) == {("brand_new", "GET"), ("brand_new", "POST")}


# Counting a request against a rate limit is not a change of state (the API counts every GET).
NOT_STATE = {"throttle_counters"}


def database_snapshot() -> dict[str, list]:
    """Every row of every table, to show that a series of requests changed nothing."""
    db.session.expire_all()
    return {
        table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=repr)
        for table in db.metadata.sorted_tables
        if table.name not in NOT_STATE
    }


def test_every_role_gets_the_expected_status_on_every_route(app) -> None:
    world = build_world(app)
    wrong = []

    def request_all(method: str) -> None:
        for (endpoint, rule_method), rules in sorted(RULES.items()):
            if rule_method != method:
                continue
            for rule in rules:
                target = rule.url(world)
                for role in ROLES:
                    web = FormClient(app.test_client())
                    if role != "anonymous":
                        db.session.refresh(world.users[role])  # signing out replaces the session token
                        web.sign_in(world.users[role])
                    if method == "GET":
                        response = web.get(target)
                    else:
                        data = {**rule.data, "csrf_token": csrf_token(web.client)}
                        response = web._request(method, target, data=data)
                    response.close()  # file responses (static, media) hold their file open until closed
                    if response.status_code != rule.expect[role]:
                        wrong.append(
                            f"{role:>10} {method} {target} ({endpoint}): "
                            f"{response.status_code}, expected {rule.expect[role]}"
                        )

    # GETs first, and they must leave the database exactly as it was: no state change on GET.
    before = database_snapshot()
    request_all("GET")
    assert database_snapshot() == before, "a GET request changed the database"
    for method in sorted({method for _, method in RULES} - {"GET"}):
        request_all(method)
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "endpoint",
    [
        "accounts.logout",
        "accounts.remove_member",
        "accounts.withdraw_invitation",
        "buyers.remove_location",
        "buyers.add_location",
        "site.set_language",
    ],
)
def test_state_changing_routes_do_not_answer_get(app, endpoint) -> None:
    assert (endpoint, "GET") not in routes_of(app)
